/// Signals and exit: SIGKILL, do_exit, exit_mm.
extension Kernel {
    /// Sends SIGKILL. A task in an interruptible or killable sleep wakes to
    /// die; one in TASK_UNINTERRUPTIBLE stays where it is (that is the stall).
    /// do_send_sig_info / signal_wake_up (TASK_WAKEKILL), kernel/signal.c.
    mutating func sendSIGKILL(_ i: Int) {
        guard tasks[i].isAlive else { return }
        touch(i)
        tasks[i].sigkill = true
        switch tasks[i].wait {
        case .sleep, .dirtyThrottle, .swapIn, .memcgHigh:
            wake(i)
        case .lock(let name, true, _):
            removeWaiter(tasks[i].pid, from: name)
            wake(i)
        default:
            break
        }
    }

    /// do_exit() up to exit_mm(): drop any allocation in progress, then take
    /// the mmap lock for read, which waits if another task holds it.
    /// do_exit / exit_mm, kernel/exit.c.
    mutating func doExit(_ i: Int) {
        if case .lock(let name, _, _) = tasks[i].wait { removeWaiter(tasks[i].pid, from: name) }
        tasks[i].allocation = nil
        tasks[i].touch = nil
        tasks[i].wait = nil
        tasks[i].state = .exiting
        if let name = tasks[i].mmapLock {
            let l = ensureLock(name)
            // down_read: passes beside other readers, waits for a writer
            // holding it or queued for it. A task holding it itself goes on.
            if !locks[l].holders.contains(tasks[i].pid) && !canTake(l, .read) {
                locks[l].waiters.append(tasks[i].pid)
                block(i, .exitMmapLock(name: name))
                detectLockCycle(from: i)
                return
            }
        }
        finishExit(i)
    }

    /// exit_mm() and the rest of do_exit(): drop the task's use of its mm
    /// (freed at the last user's mmput: exit_mmap, which sets MMF_OOM_SKIP;
    /// a thread with live siblings frees none of it), free its kernel
    /// buffers and reservation, release its locks, clear TIF_MEMDIE.
    /// exit_mm / mmput / exit_mmap, kernel/exit.c, kernel/fork.c, mm/mmap.c.
    mutating func finishExit(_ i: Int) {
        let lastUser = mmputIsLast(i)
        let t = tasks[i]
        let mmPages = lastUser ? t.anon + t.pageTables : 0
        let freed = mmPages + t.kernelPages + t.reserved
        if lastUser {
            memory.anon -= t.anon
            memory.pageTables -= t.pageTables
            memory.swapUsed -= t.swapEntries
        }
        memory.slabUnreclaimable -= t.kernelPages
        memory.reservationPool -= t.reserved
        freePages(freed)
        memcgUnchargeAnon(i, t.anon)
        memcgUnchargeSwap(i, t.swapEntries)
        tasks[i].anon = 0
        tasks[i].pageTables = 0
        tasks[i].kernelPages = 0
        tasks[i].reserved = 0
        tasks[i].swapEntries = 0
        tasks[i].frames = FrameStack()
        tasks[i].allocation = nil
        tasks[i].touch = nil
        tasks[i].wait = nil
        tasks[i].busyUntil = 0
        for name in t.heldLocks.reversed() {
            if let l = lockIndex[name], locks[l].holders.contains(t.pid) { drop(l, t.pid) }
        }
        tasks[i].heldLocks = []
        tasks[i].state = .dead
        tasks[i].memdie = false
        tasks[i].oomSkip = true
        if t.memdie {
            liveVictims.removeAll { $0 == t.pid }
            log("oomlab: OOM victim \(t.name)[\(t.pid)] exited and freed \(freed) pages (\(Units.kb(pages: freed))kB)", .oomlab)
        }
    }
}
