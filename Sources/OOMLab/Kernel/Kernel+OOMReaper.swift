/// The OOM reaper (v4.6+): tears down a victim's anonymous memory without
/// waiting for the victim to run, so a victim stuck on a lock still frees
/// its memory, and marks the mm MMF_OOM_SKIP so the next OOM may pick another.
/// oom_reaper / oom_reap_task / __oom_reap_task_mm, mm/oom_kill.c.
extension Kernel {
    mutating func queueOOMReaper(_ pid: Int) {
        guard !reaper.queue.contains(pid) else { return }
        reaper.queue.append(pid)
        if reaper.queue.count == 1 { startReaping() }
    }

    /// Sets the first attempt for the victim now at the head of the queue:
    /// at once in 4.6-5.17, after OOM_REAPER_DELAY (2 s) since 5.18.
    mutating func startReaping() {
        reaper.attempts = 0
        guard let pid = reaper.queue.first, let i = pidIndex[pid] else { return }
        let delay = policy.era == .modern ? OOMReaper.modernDelayTicks : 0
        reaper.nextAttemptTick = Swift.max(tick, (tasks[i].victimSince ?? tick) + delay)
    }

    mutating func reaperTick() {
        guard policy.oomReaper, let pid = reaper.queue.first, let i = pidIndex[pid] else { return }
        if !tasks[i].isAlive || tasks[i].oomSkip {
            // exit_mmap got there first (it sets MMF_OOM_SKIP itself).
            popReaperQueue()
            return
        }
        guard tick >= reaper.nextAttemptTick else { return }
        // mmap_read_trylock(mm): never block on the victim's exit path. It
        // fails against a writer or a queued waiter, not against readers.
        if let name = tasks[i].mmapLock, !readTrylockWouldSucceed(name) {
            reaper.attempts += 1
            if reaper.attempts >= OOMReaper.maxAttempts {
                log("oom_reaper: unable to reap pid:\(pid) (\(tasks[i].name))")
                for member in threadGroup(of: i) { tasks[member].oomSkip = true }
                popReaperQueue()
            } else {
                reaper.nextAttemptTick = tick + OOMReaper.retryTicks
            }
            return
        }
        // The mm is the process's: every thread's share of it goes.
        for member in threadGroup(of: i) {
            let anon = tasks[member].anon
            let swap = tasks[member].swapEntries
            tasks[member].anon = 0
            tasks[member].swapEntries = 0
            memory.anon -= anon
            memory.swapUsed -= swap
            freePages(anon)
            tasks[member].oomSkip = true
        }
        reaped.append(pid)
        log("oom_reaper: reaped process \(pid) (\(tasks[i].name)), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB")
        popReaperQueue()
    }

    mutating func popReaperQueue() {
        reaper.queue.removeFirst()
        startReaping()
    }
}
