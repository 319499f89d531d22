/// A copy of the kernel at one tick, from which a run re-steps to any later
/// tick. Taken just after the step to `tick` and before that tick's user
/// actions, so an action added at that tick later does not make it stale.
///
/// The copy leaves out the two parts of the kernel that are large and that
/// the run already holds elsewhere: the 4096-sample metrics ring (rebuilt
/// from the run's `SampleLog`) and the recent-events log (a slice of the
/// run's event log). Everything else is the kernel value itself, sharing
/// storage (programs, strings) with the live kernel where it has not changed.
struct Keyframe: Sendable {
    /// The kernel without its history ring and recent events.
    var kernel: Kernel
    /// The ring's layout: how many samples it held and where its head was.
    var historyCount: Int
    var historyHead: Int
    /// Samples the run had logged when this was taken (the ring ends there).
    var samplesThrough: Int
    /// The kernel's recent events: this range of the run's event log.
    var recentEvents: Range<Int>
    /// What this copy costs, estimated (see `estimatedBytes`).
    var bytes: Int

    var tick: Int { kernel.tick }

    init(_ k: Kernel, samplesThrough: Int, logCount: Int) {
        historyCount = k.history.storage.count
        historyHead = k.history.head
        self.samplesThrough = samplesThrough
        recentEvents = (logCount - k.recentEvents.count)..<logCount
        var stripped = k
        stripped.history = MetricsHistory(capacity: k.history.capacity)
        stripped.recentEvents = []
        kernel = stripped
        bytes = Keyframe.estimatedBytes(stripped)
    }

    /// The whole kernel again, its ring and log rebuilt from the run's.
    func restore(samples: SampleLog, log: [Event]) -> Kernel {
        var k = kernel
        let ring = samples.samples((samplesThrough - historyCount)..<samplesThrough)
        var history = MetricsHistory(capacity: kernel.history.capacity)
        if historyCount == history.capacity {
            // storage[(head + i) % capacity] holds the i-th oldest sample.
            var storage = ring
            for (i, sample) in ring.enumerated() { storage[(historyHead + i) % historyCount] = sample }
            history.storage = storage
            history.head = historyHead
        } else {
            history.storage = ring
            history.head = historyHead
        }
        k.history = history
        k.recentEvents = Array(log[recentEvents])
        return k
    }

    /// Bytes the copy holds that the live kernel will not share for long:
    /// the task array and each task's frames and held locks, the schedule,
    /// the indexes, locks, PSI ring and the small lists. Strings and programs
    /// are shared and not counted. An estimate, on the high side; `oomlab
    /// bench` measures the real heap.
    static func estimatedBytes(_ k: Kernel) -> Int {
        let arrayHeader = 32
        let dictionaryEntry = 48
        var n = MemoryLayout<Kernel>.stride
        n += arrayHeader + k.tasks.count * MemoryLayout<Kernel.Task>.stride
        for t in k.tasks {
            n += arrayHeader + t.frames.count * MemoryLayout<Kernel.Frame>.stride
            if !t.heldLocks.isEmpty { n += arrayHeader + t.heldLocks.count * MemoryLayout<String>.stride }
        }
        n += arrayHeader + k.schedule.count * MemoryLayout<Kernel.ScheduleEntry>.stride
        n += (k.pidIndex.count + k.lockIndex.count) * dictionaryEntry
        n += arrayHeader + k.locks.count * (MemoryLayout<Kernel.Lock>.stride + arrayHeader)
        for l in k.locks { n += l.waiters.count * MemoryLayout<Int>.stride }
        n += arrayHeader + PSIWindow.window
        n += (k.pendingEvents.count + k.pendingUserEvents.count) * MemoryLayout<Event>.stride
        n += k.oomKills.count * MemoryLayout<OOMKill>.stride
        n += (k.liveVictims.count + k.reaped.count + k.reaper.queue.count) * MemoryLayout<Int>.stride
        return n
    }
}
