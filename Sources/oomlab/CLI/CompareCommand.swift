import ArgumentParser
import Foundation
import OOMLab
import OOMLabKernel

/// `oomlab compare`: the one-screen answer to "which of the 2015 proposals
/// fixes this?".
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Run one scenario under each value of the policy switches and tabulate the outcomes.",
        discussion: """
            Starts from the scenario's own policy (plus any --set) and changes one switch \
            at a time. Without --vary: era, oom_invocation, oom_reaper, reservations. \
            Columns: the policy change; the verdict at the end; when trouble began (the \
            first change from ok: an OOM kill, a stall, a livelock); the first OOM kill \
            (tick and victim); when the run recovered (every victim exited or was reaped \
            and the allocations waiting on the kills were served); time spent stalled \
            (stall, livelock or deadlock, counted from when each began); the number of OOM \
            kills; pages reclaimed by kswapd and by direct reclaim. --format json gives \
            each row the same verdict object (with its history) and oom_kills list as \
            `oomlab run --format json`; --format csv gives a header row and one row per \
            variant: the table's columns with times as tick numbers and the first kill \
            split into its tick, pid and name (RFC 4180 quoting).

            The variants run in parallel, one per core; the output is the same, in the \
            same order, as when they run one after another. While they run, stderr shows \
            how many have finished, when stderr is a terminal.

            --from TICK forks at TICK instead of starting each variant at tick 0: the \
            scenario runs to TICK once, and each row continues from a copy of that state, \
            the baseline unchanged and each variant with its switch set at TICK as the \
            TUI's key sets it (as --set does: era re-derives the switches not set \
            explicitly). A session file (timeline: and at:) replays its actions up to the \
            fork tick, which is --from or else its at:; actions after it are left out of \
            every row.
            """
    )

    @OptionGroup var options: ScenarioOptions

    @Option(name: .customLong("vary"), help: ArgumentHelp("A policy key to vary (repeatable).", valueName: "KEY"))
    var vary: [String] = []

    @Option(help: ArgumentHelp("Fork at this tick instead of tick 0 (a session: default its at:).", valueName: "TICK"))
    var from: Int?

    @Option(help: "Output format: text, json or csv.")
    var format: CompareFormat = .text

    @Option(name: .customLong("max-output"),
            help: ArgumentHelp("Print nothing and exit 3 if the output would pass this size (as run's; unlimited lifts it).",
                               valueName: "SIZE"))
    var maxOutput: OutputLimit = .standard

    enum CompareFormat: String, ExpressibleByArgument, CaseIterable { case text, json, csv }

    func keys() throws -> [PolicyKey] {
        if vary.isEmpty { return PolicyComparison.defaultKeys }
        return try vary.map(ScenarioArgument.policyKey)
    }

    func validate() throws {
        try maxOutput.check()
        _ = try keys()
        try options.ticks?.check(minimum: 1)
        let ticks = options.ticks?.value
        if let from, from < 0 || from > (ticks ?? Scenario.Limits.maxTicks) {
            throw ValidationError("--from must be between 0 and \(ticks.map { "--ticks (\($0))" } ?? String(Scenario.Limits.maxTicks))")
        }
    }

    func run() throws {
        let session = try options.session()
        let s = session.scenario
        let ticks = options.ticks?.value
        let fork = from ?? (session.timeline.isEmpty ? nil : session.at)
        let keys = try keys()
        let variants: [PolicyComparison.Variant]
        if let fork {
            if fork > s.ticks {
                throw CLIError.failure("--from \(fork) is past the end of the run (\(s.ticks) ticks); raise --ticks")
            }
            do {
                variants = try PolicyComparison.variants(Session(scenario: s, timeline: session.timeline), from: fork,
                                                         vary: keys, ticks: ticks)
            } catch { throw CLIError(error) }
        } else {
            variants = PolicyComparison.variants(s, vary: keys, ticks: ticks)
        }
        let rows = try Self.run(variants)
        let output: String
        switch format {
        case .json: output = PolicyComparison.json(s, rows, from: fork).rendered() + "\n"
        case .csv: output = Self.csv(rows)
        case .text: output = Self.text(s, rows, fork: fork)
        }
        // A row is one line of text or CSV, but JSON lists every OOM kill
        // of every variant: a flood of kills makes it as large as run's.
        let size = output.utf8.count
        if maxOutput.exceeded(by: size) {
            throw CLIError(kind: .outputLimit, line: "oomlab: error: the comparison is \(size) bytes, past --max-output \(maxOutput.text); "
                           + "nothing was printed. Raise --max-output (unlimited lifts it)")
        }
        print(output, terminator: "")
    }

    /// Every variant on every core, in the order given; "3/7 variants" on
    /// stderr while they run, when stderr is a terminal.
    static func run(_ variants: [PolicyComparison.Variant]) throws(CLIError) -> [PolicyComparison.Row] {
        let progress = CountProgress(total: variants.count, what: "variants")
        let results = ParallelMap.run(variants) { variant -> Result<PolicyComparison.Row, ScenarioError> in
            defer { progress.done() }
            do throws(ScenarioError) { return .success(try PolicyComparison.row(variant)) } catch { return .failure(error) }
        }
        progress.finish()
        var rows: [PolicyComparison.Row] = []
        for result in results {
            switch result {
            case .success(let row): rows.append(row)
            case .failure(let error): throw CLIError(error)
            }
        }
        return rows
    }

    /// The columns of a row, as the table and the CSV share them: the cells
    /// as the table prints them.
    static let header = ["policy", "verdict", "began", "first OOM kill", "recovered", "stalled", "kills", "kswapd", "direct"]

    static func cells(_ r: PolicyComparison.Row) -> [String] {
        let o = r.outcome
        let kill = o.firstKill.map { "\(seconds($0.tick)) \($0.name)[\($0.pid)]" } ?? "none"
        return [r.variant, o.verdict.kind.rawValue, o.troubleTick.map(seconds) ?? "-", kill,
                o.recoveredTick.map(seconds) ?? "-", seconds(o.stalledTicks), String(o.kills),
                String(r.reclaimedByKswapd), String(r.reclaimedDirect)]
    }

    static func text(_ s: Scenario, _ rows: [PolicyComparison.Row], fork: Int?) -> String {
        let base = rows[0].policy
        var out = "\(s.name): \(s.ticks) ticks" + (fork.map { ", forked at tick \($0) (\(seconds($0)))" } ?? "") + "; baseline "
            + PolicyComparison.defaultKeys.map { "\($0.rawValue)=\(base.value(of: $0))" }.joined(separator: " ") + "\n"
        let leftAligned: Set<Int> = [0, 1, 3]
        let table = [header] + rows.map(cells)
        let widths = (0..<header.count).map { c in table.map { $0[c].count }.max() ?? 0 }
        for (n, row) in table.enumerated() {
            let padded = row.enumerated().map { c, cell in
                leftAligned.contains(c) ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0) : cell.leftPad(widths[c])
            }
            out += padded.joined(separator: "  ") + "\n"
            if n == 0 { out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
        }
        out += "began: the first change from ok; recovered: when every victim was gone and the waiting allocations served\n"
        out += "stalled: time in stall, livelock or deadlock; kswapd/direct: pages reclaimed\n"
        return out
    }

    /// One header row and one row per variant: the table's columns split
    /// where a number stands alone (times in ticks, the first kill's tick,
    /// pid and name apart), so a spreadsheet can compute with them.
    static let csvHeader = ["policy", "verdict", "began_tick", "first_kill_tick", "first_kill_pid", "first_kill_name",
                            "recovered_tick", "stalled_ticks", "kills", "reclaimed_kswapd", "reclaimed_direct"]

    static func csv(_ rows: [PolicyComparison.Row]) -> String {
        var out = CSV.row(csvHeader)
        for r in rows {
            let o = r.outcome
            out += CSV.row([r.variant, o.verdict.kind.rawValue, o.troubleTick.map(String.init) ?? "",
                            o.firstKill.map { String($0.tick) } ?? "", o.firstKill.map { String($0.pid) } ?? "",
                            o.firstKill?.name ?? "", o.recoveredTick.map(String.init) ?? "", String(o.stalledTicks),
                            String(o.kills), String(r.reclaimedByKswapd), String(r.reclaimedDirect)])
        }
        return out
    }

    static func seconds(_ ticks: Int) -> String { Units.seconds(ms: Units.ms(ticks: ticks)) + "s" }
}
