import Foundation
import Testing
@testable import oomlab
@testable import OOMLab
@testable import OOMLabTUI
import OOMLabKernel

/// The command layer without a terminal or a child process: the first-argument
/// rule, --ticks, the CSV writer, compare on every core, typed errors.
@Suite("The command layer: unknown commands, --ticks, compare's rows and CSV, errors")
struct CLITests {
    static let builtin = PresetLibrary(directories: ["builtin:presets"])

    @Test("a first argument that is no command, file or preset is a usage error with did-you-mean")
    func unknownCommand() throws {
        #expect(RootCommand.unknownCommand(["rnu"], presets: Self.builtin)
                == .usage("error: unknown command or preset 'rnu'; did you mean 'run'?"))
        #expect(RootCommand.unknownCommand(["rnu"], presets: Self.builtin)?.exitCode == 64)
        #expect(RootCommand.unknownCommand(["xfs-kmem-aloc-loop"], presets: Self.builtin)
                == .usage("error: unknown command or preset 'xfs-kmem-aloc-loop'; did you mean 'xfs-kmem-alloc-loop'?"))
        #expect(RootCommand.unknownCommand(["zzzzqqq"], presets: Self.builtin)
                == .usage("error: unknown command or preset 'zzzzqqq'; see 'oomlab --help' for the commands and 'oomlab presets' for the presets"))
        // What is left to the parser and the TUI:
        for fine in [[], ["run"], ["help"], ["compare", "x"], ["--help"], ["simple-leak"], ["nothing.yaml"], ["./x"],
                     ["builtin:presets/oom-reaper.yaml"]] {
            #expect(RootCommand.unknownCommand(fine, presets: Self.builtin) == nil, "\(fine)")
        }
        #expect(RootCommand.commandNames.contains("explain-report") && RootCommand.commandNames.contains("help"))
    }

    @Test("--ticks: plain numbers are ticks, durations as the YAML writes them, out of range is an error")
    func ticks() throws {
        let cases: [(String, Int)] = [("12", 12), ("0", 0), ("30s", 3000), ("500ms", 50), ("15ms", 2), ("2min", 12000),
                                      ("1h", 360_000), ("1.5s", 150), ("100000000", 100_000_000)]
        for (text, ticks) in cases {
            let t = try #require(TickCount(argument: text))
            #expect(t.parsed == .success(ticks), "\(text)")
            #expect(throws: Never.self) { try t.check() }
        }
        for text in ["3x", "", "-5", "s", "1e3"] {
            #expect(TickCount(argument: text)?.parsed == .failure(.malformed), "\(text)")
        }
        for text in ["100000001", "1000001s", "99999999999h", "999999999999999999999999"] {
            #expect(TickCount(argument: text)?.parsed == .failure(.outOfRange), "\(text)")
        }
        let huge = try #require(TickCount(argument: "99999999999h"))
        #expect(throws: (any Error).self) { try huge.check() }
        do { try huge.check() } catch {
            #expect("\(error)" == "--ticks must be between 0 and 100000000 ticks (1000000 s); '99999999999h' is out of range")
        }
        do { try TickCount(0).check(minimum: 1) } catch {
            #expect("\(error)" == "--ticks must be between 1 and 100000000 ticks (1000000 s); '0' is out of range")
        }
        do { try #require(TickCount(argument: "3x")).check() } catch {
            #expect("\(error)"
                    == "--ticks takes ticks of 10 ms or a duration with ms, s, min or h (30s, 500ms), between 0 and 100000000 ticks (1000000 s); not '3x'")
        }
        let run = try RunCommand.parse(["simple-leak", "--ticks", "2s", "--seed", "7", "--set", "oom_reaper=on"])
        let session = try run.options.session()
        #expect(session.scenario.ticks == 200 && session.scenario.seed == 7 && session.scenario.policy.resolved.oomReaper)
    }

    @Test("run, compare and tui share one option group, and their help says the same")
    func sharedOptions() throws {
        for help in [RunCommand.helpMessage(columns: 200), CompareCommand.helpMessage(columns: 200), TUICommand.helpMessage(columns: 200)] {
            #expect(help.contains("--set <KEY=VALUE>"))
            #expect(help.contains("--seed <seed>"))
            #expect(help.contains("--ticks <DURATION>"))
            #expect(help.contains("How long to run: ticks of 10 ms, or a duration such as 30s, 500ms, 2min"))
        }
        #expect(throws: (any Error).self) { try TUICommand.parse(["--lesson", "tif-memdie-2015", "--seed", "3"]) }
    }

    @Test("CSV cells are quoted as RFC 4180 says")
    func csvQuoting() {
        #expect(CSV.cell("plain") == "plain")
        #expect(CSV.cell("a,b") == "\"a,b\"")
        #expect(CSV.cell("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSV.cell("two\nlines") == "\"two\nlines\"")
        #expect(CSV.cell("cr\r") == "\"cr\r\"")
        #expect(CSV.row(["x", "y,z", ""]) == "x,\"y,z\",\n")
    }

    @Test("compare on every core gives the rows one core gives, in the same order; CSV has one row per variant")
    func parallelCompare() throws {
        var scenario = try Self.builtin.load("simple-leak")
        scenario.ticks = 400
        let keys: [PolicyKey] = [.era, .oomReaper, .oomInvocation]
        let sequential = PolicyComparison.run(scenario, vary: keys)
        let parallel = try CompareCommand.run(PolicyComparison.variants(scenario, vary: keys))
        #expect(parallel == sequential)
        #expect(parallel.map(\.variant) == ["baseline", "era=modern", "oom_reaper=on", "oom_invocation=kswapd"])
        let session = Session(scenario: scenario)
        let forked = try CompareCommand.run(PolicyComparison.variants(session, from: 100, vary: keys))
        #expect(forked == (try PolicyComparison.run(session, from: 100, vary: keys)))
        let lines = CompareCommand.csv(parallel).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == parallel.count + 2)   // header, rows, and the empty string after the last "\n"
        #expect(lines[0] == "policy,verdict,began_tick,first_kill_tick,first_kill_pid,first_kill_name,recovered_tick,stalled_ticks,kills,reclaimed_kswapd,reclaimed_direct")
        for (line, row) in zip(lines.dropFirst(), parallel) {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            #expect(cells.count == CompareCommand.csvHeader.count)
            #expect(cells[0] == row.variant && cells[1] == row.outcome.verdict.kind.rawValue)
            #expect(cells[8] == String(row.outcome.kills) && cells[7] == String(row.outcome.stalledTicks))
            #expect(cells[3] == (row.outcome.firstKill.map { String($0.tick) } ?? ""))
        }
    }

    @Test("errors are typed: a located scenario error prints compiler-style, others after 'oomlab: '")
    func typedErrors() {
        let located = ScenarioError("unknown key 'gpf'", at: SourceLocation(file: "x.yaml", line: 3, column: 5), suggestion: "gfp")
        #expect(CLIError(located).line == "x.yaml:3:5: error: unknown key 'gpf'; did you mean 'gfp'?")
        #expect(CLIError(located).exitCode == 1)
        let unlocated = ScenarioError("no preset named 'x'")
        #expect(CLIError(unlocated, kind: .usage) == CLIError(kind: .usage, line: "oomlab: error: no preset named 'x'"))
        #expect(CLIError(unlocated, kind: .usage).exitCode == 64)
        #expect(CLIError.failure("r.txt: the file is empty").line == "oomlab: r.txt: the file is empty")
        #expect(CLIError.from(located) == CLIError(located))
        #expect(throws: CLIError(ScenarioError("no preset named 'simple-lek' (looked in builtin:presets)", suggestion: "simple-leak"),
                                 kind: .usage)) {
            try ScenarioArgument.resolve("simple-lek", in: Self.builtin)
        }
    }

    @Test("the TUI's picker lists the built-in presets in a folder without any, and opens each")
    func pickerAnywhere() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("oomlab-picker-\(UUID().uuidString)").path
        let files = PresetFiles(library: Self.builtin, folder: empty)
        let entries = files.openable().filter { !$0.isLesson }
        #expect(entries.map(\.label) == Self.builtin.list().map(\.name))
        #expect(entries.count == ShippedPresetCount.value, "every file in presets/ is built in")
        for entry in entries {
            #expect(entry.path.hasPrefix("builtin:presets/"))
            #expect(!entry.detail.hasPrefix("does not load"), "\(entry.label): \(entry.detail)")
            let session = try files.load(path: entry.path)
            #expect(session.scenario.name == entry.label)
        }
    }

    @Test("run's progress: shown for 10,000 ticks or a heavy run (200,000 tasks for 3,000 ticks), read every tick once tasks are many")
    func runProgress() {
        final class Sink { var text = "" }
        let heavy = Sink()
        var p = Progress(total: 3000, tasks: 200_000, terminal: true, write: { heavy.text += $0 })
        #expect(p.enabled && p.mask == 0)
        Thread.sleep(forTimeInterval: 0.3)
        p.update(7)
        p.finish()
        #expect(heavy.text == "\rtick 7/3000 (0%)\r\u{1B}[K")
        #expect(Progress(total: 10_000, tasks: 1, terminal: true).enabled)
        #expect(!Progress(total: 3000, tasks: 10, terminal: true).enabled, "a short light run draws nothing")
        #expect(!Progress(total: 3000, tasks: 200_000, terminal: false).enabled, "never into a pipe")
        #expect(Progress(total: 3000, tasks: 10, terminal: true).mask == 1023)
    }

    @Test("compare's progress: a count on a terminal, redrawn at most 4 times a second, cleared at the end; nothing otherwise")
    func progress() {
        final class Sink: @unchecked Sendable {
            let lock = NSLock()
            var text = ""
            func add(_ s: String) { lock.withLock { text += s } }
        }
        let shown = Sink()
        let p = CountProgress(total: 3, what: "variants", enabled: true, write: shown.add)
        for _ in 0..<3 { p.done() }
        p.finish()
        // The first finish shows at once; later ones only if a quarter second passed
        // (on a busy machine it may have), and the line is cleared at the end.
        #expect(shown.text.hasPrefix("\r1/3 variants done"))
        #expect(shown.text.hasSuffix("\r\u{1B}[K"))
        let drawn = shown.text.dropLast(4).split(separator: "\r").map(String.init)
        #expect(drawn.allSatisfy { ["1/3 variants done", "2/3 variants done", "3/3 variants done"].contains($0) }, "\(drawn)")
        #expect(p.count == 3)
        let hidden = Sink()
        let q = CountProgress(total: 3, what: "variants", enabled: false, write: hidden.add)
        for _ in 0..<3 { q.done() }
        q.finish()
        #expect(hidden.text.isEmpty)
    }
}
