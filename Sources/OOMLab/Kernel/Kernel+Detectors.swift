/// What an engineer wants named: khungtaskd's reports in the kernel's words,
/// and oomlab's own diagnoses (marked "oomlab:"): OOM victim stalls with the
/// wait chain, lock cycles (found in Kernel+Locks.swift when a task blocks),
/// and allocation livelock. Kernel+Outcome.swift turns them into the verdict.
extension Kernel {
    /// A victim alive this long after the kill is stalled. Longer than the
    /// modern reaper's window (2 s delay + 10 tries of 100 ms).
    public static let victimStallTicks = 5 * Units.hz
    /// A task looping in the allocator this long without its own request
    /// getting a page is livelocked (checkLivelock).
    public static let livelockTicks = 10 * Units.hz

    mutating func runDetectors() {
        checkHungTasks()
        checkVictims()
        checkLivelock()
    }

    /// khungtaskd: every hung_task_timeout_secs, report tasks in
    /// TASK_UNINTERRUPTIBLE that have not been scheduled since the previous
    /// check (killable waits excluded), at most 10 reports.
    /// check_hung_uninterruptible_tasks, kernel/hung_task.c.
    mutating func checkHungTasks() {
        let timeout = policy.hungTaskTimeoutSecs
        guard timeout > 0, detectors.hungTaskWarningsLeft > 0 else { return }
        let period = timeout * Units.hz
        guard tick - detectors.lastHungTaskCheck >= period else { return }
        let previous = detectors.lastHungTaskCheck
        detectors.lastHungTaskCheck = tick
        for t in taskTable.tasks where t.state == .blocked && t.wait?.isUninterruptible == true && t.lastSwitchTick <= previous {
            guard detectors.hungTaskWarningsLeft > 0 else { break }
            detectors.hungTaskWarningsLeft -= 1
            let seconds = policy.era == .v2015 ? timeout : (tick - t.waitingSince) / Units.hz
            log("INFO: task \(t.name):\(t.pid) blocked for more than \(seconds) seconds.")
            log("      Not tainted \(policy.era.kernelRelease) #1")
            log("\"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.")
            log("Call Trace:")
            for frame in sleepTrace(t) { log(" \(frame)") }
        }
    }

    /// down_read's slow path: 4.0 rwsem_down_read_failed (kernel/locking/rwsem-xadd.c,
    /// through the x86 call_rwsem_down_read_failed thunk), 6.13 rwsem_down_read_slowpath
    /// (kernel/locking/rwsem.c).
    var downReadFrames: [String] {
        policy.era == .v2015 ? ["rwsem_down_read_failed", "call_rwsem_down_read_failed", "down_read"]
                             : ["rwsem_down_read_slowpath", "down_read"]
    }

    /// The stack a task in D state shows in a hung-task report.
    func sleepTrace(_ t: Task) -> [String] {
        switch t.wait {
        case .lock(_, true, .write): return ["schedule", "__mutex_lock_killable_slowpath", "mutex_lock_killable"]
        case .lock(_, _, .read): return ["schedule"] + downReadFrames
        case .lock: return ["schedule", "schedule_preempt_disabled", "__mutex_lock_slowpath", "mutex_lock"]
        case .exitMmapLock: return ["schedule"] + downReadFrames + ["exit_mm", "do_exit"]
        case .dirtyThrottle: return ["schedule", "io_schedule_timeout", "balance_dirty_pages", "generic_perform_write"]
        default: return ["schedule", "io_schedule_timeout"]
        }
    }

    /// Victims: report a victim that cannot exit while the OOM killer waits
    /// for it, then apply victim_timeout_ms. A victim that has not exited
    /// `victimStallTicks` after its kill has been stalled since the kill, so
    /// the stall is dated from there (Outcome.record). The stall check comes
    /// before the timeout: a 5 s victim timeout ends a 5 s stall, it does not
    /// hide it.
    mutating func checkVictims() {
        guard !oom.liveVictims.isEmpty else {
            if detectors.diagnoses.stall != nil { detectors.diagnoses.stall = nil }
            return
        }
        var stalled: (pid: Int, since: Int)?
        var timedOut: [Int] = []
        for pid in oom.liveVictims {
            guard let i = taskTable.pidIndex[pid], taskTable.tasks[i].isAlive, let since = taskTable.tasks[i].victimSince else { continue }
            if taskTable.tasks[i].oomSkip || taskTable.tasks[i].victimTimedOut { continue }
            let age = tick - since
            if age >= Kernel.victimStallTicks && stalled == nil { stalled = (pid, since) }
            if policy.victimTimeoutMs > 0, age >= Units.ticks(ms: policy.victimTimeoutMs) { timedOut.append(i) }
        }
        // A loop, not removeAll(where:): its closure over the kernel made
        // the optimizer copy a Task (and the kernel) every tick.
        var k = 0
        while k < oom.liveVictims.count {
            if let i = taskTable.pidIndex[oom.liveVictims[k]], taskTable.tasks[i].state != .dead, !taskTable.tasks[i].oomSkip {
                k += 1
            } else {
                oom.liveVictims.remove(at: k)
            }
        }
        if let s = stalled {
            if detectors.diagnoses.stall?.pid != s.pid {
                detectors.diagnoses.stall = s
                let chain = waitChain(pid: s.pid).joined(separator: " -> ")
                log("oomlab: OOM victim stall: \(chain)", .oomlab)
            }
        } else {
            detectors.diagnoses.stall = nil
        }
        for i in timedOut {
            taskTable.tasks[i].victimTimedOut = true
            log("oomlab: victim_timeout: \(taskTable.tasks[i].name)[\(taskTable.tasks[i].pid)] still TIF_MEMDIE after \(policy.victimTimeoutMs) ms; the OOM killer may select another victim (Tetsuo Handa's proposal)", .oomlab)
        }
    }

    /// How often the livelock scan looks at every task. A livelock, once
    /// found, is followed every tick, and its start is exact either way.
    static let livelockScanTicks = Units.hz / 10

    /// Allocation livelock, judged from each task's own progress: a task that
    /// has looped in the allocator for a whole window (`livelockTicks`)
    /// without its own allocation getting a page is livelocked, whatever
    /// other pages move. (4.0's zone_reclaimable() could keep an allocator
    /// looping for ever on a trickle of pages freed elsewhere: the case the
    /// 4.7 OOM detection rework, 0a0337e0d1d1, was made for.)
    mutating func checkLivelock() {
        if let l = detectors.diagnoses.livelock {
            let still = l.pids.filter { pid in taskTable.pidIndex[pid].map { isLivelocked($0) } ?? false }
            if still.isEmpty {
                detectors.diagnoses.livelock = nil
            } else if still != l.pids {
                detectors.diagnoses.livelock = (l.since, still)
            }
            return
        }
        guard tick % Kernel.livelockScanTicks == 0 else { return }
        var pids: [Int] = []
        var since = Int.max
        for i in taskTable.tasks.indices where isLivelocked(i) {
            pids.append(taskTable.tasks[i].pid)
            since = Swift.min(since, taskTable.tasks[i].allocation?.lastGrantTick ?? tick)
        }
        guard !pids.isEmpty else { return }
        detectors.diagnoses.livelock = (since, pids)
        let names = pids.prefix(4).compactMap { task(pid: $0) }.map { "\($0.name)[\($0.pid)]" }.joined(separator: ", ")
            + (pids.count > 4 ? " and \(pids.count - 4) more" : "")
        log("oomlab: allocation livelock: \(names) \(pids.count == 1 ? "has" : "have") looped in the allocator for \(Kernel.livelockTicks / Units.hz) s without being served" + livelockCause(), .oomlab)
    }

    /// In the allocator (running its slow path, or in one of its sleeps) with
    /// the same allocation unserved for a whole window.
    func isLivelocked(_ i: Int) -> Bool {
        guard let a = taskTable.tasks[i].allocation, tick - a.lastGrantTick >= Kernel.livelockTicks else { return false }
        switch taskTable.tasks[i].state {
        case .running: return true
        case .blocked: return taskTable.tasks[i].wait?.isMemoryStall == true
        default: return false
        }
    }
}
