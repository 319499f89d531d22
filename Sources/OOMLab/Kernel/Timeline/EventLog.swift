/// A run's event log, bounded: every event up to the run's frontier, in
/// the order the kernel logged them, but never more than `byteLimit`
/// (each line counted as its text's UTF-8 bytes plus `lineOverhead`, what
/// an `Event` costs beside its text).
///
/// The kernel's own log is a ring too (kernel/printk/printk.c: log_buf,
/// 2^CONFIG_LOG_BUF_SHIFT bytes, the oldest records overwritten), and in a
/// flood a run logs without end: every OOM report lists every task
/// (dump_tasks), so 500 tasks write 45 KiB a report and ten reports pass
/// oom_rs every 5 s. Past the limit the oldest lines go, a quarter of the
/// limit at a time, and the log counts what went (`droppedLines`,
/// `droppedBytes`, `droppedThroughTick`).
///
/// Indexes are absolute (the first event ever logged is 0, dropped or
/// not), so a keyframe's range of recent events stays valid; a range that
/// reaches into the dropped part comes back starting with one line that
/// says how many older lines are gone (`lines(_:)`).
public struct EventLog: Sendable {
    /// The lines kept, oldest first; `kept[0]` has index `droppedLines`.
    public private(set) var kept: [Event] = []
    /// Lines dropped from the front, ever.
    public private(set) var droppedLines = 0
    /// What the dropped lines cost (as `byteLimit` counts).
    public private(set) var droppedBytes = 0
    /// The tick of the last dropped line (-1: none dropped).
    public private(set) var droppedThroughTick = -1
    /// What the kept lines cost.
    public private(set) var bytes = 0
    public let byteLimit: Int

    /// What a line costs beside its text: the Event's own stride.
    public static let lineOverhead = MemoryLayout<Event>.stride
    /// 32 MiB: about 330,000 rows of an OOM report's task table (70
    /// characters and the Event's 32 bytes each); no preset comes near it.
    public static let defaultByteLimit = 32 << 20

    public init(byteLimit: Int = EventLog.defaultByteLimit) {
        self.byteLimit = Swift.max(1, byteLimit)
    }

    static func cost(_ e: Event) -> Int { e.text.utf8.count + lineOverhead }

    /// One past the index of the newest line: the lines ever logged, kept or not.
    public var endIndex: Int { droppedLines + kept.count }

    public mutating func append(contentsOf events: some Sequence<Event>) {
        for e in events {
            kept.append(e)
            bytes += Self.cost(e)
        }
        if bytes > byteLimit { dropOldest(toBytes: byteLimit - byteLimit / 4) }
    }

    private mutating func dropOldest(toBytes target: Int) {
        var n = 0, freed = 0
        while n < kept.count && bytes - freed > target {
            freed += Self.cost(kept[n])
            n += 1
        }
        guard n > 0 else { return }
        droppedThroughTick = kept[n - 1].tick
        kept.removeFirst(n)
        droppedLines += n
        droppedBytes += freed
        bytes -= freed
    }

    /// The absolute index of the first line logged after `tick` (binary
    /// search; `droppedLines` for a tick in the dropped part).
    public func end(through tick: Int) -> Int {
        droppedLines + kept.end(through: tick) { $0.tick }
    }

    /// The lines of the absolute `range`, for a kernel standing at tick
    /// `now`; a part already dropped is one line that says how many went.
    public func lines(_ range: Range<Int>, now: Int) -> [Event] {
        let lower = Swift.max(range.lowerBound, droppedLines)
        let upper = Swift.max(range.upperBound, lower)
        var out: [Event] = []
        if range.lowerBound < droppedLines {
            let gone = Swift.min(range.upperBound, droppedLines) - range.lowerBound
            out.append(Event(tick: Swift.min(droppedThroughTick, now), text: droppedNotice(gone), kind: .oomlab))
        }
        out += kept[(lower - droppedLines)..<(upper - droppedLines)]
        return out
    }

    /// "oomlab: 12345 older log lines dropped (the run keeps 32 MiB of log)".
    func droppedNotice(_ count: Int) -> String {
        "oomlab: \(count) older log lines dropped (the run keeps \(limitText) of log)"
    }

    /// The limit as the TUI says it: "32 MiB", "64 KiB" or "100 bytes".
    public var limitText: String {
        if byteLimit >= 1 << 20 && byteLimit % (1 << 20) == 0 { return "\(byteLimit >> 20) MiB" }
        if byteLimit >= 1 << 10 && byteLimit % (1 << 10) == 0 { return "\(byteLimit >> 10) KiB" }
        return "\(byteLimit) bytes"
    }

    /// The lines logged after `tick` (kept ones only).
    public func lines(after tick: Int) -> ArraySlice<Event> {
        kept[(end(through: tick) - droppedLines)...]
    }

    /// Forgets every line logged after `tick`.
    public mutating func truncate(after tick: Int) {
        let from = end(through: tick) - droppedLines
        for e in kept[from...] { bytes -= Self.cost(e) }
        kept.removeSubrange(from...)
    }
}

extension EventLog: Equatable {}
