/// What a session file holds: the scenario as loaded, the timeline of the
/// user's actions, and where the user stood (`at`). Replaying it gives the
/// run back exactly (`Run(session:)`); the format is in presets/README.md.
public struct Session: Equatable, Sendable {
    public var scenario: Scenario
    public var timeline: Timeline
    /// The tick the user stood at.
    public var at: Int

    public init(scenario: Scenario, timeline: Timeline = Timeline(), at: Int = 0) {
        self.scenario = scenario
        self.timeline = timeline
        self.at = at
    }
}

extension Run {
    /// The session's run, replayed and standing at its `at`.
    public init(session: Session, keyframeBudgetBytes: Int = Run.defaultKeyframeBudget) throws(ScenarioError) {
        try self.init(scenario: session.scenario, timeline: session.timeline, keyframeBudgetBytes: keyframeBudgetBytes)
        seek(to: session.at)
    }
}
