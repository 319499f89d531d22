/// A copy of the kernel at one tick, from which a run re-steps to any later
/// tick. Taken just after the step to `tick` and before that tick's user
/// actions, so an action added at that tick later does not make it stale.
///
/// The copy leaves out what is large: the 4096-sample metrics ring (rebuilt
/// from the run's `SampleLog`) and the recent-events log (a slice of the
/// run's event log), which the run holds anyway; and it keeps the tasks and
/// the schedule as bytes (`TaskCoding.swift`: about 60 bytes a task instead
/// of about 370 plus its frames), the pid index rebuilt from them. Everything else
/// (locks, counters, the OOM and reaper state) is the kernel value itself.
struct Keyframe: Sendable {
    /// The kernel without its history ring, recent events, tasks, schedule,
    /// run queue and pid index (the run queue is rebuilt from the schedule).
    var kernel: Kernel
    /// The tasks and schedule entries, encoded.
    var taskBytes: [UInt8]
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

    init(_ k: Kernel, samplesThrough: Int, logCount: Int, table: inout KeyframeInterner) {
        historyCount = k.history.storage.count
        historyHead = k.history.head
        self.samplesThrough = samplesThrough
        recentEvents = (logCount - k.printk.recent.count)..<logCount
        var w = ByteWriter()
        w.int(k.taskTable.tasks.count)
        for t in k.taskTable.tasks { t.encode(&w, &table, now: k.tick) }
        w.int(k.taskTable.schedule.count)
        for e in k.taskTable.schedule {
            w.int(e.until &- k.tick)
            w.int(Int(e.stat.rawValue))
        }
        // A copy of exactly its size: the writer's buffer grew by doubling.
        taskBytes = w.bytes.withUnsafeBufferPointer { Array($0) }
        var stripped = k
        stripped.history = MetricsHistory(capacity: k.history.capacity)
        stripped.printk.recent = []
        stripped.taskTable.tasks = []
        stripped.taskTable.schedule = []
        stripped.taskTable.runQueue = Kernel.RunQueue()
        stripped.taskTable.pidIndex = PidIndex()
        kernel = stripped
        bytes = Keyframe.estimatedBytes(stripped) + taskBytes.capacity
    }

    /// The whole kernel again: tasks decoded, the ring and log rebuilt from the run's.
    func restore(samples: SampleLog, log: EventLog, table: KeyframeInterner) -> Kernel {
        var k = kernel
        var r = ByteReader(taskBytes)
        let count = r.int()
        k.taskTable.tasks.reserveCapacity(count)
        for _ in 0..<count { k.taskTable.tasks.append(Kernel.Task.decode(&r, table, now: k.tick)) }
        let scheduled = r.int()
        k.taskTable.schedule.reserveCapacity(scheduled)
        for n in 0..<scheduled {
            let until = r.int() &+ k.tick
            // An entry's cgroup is its task's: not stored twice.
            let cgroup = n < count ? Int32(truncatingIfNeeded: k.taskTable.tasks[n].cgroup) : 0
            k.taskTable.schedule.append(Kernel.ScheduleEntry(until: until, stat: Kernel.ScheduleEntry.Stat(rawValue: UInt8(truncatingIfNeeded: r.int())) ?? .idle,
                                                             cgroup: cgroup))
        }
        k.rebuildPidIndex()
        k.rebuildRunQueue()
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
        k.printk.recent = log.lines(recentEvents, now: k.tick)
        return k
    }

    /// Bytes the copy holds that the live kernel will not share for long:
    /// the task array and each task's frames, held locks and out-of-line
    /// allocation or touch, the schedule,
    /// the indexes, locks, PSI ring and the small lists. Strings and programs
    /// are shared and not counted. An estimate, on the high side; `oomlab
    /// bench` measures the real heap.
    static func estimatedBytes(_ k: Kernel) -> Int {
        let arrayHeader = 32
        let dictionaryEntry = 48
        let boxHeader = 16
        var n = MemoryLayout<Kernel>.stride
        n += arrayHeader + k.taskTable.tasks.count * MemoryLayout<Kernel.Task>.stride
        for t in k.taskTable.tasks {
            n += arrayHeader + t.frames.outer.count * MemoryLayout<Kernel.Frame>.stride
            if !t.heldLocks.isEmpty { n += arrayHeader + t.heldLocks.count * MemoryLayout<String>.stride }
            // A box the live kernel writes is copied then (OutOfLine.swift).
            if t.allocationBox != nil { n += boxHeader + MemoryLayout<Kernel.AllocationProgress>.stride }
            if t.touchBox != nil { n += boxHeader + MemoryLayout<Kernel.TouchProgress>.stride }
        }
        n += arrayHeader + k.taskTable.schedule.count * MemoryLayout<Kernel.ScheduleEntry>.stride
        n += k.taskTable.pidIndex.estimatedBytes + k.lockTable.lockIndex.count * dictionaryEntry
        n += arrayHeader + k.lockTable.locks.count * (MemoryLayout<Kernel.Lock>.stride + arrayHeader)
        for l in k.lockTable.locks { n += (l.waiters.count + l.readers.count) * MemoryLayout<Int>.stride }
        n += 3 * arrayHeader + k.outcome.changes.count * MemoryLayout<Outcome.Change>.stride
            + k.outcome.waiters.count * MemoryLayout<Outcome.Waiter>.stride + k.outcome.victims.count * MemoryLayout<Int>.stride
        n += (k.printk.pending.count + k.printk.pendingUser.count) * MemoryLayout<Event>.stride
        n += k.oom.kills.count * MemoryLayout<OOMKill>.stride
        n += (k.oom.liveVictims.count + k.reaper.reaped.count) * MemoryLayout<Int>.stride
            + k.reaper.victims.count * MemoryLayout<OOMReaper.Victim>.stride
        return n
    }
}
