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

    /// The baseline, then every other value of each key.
    public static func run(_ scenario: Scenario, vary keys: [PolicyKey], ticks: Int? = nil) -> [Row] {
        let base = scenario.policy.resolved
        var rows = [row(scenario, variant: "baseline", ticks: ticks ?? scenario.ticks)]
        for key in keys {
            for value in values(for: key) where value != base.value(of: key) {
                var variant = scenario
                try? variant.policy.set(key, value)
                rows.append(row(variant, variant: "\(key.rawValue)=\(value)", ticks: ticks ?? scenario.ticks))
            }
        }
        return rows
    }

    static func row(_ scenario: Scenario, variant: String, ticks: Int) -> Row {
        row(ScenarioCheck.run(scenario, ticks: ticks), variant: variant)
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
        var base = try Run(scenario: session.scenario, timeline: session.timeline)
        base.seek(to: from)
        let end = ticks ?? session.scenario.ticks
        let policy = base.kernel.policy
        var variants: [(String, [UserAction])] = [("baseline", [])]
        for key in keys {
            for value in values(for: key) where value != policy.value(of: key) {
                variants.append(("\(key.rawValue)=\(value)", [.setPolicy(key, value)]))
            }
        }
        var rows: [Row] = []
        for (name, actions) in variants {
            var fork: Run
            do { fork = try base.fork(at: base.position, with: actions) } catch {
                throw ScenarioError("cannot set \(name) at tick \(base.position): \(error)")
            }
            fork.seek(to: end)
            rows.append(row(fork.kernel, variant: name))
        }
        return rows
    }

    static func row(_ k: Kernel, variant: String) -> Row {
        Row(variant: variant, policy: k.policy, outcome: OutcomeSummary(k),
                   reclaimedByKswapd: k.kswapd.reclaimedTotal, reclaimedDirect: k.directReclaimedTotal)
    }

    /// The rows as JSON, for scripts.
    /// The rows as JSON; `from` (the fork tick, if any) follows the scenario name.
    public static func json(_ scenario: Scenario, _ rows: [Row], from: Int? = nil) -> JSON {
        .object([("scenario", .string(scenario.name))] + (from.map { [("from", JSON.int($0))] } ?? []) + [
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
