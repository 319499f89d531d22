/// The derived state checked against what it derives from, as
/// swift-collections checks its hash tables: every index, flag and list the
/// kernel keeps beside its tasks and locks to avoid a walk. A cache that a
/// code path forgets to update fails here, in debug builds at the end of
/// every step, instead of making a later tick silently wrong.
extension Kernel {
    func checkCaches(_ fail: (String) throws -> Never) throws {
        try checkIndexes(fail)
        try checkSchedule(fail)
        try checkRunQueue(fail)
        try checkVictimList(fail)
    }

    /// pidIndex, lockIndex, the compiled programs (and every frame inside
    /// one) and hasThreadGroups.
    func checkIndexes(_ fail: (String) throws -> Never) throws {
        if taskTable.pidIndex.count != taskTable.tasks.count { try fail("pidIndex has \(taskTable.pidIndex.count) entries for \(taskTable.tasks.count) tasks") }
        for (i, t) in taskTable.tasks.enumerated() {
            if taskTable.pidIndex[t.pid] != i { try fail("pidIndex[\(t.pid)] is \(String(describing: taskTable.pidIndex[t.pid])), the task is at \(i)") }
            if i > 0 && taskTable.tasks[i - 1].pid >= t.pid { try fail("tasks are not ordered by pid at \(i)") }
        }
        if lockTable.lockIndex.count != lockTable.locks.count { try fail("lockIndex has \(lockTable.lockIndex.count) entries for \(lockTable.locks.count) locks") }
        for (l, lock) in lockTable.locks.enumerated() where lockTable.lockIndex[lock.name] != l {
            try fail("lockIndex[\(lock.name)] is \(String(describing: lockTable.lockIndex[lock.name])), the lock is at \(l)")
        }
        if taskTable.programs.index.count != taskTable.programs.list.count { try fail("program index has \(taskTable.programs.index.count) entries for \(taskTable.programs.list.count) programs") }
        for (k, p) in taskTable.programs.list.enumerated() where taskTable.programs.index[p.source] != Int32(k) {
            try fail("program \(k) is not indexed by its ops")
        }
        if taskTable.programs != ProgramTable(compiling: taskTable.programs.list.map(\.source)) {
            try fail("the program table's code is not its programs' ops compiled in order")
        }
        for t in taskTable.tasks {
            guard Int(t.programID) < taskTable.programs.list.count, t.programID >= 0 else { try fail("task \(t.pid) runs unknown program \(t.programID)") }
            for f in t.frames.all {
                guard f.program >= 0, Int(f.program) < taskTable.programs.list.count else { try fail("task \(t.pid) has a frame in unknown program \(f.program)") }
                let p = taskTable.programs.list[Int(f.program)]
                if !(p.start <= f.start && f.start <= f.end && f.end <= p.end && f.start <= f.pc && f.pc <= f.end) {
                    try fail("task \(t.pid) has a frame outside its program: \(f)")
                }
            }
        }
        let groups = taskTable.tasks.contains { $0.tgid != $0.pid }
        if taskTable.hasThreadGroups != groups { try fail("hasThreadGroups is \(taskTable.hasThreadGroups), the tasks say \(groups)") }
        try checkMMOwners(fail)
    }

    /// mmOwners: each names a live thread of its process, whose entry alone
    /// carries the mm's pages; every live thread of another's process has one.
    func checkMMOwners(_ fail: (String) throws -> Never) throws {
        for (tgid, pid) in taskTable.mmOwners.sorted(by: { $0.key < $1.key }) {
            guard let o = taskTable.pidIndex[pid], taskTable.tasks[o].tgid == tgid, taskTable.tasks[o].isAlive else {
                try fail("mm owner of \(tgid) is \(pid), not a live thread of it")
            }
        }
        for t in taskTable.tasks where t.isAlive && !t.kthread {
            guard let owner = taskTable.mmOwners[t.tgid] else {
                if t.tgid != t.pid { try fail("thread \(t.pid) of \(t.tgid) has no mm owner") }
                continue
            }
            if owner != t.pid && (t.anon != 0 || t.swapEntries != 0 || t.pageTables != 0) {
                try fail("thread \(t.pid) carries mm pages that are its owner \(owner)'s")
            }
        }
    }

    /// Every parked task's entry still says what its state says: a change
    /// to a task outside its turn without `touch` leaves a stale entry, and
    /// the task would sleep through what should wake it.
    func checkSchedule(_ fail: (String) throws -> Never) throws {
        if taskTable.schedule.count != taskTable.tasks.count { try fail("schedule has \(taskTable.schedule.count) entries for \(taskTable.tasks.count) tasks") }
        for (i, entry) in taskTable.schedule.enumerated() where entry.until > tick {
            let now = scheduleEntry(at: i)
            // A computing task's entry ends at busyUntil; asked again in its
            // last tick the question says "run" (until 0).
            let stillComputing = now.until == 0 && taskTable.tasks[i].state == .running && taskTable.tasks[i].busyUntil == entry.until
            if now != entry && !stillComputing {
                try fail("task \(taskTable.tasks[i].pid) is parked until \(entry.until) as \(entry.stat) in cgroup \(entry.cgroup) but its state says \(now.until) as \(now.stat) in cgroup \(now.cgroup)")
            }
        }
    }

    /// The run queue is the one the schedule implies (RunQueue.init(schedule:tick:)),
    /// and each parked task with a wake tick is in that tick's wheel bucket.
    func checkRunQueue(_ fail: (String) throws -> Never) throws {
        let q = taskTable.runQueue, schedule = taskTable.schedule, tasks = taskTable.tasks
        if q.due.count != (tasks.count + 63) >> 6 { try fail("run queue has \(q.due.count) words for \(tasks.count) tasks") }
        if let last = q.due.last, tasks.count & 63 != 0, last >> UInt64(tasks.count & 63) != 0 {
            try fail("run queue marks tasks past the last one due")
        }
        // One walk over the wheel marks each task whose current wake tick
        // has an entry: a bucket holds every task that wakes on its ticks
        // (all of an import's idle tasks sleep 100 ticks from tick 0), and
        // a search of the bucket per task made this check quadratic (400
        // such tasks: 160,000 comparisons a tick).
        var inWheel = [Bool](repeating: false, count: schedule.count)
        for (b, bucket) in q.wheel.enumerated() {
            for w in bucket where w.until & RunQueue.wheelMask == b && w.task >= 0 && w.task < schedule.count
                && schedule[w.task].until == w.until {
                inWheel[w.task] = true
            }
        }
        var totals = RunQueue.ParkedTotals()
        let cgroups = memcg.isEnabled ? memcg.tree.count : 0
        if q.parkedByCgroup.count != cgroups { try fail("run queue keeps parked totals for \(q.parkedByCgroup.count) cgroups, the tree has \(cgroups)") }
        var byCgroup = [RunQueue.ParkedTotals](repeating: RunQueue.ParkedTotals(), count: cgroups)
        for (i, e) in schedule.enumerated() {
            let due = e.until <= tick
            if q.isDue(i) != due { try fail("task \(tasks[i].pid) is \(q.isDue(i) ? "due" : "parked") but its entry says until \(e.until) at tick \(tick)") }
            guard !due else { continue }
            totals.adjust(e.stat, by: 1)
            if cgroups > 0 { byCgroup[Int(e.cgroup)].adjust(e.stat, by: 1) }
            if e.until != .max && !inWheel[i] {
                try fail("task \(tasks[i].pid) is parked until \(e.until) but not in the timer wheel")
            }
        }
        if totals != q.parked { try fail("run queue's parked totals \(q.parked) != \(totals) from the schedule") }
        if byCgroup != q.parkedByCgroup { try fail("run queue's parked totals by cgroup != the schedule's") }
        if q.inTick { try fail("run queue still marked inside a tick") }
    }

    /// liveVictims: the victims chosen that are alive and not MMF_OOM_SKIP
    /// (checkVictims prunes the others every tick), each once: a victim is
    /// marked once (markOOMVictim). victimProcesses: each marked task's tgid, once.
    func checkVictimList(_ fail: (String) throws -> Never) throws {
        let expected = taskTable.tasks.filter { $0.victimSince != nil && $0.isAlive && !$0.oomSkip }.map(\.pid).sorted()
        let listed = oom.liveVictims.sorted()
        if listed != expected {
            try fail("liveVictims \(listed) != the live victims \(expected)")
        }
        // victimProcesses: the processes whose signal->oom_mm was set, each
        // once: the tgids of the tasks ever marked (victimSince stays set).
        let marked = Set(taskTable.tasks.lazy.filter { $0.victimSince != nil }.map(\.tgid))
        if Set(oom.victimProcesses) != marked || oom.victimProcesses.count != marked.count {
            try fail("victimProcesses \(oom.victimProcesses) != the marked processes \(marked.sorted())")
        }
    }
}

#if DEBUG
extension Kernel {
    /// A cache `checkCaches` covers, for the test that breaks each one.
    enum DerivedCache: CaseIterable {
        case pidIndex, lockIndex, programs, hasThreadGroups, mmOwners, schedule, runQueueDue, parkedTotals, parkedByCgroup, timerWheel, liveVictims, victimProcesses
        /// A victim listed twice, as a second mark of the same task once did.
        case liveVictimTwice
    }

    /// Test-only hook: breaks one derived cache the way a forgotten update
    /// would. Returns false when this state has nothing of that kind to break.
    mutating func corruptForTesting(_ cache: DerivedCache) -> Bool {
        let parked = taskTable.schedule.indices.first { taskTable.schedule[$0].until > tick && taskTable.schedule[$0].until != .max }
        switch cache {
        case .pidIndex:
            guard taskTable.tasks.count >= 2 else { return false }
            taskTable.pidIndex[taskTable.tasks[0].pid] = 1
        case .lockIndex:
            guard let first = lockTable.locks.first else { return false }
            lockTable.lockIndex[first.name] = nil
        case .programs:
            guard !taskTable.programs.code.isEmpty else { return false }
            taskTable.programs.code.removeLast()   // compiled code that no longer matches its ops
        case .hasThreadGroups:
            taskTable.hasThreadGroups.toggle()
        case .mmOwners:
            guard let tgid = taskTable.mmOwners.keys.min(),
                  let other = taskTable.tasks.first(where: { $0.tgid != tgid }) else { return false }
            taskTable.mmOwners[tgid] = other.pid   // an owner outside the process
        case .schedule:
            guard let i = parked else { return false }
            taskTable.schedule[i].until += 1   // the task would wake a tick late
        case .runQueueDue:
            guard let i = parked else { return false }
            taskTable.runQueue.setDue(i)
        case .parkedTotals:
            taskTable.runQueue.parked.adjust(.blocked, by: 1)
        case .parkedByCgroup:
            guard taskTable.runQueue.parkedByCgroup.count > 1 else { return false }
            taskTable.runQueue.parkedByCgroup[1].adjust(.memstall, by: 1)
        case .timerWheel:
            guard parked != nil else { return false }
            taskTable.runQueue.wheel = Array(repeating: [], count: RunQueue.wheelSize)
        case .liveVictims:
            guard let t = taskTable.tasks.first(where: { $0.victimSince == nil }) else { return false }
            oom.liveVictims.append(t.pid)
        case .victimProcesses:
            guard let t = taskTable.tasks.first(where: { $0.victimSince == nil && !oom.victimProcesses.contains($0.tgid) })
            else { return false }
            oom.victimProcesses.append(t.tgid)   // a process no kill marked
        case .liveVictimTwice:
            guard let pid = oom.liveVictims.first else { return false }
            oom.liveVictims.append(pid)
        }
        return true
    }
}
#endif
