import OOMLabKernel

/// "Which of the 2015 proposals fixes this?": one scenario run under each
/// value of some policy switches, one at a time from the scenario's own policy.
public enum PolicyComparison {
    public struct Row: Equatable, Sendable {
        /// "baseline" or the override, e.g. "oom_reaper=on".
        public var variant: String
        public var policy: Policy
        /// The verdict, its history and the totals, as `run` reports them.
        public var outcome: OutcomeSummary
        public var reclaimedByKswapd: Int
        public var reclaimedDirect: Int
    }

    /// The switches compared when none are named.
    public static let defaultKeys: [PolicyKey] = [.era, .oomInvocation, .oomReaper, .reservations]

    /// The values tried for a key (`PolicySwitch.compared`).
    public static func values(for key: PolicyKey) -> [String] { key.descriptor.compared }

    /// One row still to run: its name and where it starts. Variants share
    /// nothing, so `row(_:)` may run them on any thread in any order.
    public struct Variant: Sendable {
        /// "baseline" or the override, e.g. "oom_reaper=on".
        public var name: String
        var start: Start

        enum Start: Sendable {
            /// From tick 0 with this scenario, for this many ticks.
            case scenario(Scenario, ticks: Int)
            /// A fork of the run at its position, these actions applied there, stepped to `end`.
            case fork(Run, actions: [UserAction], end: Int)
        }
    }

    /// The baseline, then every other value of each key.
    public static func run(_ scenario: Scenario, vary keys: [PolicyKey], ticks: Int? = nil) -> [Row] {
        variants(scenario, vary: keys, ticks: ticks).compactMap { try? row($0) }
    }

    /// The rows `run(_:vary:ticks:)` makes, not yet run: the baseline, then
    /// every other value of each key, from tick 0.
    public static func variants(_ scenario: Scenario, vary keys: [PolicyKey], ticks: Int? = nil) -> [Variant] {
        let base = scenario.policy.resolved
        let end = ticks ?? scenario.ticks
        var variants = [Variant(name: "baseline", start: .scenario(scenario, ticks: end))]
        for key in keys {
            for value in values(for: key) where value != base.value(of: key) {
                var variant = scenario
                try? variant.policy.set(key, value)
                variants.append(Variant(name: "\(key.rawValue)=\(value)", start: .scenario(variant, ticks: end)))
            }
        }
        return variants
    }

    /// From a moment: the session's run up to tick `from` (its actions up to
    /// then), forked there once per row. The baseline goes on unchanged; each
    /// variant sets one switch at `from` as the TUI's key would
    /// (`Kernel.setPolicy`, with the meaning `--set` has: era re-derives the
    /// switches not set explicitly). Actions after `from` are left out of every row, so
    /// the rows differ by the switch alone. Each row ends at tick `ticks`
    /// (default: the scenario's).
    public static func run(_ session: Session, from: Int, vary keys: [PolicyKey],
                           ticks: Int? = nil) throws(ScenarioError) -> [Row] {
        var rows: [Row] = []
        for variant in try variants(session, from: from, vary: keys, ticks: ticks) { rows.append(try row(variant)) }
        return rows
    }

    /// The rows `run(_:from:vary:ticks:)` makes, not yet run: the session is
    /// replayed to `from` once, here; each row forks from that state.
    public static func variants(_ session: Session, from: Int, vary keys: [PolicyKey],
                                ticks: Int? = nil) throws(ScenarioError) -> [Variant] {
        var base = try Run(scenario: session.scenario, timeline: session.timeline)
        base.seek(to: from)
        let end = ticks ?? session.scenario.ticks
        let policy = base.kernel.policy
        var variants = [Variant(name: "baseline", start: .fork(base, actions: [], end: end))]
        for key in keys {
            for value in values(for: key) where value != policy.value(of: key) {
                variants.append(Variant(name: "\(key.rawValue)=\(value)", start: .fork(base, actions: [.setPolicy(key, value)], end: end)))
            }
        }
        return variants
    }

    /// Runs one variant to its end.
    public static func row(_ variant: Variant) throws(ScenarioError) -> Row {
        switch variant.start {
        case .scenario(let scenario, let ticks):
            return row(ScenarioCheck.run(scenario, ticks: ticks), variant: variant.name)
        case .fork(let base, let actions, let end):
            var fork: Run
            do { fork = try base.fork(at: base.position, with: actions) } catch {
                throw ScenarioError("cannot set \(variant.name) at tick \(base.position): \(error)")
            }
            fork.seek(to: end)
            return row(fork.kernel, variant: variant.name)
        }
    }

    static func row(_ k: Kernel, variant: String) -> Row {
        Row(variant: variant, policy: k.policy, outcome: OutcomeSummary(k),
                   reclaimedByKswapd: k.kswapd.reclaimedTotal, reclaimedDirect: k.directReclaimedTotal)
    }

    /// The rows as JSON; `from` (the fork tick, if any) follows the scenario name.
    public static func json(_ scenario: Scenario, _ rows: [Row], from: Int? = nil) -> JSON {
        .object([("schema_version", .int(JSON.schemaVersion)), ("scenario", .string(scenario.name))] + (from.map { [("from", JSON.int($0))] } ?? []) + [
            ("rows", .array(rows.map { r in
                .object([
                    ("variant", .string(r.variant)),
                    ("policy", r.policy.json),
                    ("verdict", r.outcome.json),
                    ("oom_kills", .array(r.outcome.killList.map(\.json))),
                    ("reclaimed_kswapd", .int(r.reclaimedByKswapd)),
                    ("reclaimed_direct", .int(r.reclaimedDirect)),
                ])
            })),
        ])
    }
}
