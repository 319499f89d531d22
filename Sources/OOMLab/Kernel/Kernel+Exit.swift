/// Signals and exit: SIGKILL, do_exit, exit_mm.
extension Kernel {
    /// Sends SIGKILL. A task in an interruptible or killable sleep wakes to
    /// die; one in TASK_UNINTERRUPTIBLE stays where it is (that is the stall).
    /// do_send_sig_info / signal_wake_up (TASK_WAKEKILL), kernel/signal.c.
    mutating func sendSIGKILL(_ i: Int) {
        guard taskTable.tasks[i].isAlive else { return }
        touch(i)
        taskTable.tasks[i].sigkill = true
        switch taskTable.tasks[i].wait {
        case .sleep, .dirtyThrottle, .swapIn, .memcgHigh:
            wake(i)
        case .lock(let name, true, _):
            removeWaiter(taskTable.tasks[i].pid, from: name)
            wake(i)
        default:
            break
        }
    }

    /// do_exit() up to exit_mm(): drop any allocation in progress, then take
    /// the mmap lock for read, which waits if another task holds it.
    /// do_exit / exit_mm, kernel/exit.c.
    mutating func doExit(_ i: Int) {
        if case .lock(let name, _, _) = taskTable.tasks[i].wait { removeWaiter(taskTable.tasks[i].pid, from: name) }
        taskTable.tasks[i].allocation = nil
        taskTable.tasks[i].touch = nil
        taskTable.tasks[i].wait = nil
        taskTable.tasks[i].state = .exiting
        if let name = taskTable.tasks[i].mmapLock {
            let l = ensureLock(name)
            // down_read: passes beside other readers, waits for a writer
            // holding it or queued for it. A task holding it itself goes on.
            if !lockTable.locks[l].holders.contains(taskTable.tasks[i].pid) && !canTake(l, .read) {
                lockTable.locks[l].waiters.append(taskTable.tasks[i].pid)
                block(i, .exitMmapLock(name: name))
                detectLockCycle(from: i)
                return
            }
        }
        exitMM(i)
    }

    /// exit_mm() and the rest of do_exit(): drop the task's use of its mm
    /// (freed at the last user's mmput: exit_mmap, which sets MMF_OOM_SKIP;
    /// a thread with live siblings frees none of it), free its kernel
    /// buffers and reservation, release its locks, clear TIF_MEMDIE.
    /// exit_mm / mmput / exit_mmap, kernel/exit.c, kernel/fork.c, mm/mmap.c.
    mutating func exitMM(_ i: Int) {
        let lastUser = mmputIsLast(i)
        let t = taskTable.tasks[i]
        let mmPages = lastUser ? t.anon + t.pageTables : 0
        let freed = mmPages + t.kernelPages + t.reserved
        if lastUser {
            zone.counters.anon -= t.anon
            zone.counters.pageTables -= t.pageTables
            zone.counters.swapUsed -= t.swapEntries
        }
        zone.counters.slabUnreclaimable -= t.kernelPages
        zone.counters.reservationPool -= t.reserved
        freePages(freed)
        memcgUnchargeAnon(i, t.anon)
        memcgUnchargeSwap(i, t.swapEntries)
        taskTable.tasks[i].anon = 0
        taskTable.tasks[i].pageTables = 0
        taskTable.tasks[i].kernelPages = 0
        taskTable.tasks[i].reserved = 0
        taskTable.tasks[i].swapEntries = 0
        taskTable.tasks[i].frames = FrameStack()
        taskTable.tasks[i].allocation = nil
        taskTable.tasks[i].touch = nil
        taskTable.tasks[i].wait = nil
        taskTable.tasks[i].busyUntil = 0
        for name in t.heldLocks.reversed() {
            if let l = lockTable.lockIndex[name], lockTable.locks[l].holders.contains(t.pid) { drop(l, t.pid) }
        }
        taskTable.tasks[i].heldLocks = []
        taskTable.tasks[i].state = .dead
        taskTable.tasks[i].memdie = false
        taskTable.tasks[i].oomSkip = true
        if t.memdie {
            oom.liveVictims.removeAll { $0 == t.pid }
            log("oomlab: OOM victim \(t.name)[\(t.pid)] exited and freed \(freed) pages (\(Units.kb(pages: freed))kB)", .oomlab)
        }
    }
}
