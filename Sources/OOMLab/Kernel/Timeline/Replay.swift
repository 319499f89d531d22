/// A session's timeline replayed forward once, keeping nothing behind: the
/// kernel, and the actions still to come. `oomlab run SESSION` streams from
/// it, so its memory does not grow with the run's length, where a `Run`
/// keeps every event, every tick's sample and keyframes to go back to.
///
/// It logs what `Run.step` logs, in the same order: a tick's kernel events,
/// then the user events of the actions stamped with that tick (the events
/// `Kernel.step` hands back again a tick later are left out, as `Run` leaves
/// them out). `ReplayTests` compares the two on every preset.
public struct Replay: Sendable {
    public private(set) var kernel: Kernel
    private let timeline: Timeline
    /// What tick 0 logged: the kernel's boot lines and the user events of the
    /// actions at tick 0 (`Run.events(at: 0)`).
    public private(set) var initialEvents: [Event]

    /// Checks the whole timeline first, as `Run(scenario:timeline:)` does
    /// (an action that cannot apply at its tick is a located error before
    /// anything is printed); that check keeps no more than a small keyframe
    /// budget and the events up to the last action.
    public init(scenario: Scenario, timeline: Timeline) throws(ScenarioError) {
        _ = try Run(scenario: scenario, timeline: timeline, keyframeBudgetBytes: 1 << 20)
        self.timeline = timeline
        kernel = Kernel(scenario: scenario)
        initialEvents = kernel.printk.recent
        initialEvents += try applyActions()
    }

    /// Steps one tick and applies the actions stamped with it; returns what
    /// the tick logged. Does nothing once the kernel panicked.
    public mutating func step() throws(ScenarioError) -> [Event] {
        guard kernel.panicVerdict == nil else { return [] }
        // What actions logged (and printed) was returned when they were applied.
        let carried = kernel.printk.pendingUser.count
        var events = Array(kernel.step().dropFirst(carried))
        events += try applyActions()
        return events
    }

    /// Applies the timeline's actions at the kernel's tick; their user events.
    private mutating func applyActions() throws(ScenarioError) -> [Event] {
        try timeline.apply(at: kernel.tick, to: &kernel)
    }
}
