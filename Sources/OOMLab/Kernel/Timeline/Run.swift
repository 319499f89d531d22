/// A run: a scenario, its seed, and a timeline of user actions. Everything
/// the kernel shows at any tick is a function of those three, so a run can
/// go back to any tick it has passed, replay forward, take a different
/// action there, or fork.
///
/// It keeps, beside the current kernel:
/// - keyframes (kernel copies) every `keyframeInterval` ticks within a memory
///   budget; seeking restores the last one at or before the target and steps;
/// - the event log and every tick's metrics sample up to `frontier`, the
///   furthest tick computed on this timeline, from which a restored keyframe
///   gets back the kernel's recent-events log and history ring, and markers.
///
/// Seeking gives exactly the state that stepping forward gives (whole-kernel
/// equality; the tests check it for every preset). Stepping at the frontier
/// records; stepping behind it replays, re-applying the recorded actions.
/// An action taken behind the frontier replaces the old future, which stays
/// reachable as `replacedFuture` until discarded.
public struct Run: Sendable {
    /// The scenario as loaded; the seed is its `seed`.
    public let scenario: Scenario
    public var seed: UInt64 { scenario.seed }
    public internal(set) var timeline: Timeline
    /// The kernel at `position`, with the actions of that tick applied.
    public internal(set) var kernel: Kernel
    /// The furthest tick computed on this timeline.
    public internal(set) var frontier = 0
    /// Every event up to `frontier`, in the order the kernel logged them,
    /// at most `EventLog.defaultByteLimit` of them (the oldest go first).
    public internal(set) var log: EventLog
    var keyframes: KeyframeStore
    var samples = SampleLog()
    /// Markers the kernel produced up to `frontier` (user actions come from the timeline).
    var detected: [Marker] = []
    /// The timeline as last saved or loaded, for `unsavedActionCount`.
    var saved: Timeline
    var replaced: ReplacedFuture?

    /// Keyframes every 64 ticks to start with, doubling when over budget.
    public static let initialKeyframeInterval = 64
    /// What keyframes may cost, estimated: 80 MiB (`oomlab bench` measures a
    /// 1,000-task, 360,000-tick run against the 100 MB goal).
    public static let defaultKeyframeBudget = 80 << 20

    /// A run of `scenario` that will replay `timeline`. The whole timeline is
    /// replayed once here, so an action that cannot apply at its tick (a pid
    /// with no live task then, a lock it does not hold) is a located error
    /// now rather than a surprise later. The run then stands at tick 0.
    public init(scenario: Scenario, timeline: Timeline = Timeline(),
                keyframeBudgetBytes: Int = Run.defaultKeyframeBudget,
                logByteLimit: Int = EventLog.defaultByteLimit) throws(ScenarioError) {
        self.scenario = scenario
        log = EventLog(byteLimit: logByteLimit)
        self.timeline = timeline
        saved = timeline
        kernel = Kernel(scenario: scenario)
        keyframes = KeyframeStore(interval: Run.initialKeyframeInterval, budgetBytes: keyframeBudgetBytes)
        samples.append(kernel.history.last ?? Self.missingSample)
        log.append(contentsOf: kernel.printk.recent)
        keyframes.add(kernel, samplesThrough: samples.count, logCount: log.endIndex)
        try applyRecorded(at: 0, recording: true)
        if let last = timeline.lastTick, last > 0 {
            while kernel.tick < last {
                guard kernel.panicVerdict == nil else {
                    let entry = timeline.entries[timeline.end(through: kernel.tick)]
                    throw ScenarioError("\(entry.action.keyword) at tick \(entry.tick) comes after the kernel panicked at tick \(kernel.tick)",
                                        at: entry.location)
                }
                try advance()
            }
            restore(keyframes.latest(atOrBefore: 0))
        }
    }

    /// `Kernel(scenario:)` records a sample; this only stands in if it ever stops.
    private static let missingSample = MetricsSample(
        tick: 0, memory: MemoryCounters(total: 0, free: 0, anon: 0, pageTables: 0, fileClean: 0, fileDirty: 0,
                                        writeback: 0, slabReclaimable: 0, slabUnreclaimable: 0, kernel: 0,
                                        reservationPool: 0, swapTotal: 0, swapUsed: 0),
        kswapd: .sleeping, stats: TickStats(), psiSome: 0, psiFull: 0)

    // MARK: Position

    /// The tick the run stands at.
    public var position: Int { kernel.tick }

    /// Steps one tick (replaying the timeline's actions at the new tick) and
    /// returns what was logged at it. Does nothing once the kernel panicked.
    @discardableResult
    public mutating func step() -> [Event] {
        guard kernel.panicVerdict == nil else { return [] }
        var events: [Event] = []
        replaying { run throws(ScenarioError) in events = try run.advance() }
        return events
    }

    /// Goes to `tick`: the last keyframe at or before it, then steps. A tick
    /// past a panic stops at the panic.
    public mutating func seek(to tick: Int) {
        let target = Swift.max(0, tick)
        guard target != position else { return }
        let frame = keyframes.latest(atOrBefore: target)
        if !(position < target && position >= frame.tick) { restore(frame) }
        replaying { run throws(ScenarioError) in
            while run.position < target && run.kernel.panicVerdict == nil { try run.advance() }
        }
    }

    /// Takes an action now. Behind the frontier, or with recorded actions
    /// still ahead, the old future is dropped (kept as `replacedFuture`).
    /// On error nothing changes.
    public mutating func apply(_ action: UserAction) throws(Kernel.ActionError) {
        let action = action.canonical
        var next = kernel
        try next.apply(action)
        if position < frontier || timeline.hasEntries(after: position) {
            var old = self
            old.replaced = nil
            replaced = ReplacedFuture(run: old)
            truncateFuture()
        }
        let logged = kernel.printk.pendingUser.count
        kernel = next
        log.append(contentsOf: kernel.printk.pendingUser.dropFirst(logged))
        timeline.append(Timeline.Entry(tick: position, action: action))
    }

    /// The events logged at `tick` (at most `frontier`), kernel's and user's;
    /// none for a tick whose lines the log has dropped.
    public func events(at tick: Int) -> ArraySlice<Event> {
        log.kept[(log.end(through: tick - 1) - log.droppedLines)..<(log.end(through: tick) - log.droppedLines)]
    }

    // MARK: Forks and saving

    /// A second run that shares this one's past up to `tick` and then takes
    /// `actions` there; this run is unchanged.
    public func fork(at tick: Int, with actions: [UserAction]) throws(Kernel.ActionError) -> Run {
        var fork = self
        fork.replaced = nil
        fork.seek(to: tick)
        fork.truncateFuture()
        for action in actions { try fork.apply(action) }
        fork.replaced = nil
        return fork
    }

    /// The future the last action-after-rewind replaced, as a run standing
    /// where that action was taken.
    public var replacedFuture: Run? { replaced?.run }

    public mutating func discardReplacedFuture() { replaced = nil }

    /// Actions in the timeline that the saved (or loaded) one does not have.
    public var unsavedActionCount: Int { timeline.count - timeline.commonPrefixCount(with: saved) }

    /// The timeline differs from the saved one (actions added or dropped).
    public var hasUnsavedChanges: Bool { timeline != saved }

    /// What a session file holds for this run, standing where it stands.
    /// The TUI may run past the scenario's `ticks`; a session's ticks never
    /// lie past its end, so `ticks` is raised to cover `at` and the last action.
    public var session: Session {
        var s = scenario
        s.ticks = Swift.max(s.ticks, position, timeline.lastTick ?? 0)
        return Session(scenario: s, timeline: timeline, at: position)
    }

    /// After the session was written: nothing is unsaved.
    public mutating func markSaved() { saved = timeline }

    // MARK: Memory

    public var keyframeCount: Int { keyframes.frames.count }
    public var keyframeInterval: Int { keyframes.interval }
    /// Estimated bytes held by keyframes.
    public var keyframeBytes: Int { keyframes.bytes }
    /// Bytes of the compressed per-tick samples.
    public var sampleLogBytes: Int { samples.byteCount }

    /// Drops every keyframe but tick 0's, for measuring what they cost.
    public mutating func dropKeyframesForMeasurement() { keyframes.truncate(after: 0) }
}

/// A run kept aside: a struct cannot hold a value of its own type directly.
final class ReplacedFuture: Sendable {
    let run: Run
    init(run: Run) { self.run = run }
}
