import ArgumentParser
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
            `oomlab run --format json`.

            --from TICK forks at TICK instead of starting each variant at tick 0: the \
            scenario runs to TICK once, and each row continues from a copy of that state, \
            the baseline unchanged and each variant with its switch set at TICK as the \
            TUI's key sets it (as --set does: era re-derives the switches not set \
            explicitly). A session file (timeline: and at:) replays its actions up to the \
            fork tick, which is --from or else its at:; actions after it are left out of \
            every row.
            """
    )

    @Argument(help: "A scenario or session file, or a preset name (default: the built-in scenario).")
    var scenario: String?

    @Option(name: .customLong("vary"), help: ArgumentHelp("A policy key to vary (repeatable).", valueName: "KEY"))
    var vary: [String] = []

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a policy switch first.", valueName: "KEY=VALUE"))
    var sets: [String] = []

    @Option(help: "Ticks to run each variant (default: the scenario's own).")
    var ticks: Int?

    @Option(help: ArgumentHelp("Fork at this tick instead of tick 0 (a session: default its at:).", valueName: "TICK"))
    var from: Int?

    @Option(help: "Output format: text or json.")
    var format: CompareFormat = .text

    enum CompareFormat: String, ExpressibleByArgument { case text, json }

    func keys() throws -> [PolicyKey] {
        if vary.isEmpty { return PolicyComparison.defaultKeys }
        return try vary.map { name in
            guard let key = PolicyKey(rawValue: name) else {
                let names = PolicyKey.allCases.map(\.rawValue)
                let hint = DidYouMean.suggestion(for: name, in: names).map { "; did you mean '\($0)'?" } ?? ""
                throw ValidationError("unknown policy key '\(name)'\(hint)")
            }
            return key
        }
    }

    func validate() throws {
        _ = try keys()
        var probe = PolicySpec()
        try ScenarioArgument.apply(sets, to: &probe)
        if let ticks, ticks < 1 || ticks > Scenario.Limits.maxTicks { throw ValidationError("--ticks must be between 1 and \(Scenario.Limits.maxTicks)") }
        if let from, from < 0 || from > (ticks ?? Scenario.Limits.maxTicks) {
            throw ValidationError("--from must be between 0 and \(ticks.map { "--ticks (\($0))" } ?? String(Scenario.Limits.maxTicks))")
        }
    }

    func run() throws {
        let session: Session
        do { session = try ScenarioArgument.loadSession(scenario) } catch { throw CLI.fail(error) }
        var s = session.scenario
        try ScenarioArgument.apply(sets, to: &s)
        let fork = from ?? (session.timeline.isEmpty ? nil : session.at)
        let rows: [PolicyComparison.Row]
        if let fork {
            if fork > (ticks ?? s.ticks) {
                throw CLI.fail(CLIError("--from \(fork) is past the end of the run (\(ticks ?? s.ticks) ticks); raise --ticks"))
            }
            do {
                rows = try PolicyComparison.run(Session(scenario: s, timeline: session.timeline), from: fork,
                                                vary: try keys(), ticks: ticks)
            } catch { throw CLI.fail(error) }
        } else {
            rows = PolicyComparison.run(s, vary: try keys(), ticks: ticks)
        }
        switch format {
        case .json:
            print(PolicyComparison.json(s, rows, from: fork).rendered())
        case .text:
            let base = rows[0].policy
            print("\(s.name): \(ticks ?? s.ticks) ticks" + (fork.map { ", forked at tick \($0) (\(Self.seconds($0)))" } ?? "") + "; baseline " + PolicyComparison.defaultKeys.map { "\($0.rawValue)=\(base.value(of: $0))" }.joined(separator: " "))
            let header = ["policy", "verdict", "began", "first OOM kill", "recovered", "stalled", "kills", "kswapd", "direct"]
            let leftAligned: Set<Int> = [0, 1, 3]
            var table = [header]
            for r in rows {
                let o = r.outcome
                let kill = o.firstKill.map { "\(Self.seconds($0.tick)) \($0.name)[\($0.pid)]" } ?? "none"
                table.append([r.variant, o.verdict.kind.rawValue, o.troubleTick.map(Self.seconds) ?? "-", kill,
                              o.recoveredTick.map(Self.seconds) ?? "-", Self.seconds(o.stalledTicks), String(o.kills),
                              String(r.reclaimedByKswapd), String(r.reclaimedDirect)])
            }
            let widths = (0..<header.count).map { c in table.map { $0[c].count }.max() ?? 0 }
            for (n, row) in table.enumerated() {
                let cells = row.enumerated().map { c, cell in
                    leftAligned.contains(c) ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0) : cell.leftPad(widths[c])
                }
                print(cells.joined(separator: "  "))
                if n == 0 { print(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
            }
            print("began: the first change from ok; recovered: when every victim was gone and the waiting allocations served")
            print("stalled: time in stall, livelock or deadlock; kswapd/direct: pages reclaimed")
        }
    }

    static func seconds(_ ticks: Int) -> String { Units.seconds(ms: Units.ms(ticks: ticks)) + "s" }
}
