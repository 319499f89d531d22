import ArgumentParser
import Foundation
import OOMLab
import OOMLabKernel

/// `oomlab run`: step a scenario headless. Data on stdout, progress on stderr
/// (only when stderr is a terminal), exit 0 whatever the verdict: `oomlab
/// check` is the command that judges a run.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Step a scenario headless and print its trace and verdict.",
        discussion: """
            SCENARIO is a file or a preset name, looked up as NAME.yaml in $OOMLAB_PRESETS \
            (colon-separated), ./presets, $XDG_DATA_HOME/oomlab/presets, then among the \
            presets built into oomlab (`oomlab presets` lists them and where each comes \
            from). Without SCENARIO the built-in default runs: the 2015 XFS stall (preset \
            xfs-kmem-alloc-loop). --ticks takes ticks of 10 ms or a duration (30s, 500ms, \
            2min, 1h).

            A session file (a scenario with timeline: and at:, as the TUI saves it) is \
            replayed: each user action is applied at its tick and appears in the log \
            there ("oomlab: policy oom_reaper: off -> on"). The run starts at tick 0 and \
            goes to --ticks (default: the scenario's ticks), whatever at: says. An action \
            that cannot apply at its tick (no live task with that pid then) is an error \
            that names its line in the file.

            Policy keys for --set: \(PolicySwitch.all.map { "\($0.key.rawValue) (\($0.usage))" }.joined(separator: ", ")). \
            era sets the defaults of the others, whatever order the --set options come in.

            Formats: text (every parameter, the dmesg-style log, the verdict), json (one \
            object: schema_version, scenario, seed, ticks, tick_ms, policy, verdict, oom_kills, events, \
            final, tasks), csv (a header, then one row per tick: tick, the page \
            categories, blocked, psi_some, psi_full).

            --max-output (default 256MiB) bounds the trace: every OOM report lists every \
            task and the kernel lets 10 reports through per 5 s, so a run of thousands of \
            tasks can print gigabytes. Past the limit the run stops with exit status 3: \
            text and CSV end at that tick, JSON prints nothing.
            """
    )

    @OptionGroup var options: ScenarioOptions

    @Option(help: "Output format: text, json or csv.")
    var format: RunTrace.Format = .text

    @Option(name: .customLong("save-as"), help: ArgumentHelp("Also save what was run, with the --set overrides and --seed/--ticks, to a file (a session file is saved as a session); expect checks that no longer hold with those options are left out, and listed on stderr.", valueName: "FILE"))
    var saveAs: String?

    @Flag(help: "With --save-as: replace an existing file (through a symbolic link, the file it points to; never a FIFO or device).")
    var force = false

    @Flag(help: "With --save-as --force: replace a file even if it has comments (they are lost).")
    var discardComments = false

    @Option(name: .customLong("max-output"),
            help: ArgumentHelp("Stop the run, exit status 3, once the trace passes SIZE (64MiB, 1GiB, or unlimited).",
                               valueName: "SIZE"))
    var maxOutput: OutputLimit = .standard

    func validate() throws {
        try maxOutput.check()
    }

    /// Above this many task-ticks a run says on stderr that it will take a
    /// while: busy programs step at a few hundred thousand to ten million
    /// task-ticks a second (`oomlab bench`).
    static let longRunTaskTicks = 100_000_000

    func run() throws {
        let session = try options.session()
        let s = session.scenario
        if let saveAs {
            if let sig = ProcessInfo.processInfo.environment["OOMLAB_TEST_SIGNAL_DURING_SAVE"].flatMap(Int32.init) {
                ScenarioWriter.raiseBeforePlacing(sig)
            }
            let filtered = ScenarioCheck.keepingHoldingChecks(session)
            do {
                if session.timeline.isEmpty && session.at == 0 {
                    try ScenarioWriter.save(filtered.session.scenario, to: saveAs, overwrite: force, discardComments: discardComments)
                } else {
                    try SessionWriter.save(filtered.session, to: saveAs, overwrite: force, discardComments: discardComments)
                }
            } catch where error == ScenarioWriter.commentsWouldBeLost(saveAs) {
                throw CLIError.failure("error: '\(saveAs)' has comments that saving would discard; "
                                       + "save under a new name, or add --discard-comments to replace it anyway")
            } catch {
                throw CLIError(error)
            }
            CLI.stderr("oomlab: saved \(saveAs)\n")
            if !filtered.dropped.isEmpty {
                let n = filtered.dropped.count
                CLI.stderr("oomlab: left out \(n) expect check\(n == 1 ? "" : "s") that no longer hold"
                           + " with these options (oomlab check would fail them):\n")
                for r in filtered.dropped {
                    CLI.stderr("  " + (r.variant.isEmpty ? "" : "[\(r.variant)] ") + r.message + "\n")
                }
            }
        }
        let work = s.tasks.count * s.ticks   // at most 200,000 * 10^8: fits
        if work > RunCommand.longRunTaskTicks {
            CLI.note("\(s.tasks.count) tasks for \(s.ticks) ticks (\(work) task-ticks) may take minutes; "
                     + "--ticks N runs fewer")
        }
        var trace = RunTrace(format: format, scenario: s, ticks: s.ticks)
        var out = OutputBuffer()
        var progress = Progress(total: s.ticks, tasks: s.tasks.count)
        if session.timeline.isEmpty {
            var kernel = Kernel(scenario: s)
            out.write(trace.header(kernel))
            for _ in 0..<s.ticks {
                let events = kernel.step()
                out.write(trace.tick(kernel, events: events))
                progress.update(kernel.tick)
                try checkOutput(&out, trace, tick: kernel.tick, of: s.ticks, progress: &progress)
                if kernel.panicVerdict != nil { break }
            }
            progress.finish()
            trace.footer(kernel) { out.write($0) }
        } else {
            // A Replay, not a Run: nothing is kept for going back, so memory stays flat.
            var replay: Replay
            do { replay = try Replay(scenario: s, timeline: session.timeline) } catch { throw CLIError(error) }
            // The parameters as the scenario states them, before any action.
            out.write(trace.header(Kernel(scenario: s)))
            out.write(trace.log(replay.initialEvents))
            for _ in 0..<s.ticks {
                let events: [Event]
                do { events = try replay.step() } catch { throw CLIError(error) }
                out.write(trace.tick(replay.kernel, events: events))
                progress.update(replay.kernel.tick)
                try checkOutput(&out, trace, tick: replay.kernel.tick, of: s.ticks, progress: &progress)
                if replay.kernel.panicVerdict != nil { break }
            }
            progress.finish()
            trace.footer(replay.kernel) { out.write($0) }
        }
        out.flush()
    }

    /// Stops the run once the trace (written, plus JSON events waiting for
    /// the footer) passes --max-output: text and CSV keep what was printed
    /// up to this tick, JSON prints nothing (half an object is no JSON).
    func checkOutput(_ out: inout OutputBuffer, _ trace: RunTrace, tick: Int, of ticks: Int,
                     progress: inout Progress) throws(CLIError) {
        let size = out.written + trace.spooledBytes
        guard maxOutput.exceeded(by: size) else { return }
        progress.finish()
        if format != .json { out.flush() }
        let advice = "fewer --ticks, or raise --max-output (unlimited lifts it)"
        throw CLIError(kind: .outputLimit, line: "oomlab: error: the trace passed --max-output \(maxOutput.text) at tick \(tick) of \(ticks); "
                       + (format == .json ? "nothing was printed" : "stdout ends there") + ". "
                       + (trace.scenario.tasks.count >= 100
                          ? "Each OOM report lists all \(trace.scenario.tasks.count) tasks; run " + advice
                          : "Run " + advice))
    }
}

extension RunTrace.Format: ExpressibleByArgument {}

/// Buffered stdout: a long CSV run writes megabytes.
struct OutputBuffer {
    var pending = ""
    /// Bytes written so far (flushed or pending), for --max-output.
    private(set) var written = 0
    mutating func write(_ s: String) {
        guard !s.isEmpty else { return }
        pending += s
        written += s.utf8.count
        if pending.utf8.count > 1 << 16 { flush() }
    }
    mutating func flush() {
        FileHandle.standardOutput.write(Data(pending.utf8))
        pending = ""
    }
}
