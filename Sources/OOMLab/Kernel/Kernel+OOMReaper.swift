/// The OOM reaper (v4.6+): tears down a victim's anonymous memory without
/// waiting for the victim to run, so a victim stuck on a lock still frees
/// its memory, and marks the mm MMF_OOM_SKIP so the next OOM may pick another.
/// The kernel's side of the `OOMReaper` machine: what the reaper sees of the
/// victim, and what follows from what it did.
/// oom_reaper / oom_reap_task / __oom_reap_task_mm, mm/oom_kill.c.
extension Kernel {
    /// OOM_REAPER_DELAY under the current era: 2 s since 5.18, none before.
    var oomReaperDelay: Int { policy.era == .modern ? OOMReaper.modernDelayTicks : 0 }

    /// queue_oom_reaper, mm/oom_kill.c.
    mutating func queueOOMReaper(_ pid: Int) {
        guard let i = taskTable.pidIndex[pid] else { return }
        reaper.queue(pid: pid, markedAt: taskTable.tasks[i].victimSince ?? tick, now: tick, delay: oomReaperDelay)
    }

    /// One pass of the reaper thread: oom_reaper / oom_reap_task, mm/oom_kill.c.
    mutating func reaperTick() {
        guard policy.oomReaper, let pid = reaper.head, let i = taskTable.pidIndex[pid] else { return }
        // The reaper works on the victim's mm (signal->oom_mm), which lives
        // while any thread of the process does.
        let group = threadGroup(of: i).filter { taskTable.tasks[$0].isAlive }
        let seen: OOMReaper.VictimState
        if group.isEmpty || taskTable.tasks[group[0]].oomSkip {
            // exit_mmap got there first (it sets MMF_OOM_SKIP itself).
            seen = .gone
        } else if let name = taskTable.tasks[group[0]].mmapLock, !readTrylockWouldSucceed(name) {
            // mmap_read_trylock(mm): never block on the victim's exit path. It
            // fails against a writer or a queued waiter, not against readers.
            seen = .mmapLockContended
        } else {
            seen = .reapable
        }
        switch reaper.tick(now: tick, victim: seen, delay: oomReaperDelay) {
        case .none, .dropped, .retrying:
            return
        case .gaveUp:
            log("oom_reaper: unable to reap pid:\(pid) (\(taskTable.tasks[i].name))")
            for member in group { taskTable.tasks[member].oomSkip = true }
        case .reap:
            // The mm is the process's, on its owner's entry; MMF_OOM_SKIP is the mm's.
            let mm = taskTable.mmOwner(group[0])
            let anon = taskTable.tasks[mm].anon
            let swap = taskTable.tasks[mm].swapEntries
            taskTable.tasks[mm].anon = 0
            taskTable.tasks[mm].swapEntries = 0
            zone.counters.anon -= anon
            zone.counters.swapUsed -= swap
            freePages(anon)
            memcgUnchargeAnon(mm, anon)
            memcgUnchargeSwap(mm, swap)
            for member in group { taskTable.tasks[member].oomSkip = true }
            log("oom_reaper: reaped process \(pid) (\(taskTable.tasks[i].name)), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB")
        }
    }
}
