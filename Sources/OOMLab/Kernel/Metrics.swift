/// What happened during one tick, for graphs and the CSV export.
public struct TickStats: Equatable, Sendable {
    public var scannedKswapd = 0
    public var reclaimedKswapd = 0
    public var scannedDirect = 0
    public var reclaimedDirect = 0
    /// Tasks stalled on memory this tick (direct reclaim, allocator waits).
    public var memstalled = 0
    /// Tasks that were not idle: running, or stalled on memory.
    public var nonIdle = 0
    public var blocked = 0
}

/// One row of the per-tick history.
public struct MetricsSample: Equatable, Sendable {
    public var tick: Int
    public var memory: MemoryCounters
    public var kswapd: Kswapd.State
    public var stats: TickStats
    /// PSI memory avg10 (PSIAverages), in hundredths of a percent.
    public var psiSome: Int
    public var psiFull: Int
}

/// A ring of the most recent samples: the TUI's graphs read it; its size is
/// fixed, so a long run does not grow memory.
public struct MetricsHistory: Equatable, Sendable {
    public let capacity: Int
    var storage: [MetricsSample] = []
    var head = 0

    public init(capacity: Int) { self.capacity = Swift.max(1, capacity) }

    public mutating func append(_ sample: MetricsSample) {
        if storage.count < capacity {
            storage.append(sample)
        } else {
            storage[head] = sample
            head = (head + 1) % capacity
        }
    }

    /// Samples oldest first.
    public var samples: [MetricsSample] {
        storage.count < capacity ? storage : Array(storage[head...] + storage[..<head])
    }

    public var last: MetricsSample? {
        guard !storage.isEmpty else { return nil }
        return storage.count < capacity ? storage.last : storage[(head + capacity - 1) % capacity]
    }
}

/// What oomlab's own detectors found (marked "oomlab:" in the log).
public struct Diagnoses: Equatable, Sendable {
    /// A victim that cannot exit while the OOM killer waits for it, stalled
    /// since it was chosen (`since`, its kill tick).
    public var stall: (pid: Int, since: Int)?
    /// Tasks looping in the allocator whose own allocations have not been
    /// served for a whole window, and since when (the earliest last grant).
    public var livelock: (since: Int, pids: [Int])?
    /// A lock cycle: the tick and the pids around it.
    public var deadlock: (tick: Int, pids: [Int], reason: String)?

    public static func == (a: Diagnoses, b: Diagnoses) -> Bool {
        a.stall?.pid == b.stall?.pid && a.stall?.since == b.stall?.since
            && a.livelock?.since == b.livelock?.since && a.livelock?.pids == b.livelock?.pids
            && a.deadlock?.tick == b.deadlock?.tick && a.deadlock?.pids == b.deadlock?.pids
            && a.deadlock?.reason == b.deadlock?.reason
    }
}

extension Kernel {
    mutating func recordMetrics() {
        psi.record(some: stats.memstalled > 0, full: stats.memstalled > 0 && stats.memstalled == stats.nonIdle)
        if !memcg.tickCounts.isEmpty { memcg.recordPressure() }
        history.append(MetricsSample(tick: tick, memory: zone.counters, kswapd: kswapd.state, stats: stats,
                                     psiSome: psi.someAvg10, psiFull: psi.fullAvg10))
    }
}
