import OOMLabKernel

/// Runs a scenario and verifies what it says about itself: `expect` under
/// its own policy, and each `expect_with` entry under its overrides.
public enum ScenarioCheck {
    public struct Result: Equatable, Sendable {
        /// The overrides the run used ("" for the scenario's own policy).
        public var variant: String
        public var check: ExpectCheck
        public var passed: Bool
        /// What was expected and what happened, in one line.
        public var message: String
    }

    /// Every check of the scenario, in file order; a scenario without
    /// expectations gives none (the caller decides whether that is an error).
    public static func run(_ scenario: Scenario) -> [Result] {
        var results: [Result] = []
        if let expect = scenario.expect {
            results += evaluate(expect, on: run(scenario, ticks: scenario.ticks), variant: "")
        }
        for conditional in scenario.expectWith {
            var variant = scenario
            for (key, value) in conditional.set {
                try? variant.policy.set(key, value)
            }
            let name = conditional.set.map { "\($0.key.rawValue)=\($0.value)" }.joined(separator: " ")
            results += evaluate(conditional.expect, on: run(variant, ticks: variant.ticks), variant: name)
        }
        return results
    }

    /// The kernel after `ticks` steps (or at its panic).
    public static func run(_ scenario: Scenario, ticks: Int) -> Kernel {
        var k = Kernel(scenario: scenario)
        for _ in 0..<ticks {
            k.step()
            if k.panicVerdict != nil { break }
        }
        return k
    }

    public static func evaluate(_ expect: Expectation, on k: Kernel, variant: String) -> [Result] {
        expect.checks.map { check in
            let (passed, message) = judge(check.kind, k)
            return Result(variant: variant, check: check, passed: passed, message: message)
        }
    }

    static func judge(_ kind: ExpectCheck.Kind, _ k: Kernel) -> (Bool, String) {
        let v = k.verdict
        let kills = k.oomKills
        let killNames = Self.killNames(kills)
        switch kind {
        case .verdict(let want):
            let got = "\(v.headline): \(v.reason)"
            return v.kind == want ? (true, "verdict \(want.rawValue)") : (false, "expected verdict \(want.rawValue), got \(got)")
        case .verdictByTick(let limit):
            return v.tick <= limit ? (true, "verdict \(v.kind.rawValue) by tick \(limit) (at \(v.tick))")
                : (false, "expected the verdict by tick \(limit), got \(v.headline) (tick \(v.tick))")
        case .killed(let refs):
            let matches = refs.count == kills.count && zip(refs, kills).allSatisfy { ref, kill in
                switch ref {
                case .pid(let p): return kill.pid == p
                case .name(let n): return kill.name == n
                }
            }
            let want = refs.map(\.description).joined(separator: ", ")
            return matches ? (true, "killed \(want)") : (false, "expected OOM kills [\(want)], got \(killNames)")
        case .oomKills(let n):
            return kills.count == n ? (true, "\(n) OOM kill\(n == 1 ? "" : "s")")
                : (false, "expected \(n) OOM kills, got \(kills.count) (\(killNames))")
        case .firstKillByTick(let limit):
            guard let first = kills.first else { return (false, "expected an OOM kill by tick \(limit), got none") }
            return first.tick <= limit ? (true, "first kill by tick \(limit) (at \(first.tick))")
                : (false, "expected the first OOM kill by tick \(limit), got tick \(first.tick)")
        case .firstKillAfterTick(let limit):
            guard let first = kills.first else { return (false, "expected an OOM kill after tick \(limit), got none") }
            return first.tick >= limit ? (true, "first kill after tick \(limit) (at \(first.tick))")
                : (false, "expected the first OOM kill at or after tick \(limit), got tick \(first.tick)")
        }
    }

    /// At most this many kills are named in a message: a flood kills
    /// thousands, and a check's line stays one line (`oomlab check` prints
    /// one per check, so its output is bounded by the checks in the files).
    public static let killsNamed = 8

    /// "a[1] at tick 5, b[2] at tick 9", the first `killsNamed`, then "and N more".
    static func killNames(_ kills: [OOMKill]) -> String {
        guard !kills.isEmpty else { return "none" }
        let named = kills.prefix(killsNamed).map { "\($0.name)[\($0.pid)] at tick \($0.tick)" }.joined(separator: ", ")
        return kills.count > killsNamed ? named + " and \(kills.count - killsNamed) more" : named
    }
}
