/// A run's keyframes: one every `interval` ticks, within a memory budget.
/// When the estimated total passes the budget, every other keyframe goes and
/// the interval doubles, so a run of any length keeps at most `budgetBytes`
/// and seeking re-steps at most `interval - 1` ticks. The keyframe at tick 0
/// always stays.
struct KeyframeStore: Sendable {
    /// Ascending ticks, starting at 0.
    private(set) var frames: [Keyframe] = []
    private(set) var interval: Int
    let budgetBytes: Int
    private(set) var bytes = 0
    /// The names and programs the keyframes' encoded tasks refer to.
    private(set) var table = KeyframeInterner()

    init(interval: Int, budgetBytes: Int) {
        self.interval = Swift.max(1, interval)
        self.budgetBytes = budgetBytes
    }

    /// Whether a keyframe belongs at `tick`.
    func wants(_ tick: Int) -> Bool {
        tick % interval == 0 && (frames.last?.tick ?? -1) < tick
    }

    /// Keeps a keyframe of `k` (just stepped to its tick, before that tick's actions).
    mutating func add(_ k: Kernel, samplesThrough: Int, logCount: Int) {
        let frame = Keyframe(k, samplesThrough: samplesThrough, logCount: logCount, table: &table)
        frames.append(frame)
        bytes += frame.bytes
        while bytes > budgetBytes && frames.count > 1 { thin() }
    }

    /// Doubles the interval, keeping the keyframes on its multiples.
    private mutating func thin() {
        interval *= 2
        frames.removeAll { $0.tick % interval != 0 }
        bytes = frames.reduce(0) { $0 + $1.bytes }
    }

    /// The last keyframe at or before `tick`.
    func latest(atOrBefore tick: Int) -> Keyframe {
        frames[Swift.max(0, frames.end(through: tick) { $0.tick } - 1)]
    }

    func restore(_ frame: Keyframe, samples: SampleLog, log: EventLog) -> Kernel {
        frame.restore(samples: samples, log: log, table: table)
    }

    mutating func truncate(after tick: Int) {
        frames.removeAll { $0.tick > tick }
        bytes = frames.reduce(0) { $0 + $1.bytes }
    }
}
