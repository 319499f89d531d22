/// The tick loop's fast lane. Most tasks on a big machine are asleep, blocked
/// or computing on any given tick; a tick should cost nothing for them.
/// `schedule[i]` is a compact copy of what task i needs: the tick before
/// which there is nothing to do (`until`), and what it adds to the tick's
/// statistics meanwhile (`stat`). `runTask` recomputes it after every turn;
/// anything that changes a task from outside its turn calls `touch(_:)`.
///
/// A task whose entry says "nothing to do yet" is parked in the run queue
/// (RunQueue.swift): off the `due` bitmap the tick loop walks, in the timer
/// wheel at its wake tick, and counted once in per-stat totals that each
/// tick adds to its statistics in one go. The tick loop visits only the due
/// tasks, in the same seeded rotation of the pid order as a walk over every
/// task would, so the trace is the same as visiting each task and skipping
/// the parked ones.
extension Kernel {
    struct ScheduleEntry: Equatable, Sendable {
        /// Nothing to do before this tick (0: run every tick).
        var until: Int
        var stat: Stat
        /// The task's memory cgroup, for the run queue's per-cgroup parked
        /// totals (memory.pressure); it fits in the entry's padding.
        var cgroup: Int32 = 0
        enum Stat: UInt8, CaseIterable, Equatable, Sendable {
            case idle, nonIdle, blocked, memstall
        }
    }

    /// Runs every due task once, starting at a seeded rotation of the pid
    /// order: the seed stands for the scheduler's interleaving. Parked tasks
    /// are not visited; their statistics come from the run queue's totals.
    mutating func runTasks() {
        let n = taskTable.tasks.count
        guard n > 0 else { return }
        let start = rng.next(below: n)
        taskTable.runQueue.expireTimers(at: tick, schedule: taskTable.schedule)
        taskTable.runQueue.parked.add(to: &stats)
        if !memcg.tickCounts.isEmpty { memcg.startPressureTick(parked: taskTable.runQueue.parkedByCgroup) }
        taskTable.runQueue.rotationStart = start
        taskTable.runQueue.inTick = true
        runDue(from: start, to: n)
        runDue(from: 0, to: start)
        taskTable.runQueue.inTick = false
    }

    /// Runs the due tasks with indices in lo..<hi in order. The bitmap word is
    /// read again after every turn: a task woken ahead of the one whose turn
    /// it is (a lock handoff) runs in this tick, as it would in a walk.
    mutating func runDue(from lo: Int, to hi: Int) {
        var i = lo
        while i < hi {
            let word = i >> 6
            let bits = taskTable.runQueue.due[word] >> UInt64(i & 63)
            if bits == 0 {
                i = (word + 1) << 6
                continue
            }
            i += bits.trailingZeroBitCount
            guard i < hi else { return }
            taskTable.runQueue.cursor = i
            runTask(i)
            let entry = Kernel.scheduleEntry(for: taskTable.tasks[i], tick: tick)
            taskTable.schedule[i] = entry
            if entry.until > tick { taskTable.runQueue.park(i, entry) }
            i += 1
        }
    }

    /// Forces a full turn for task i: on this tick if its turn in the
    /// rotation is still to come, else on the next.
    mutating func touch(_ i: Int) {
        guard i < taskTable.schedule.count else { return }
        let entry = taskTable.schedule[i]
        taskTable.schedule[i].until = 0
        guard !taskTable.runQueue.isDue(i) else { return }
        taskTable.runQueue.unpark(i, entry)
        // A task parked when this tick began was counted in its statistics;
        // if its turn is still to come it now takes it instead.
        if taskTable.runQueue.inTick && taskTable.runQueue.isAhead(i, taskCount: taskTable.tasks.count) {
            taskTable.runQueue.subtract(entry.stat, from: &stats)
            if !memcg.tickCounts.isEmpty { memcg.countPressure(Int(entry.cgroup), entry.stat, sign: -1) }
        }
    }

    /// Task i's entry now. A static function over the one task: as a method
    /// on the kernel, the optimizer copied the whole Kernel value (824 bytes)
    /// to call it after every turn.
    func scheduleEntry(at i: Int) -> ScheduleEntry { Kernel.scheduleEntry(for: taskTable.tasks[i], tick: tick) }

    static func scheduleEntry(for t: borrowing Task, tick: Int) -> ScheduleEntry {
        var e = scheduleState(for: t, tick: tick)
        e.cgroup = Int32(truncatingIfNeeded: t.cgroup)
        return e
    }

    private static func scheduleState(for t: borrowing Task, tick: Int) -> ScheduleEntry {
        switch t.state {
        case .dead:
            return ScheduleEntry(until: .max, stat: .idle)
        case .new:
            return ScheduleEntry(until: t.startTick, stat: .idle)
        case .sleeping:
            if case .sleep(let until) = t.wait, !t.sigkill { return ScheduleEntry(until: until, stat: .idle) }
        case .blocked:
            switch t.wait {
            case .congestionWait(let until), .allocatorBackoff(let until, _), .swapIn(let until), .memcgHigh(let until):
                return ScheduleEntry(until: until, stat: .memstall)
            case .dirtyThrottle(let until):
                return ScheduleEntry(until: until, stat: .blocked)
            case .lock, .exitMmapLock:
                // Woken by a handoff, which touches it.
                return ScheduleEntry(until: .max, stat: .blocked)
            default:
                break
            }
        case .running:
            if t.busyUntil > tick + 1 && !t.sigkill && t.allocation == nil {
                return ScheduleEntry(until: t.busyUntil, stat: .nonIdle)
            }
        case .exiting:
            break
        }
        return ScheduleEntry(until: 0, stat: .idle)
    }

    /// Every task due on its next turn (after a task was inserted in the
    /// middle of the pid order).
    mutating func rebuildSchedule() {
        taskTable.schedule = taskTable.tasks.map { ScheduleEntry(until: 0, stat: .idle, cgroup: Int32(truncatingIfNeeded: $0.cgroup)) }
        rebuildRunQueue()
    }

    /// The run queue again from `schedule` and the tick (a keyframe keeps
    /// only the schedule).
    mutating func rebuildRunQueue() {
        taskTable.runQueue = RunQueue(schedule: taskTable.schedule, tick: tick,
                                      cgroups: memcg.isEnabled ? memcg.tree.count : 0)
    }
}
