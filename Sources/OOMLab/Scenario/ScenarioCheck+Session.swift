import OOMLabKernel

/// `oomlab check` on a session: the expectations are judged on the run with
/// its timeline replayed (`expect_with` variants replay the same timeline
/// under their overrides).
extension ScenarioCheck {
    public static func run(_ session: Session) throws(ScenarioError) -> [Result] {
        guard !session.timeline.isEmpty else { return run(session.scenario) }
        let scenario = session.scenario
        var results: [Result] = []
        if let expect = scenario.expect {
            results += evaluate(expect, on: try replayed(scenario, session.timeline), variant: "")
        }
        for conditional in scenario.expectWith {
            var variant = scenario
            for (key, value) in conditional.set {
                try? variant.policy.set(key, value)
            }
            let name = conditional.set.map { "\($0.key.rawValue)=\($0.value)" }.joined(separator: " ")
            let kernel: Kernel
            do {
                kernel = try replayed(variant, session.timeline)
            } catch {
                throw ScenarioError("[\(name)] \(error.message)", at: error.location, suggestion: error.suggestion)
            }
            results += evaluate(conditional.expect, on: kernel, variant: name)
        }
        return results
    }

    /// The kernel at the scenario's last tick (or its panic), the timeline replayed.
    static func replayed(_ scenario: Scenario, _ timeline: Timeline) throws(ScenarioError) -> Kernel {
        var run = try Run(scenario: scenario, timeline: timeline)
        run.seek(to: scenario.ticks)
        return run.kernel
    }
}
