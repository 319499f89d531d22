/// Locks as rwsems: take for read or write, release with FIFO handoff, the
/// reaper's trylock, and the wait-for graph. A lock only ever taken for
/// write is a mutex with FIFO handoff.
///
/// The rules, read from kernel/locking/rwsem.c (6.13) and
/// kernel/locking/rwsem-xadd.c (4.0):
/// - down_write gets the lock only when nobody holds it;
/// - down_read gets it when no writer holds it and nobody is queued: a
///   queued writer blocks new readers (6.13 `rwsem_read_trylock` fails on
///   RWSEM_FLAG_WAITERS and `rwsem_down_read_slowpath` queues behind a
///   reader-owned lock; 4.0's count goes negative with a waiter queued);
/// - on release, a writer at the head of the queue gets the lock; readers at
///   the head get it together: in 4.0 the readers up to the first queued
///   writer (`__rwsem_do_wake`), in 6.13 every queued reader, up to
///   MAX_READERS_WAKEUP (`rwsem_mark_wake`).
/// The kernel wakes the head writer and lets it take the lock itself
/// (optimistic spinning and lock stealing; handoff after
/// RWSEM_WAIT_TIMEOUT); the model hands it over at once (docs/kernel.md §8.3).
extension Kernel {
    /// rwsem_mark_wake's MAX_READERS_WAKEUP (6.13).
    static let maxReadersWakeup = 0x100

    /// mutex_lock() / down_write() / down_read() and their killable forms:
    /// returns true if the task got the lock now; otherwise it sleeps as the
    /// last waiter.
    /// mutex_lock(_killable) / down_read / down_write(_killable), kernel/locking/mutex.c, kernel/locking/rwsem.c.
    mutating func lockOp(_ i: Int, name: String, killable: Bool, mode: LockMode) -> Bool {
        let l = ensureLock(name)
        if canTake(l, mode) {
            grant(l, to: i, mode)
            return true
        }
        lockTable.locks[l].waiters.append(taskTable.tasks[i].pid)
        block(i, .lock(name: name, killable: killable, mode: mode))
        detectLockCycle(from: i)
        return false
    }

    /// Whether a new arrival may take lock `l` in `mode` now, without queueing.
    /// rwsem_read_trylock / rwsem_write_trylock, kernel/locking/rwsem.c; mutex_trylock, kernel/locking/mutex.c.
    func canTake(_ l: Int, _ mode: LockMode) -> Bool {
        switch mode {
        case .write: return !lockTable.locks[l].isHeld
        case .read: return lockTable.locks[l].owner == nil && lockTable.locks[l].waiters.isEmpty
        }
    }

    /// mmap_read_trylock() / down_read_trylock(): fails against a writer and
    /// whenever a task is queued (RWSEM_READ_FAILED_MASK in 6.13
    /// `__down_read_trylock`; a negative count in 4.0), never waits.
    /// down_read_trylock (mmap_read_trylock), kernel/locking/rwsem.c.
    func readTrylockWouldSucceed(_ name: String) -> Bool {
        guard let l = lockTable.lockIndex[name] else { return true }
        return canTake(l, .read)
    }

    /// Lock `l` is now held by task i in `mode` (the fast path of down_read /
    /// down_write / mutex_lock), kernel/locking/rwsem.c, kernel/locking/mutex.c.
    private mutating func grant(_ l: Int, to i: Int, _ mode: LockMode) {
        switch mode {
        case .write: lockTable.locks[l].owner = taskTable.tasks[i].pid
        case .read: lockTable.locks[l].readers.append(taskTable.tasks[i].pid)
        }
        taskTable.tasks[i].heldLocks.append(lockTable.locks[l].name)
    }

    /// mutex_unlock() / up_write() / up_read(): the task lets go of a lock it
    /// holds in whichever mode it holds it; the queue's head then gets it.
    /// mutex_unlock / up_read / up_write, kernel/locking/mutex.c, kernel/locking/rwsem.c.
    mutating func lockRelease(_ i: Int, name: String) {
        let pid = taskTable.tasks[i].pid
        guard let l = lockTable.lockIndex[name], lockTable.locks[l].holders.contains(pid) else {
            log("oomlab: \(taskTable.tasks[i].name)[\(pid)] unlocks \(name), which it does not hold; ignored", .oomlab)
            return
        }
        if let k = taskTable.tasks[i].heldLocks.lastIndex(of: name) { taskTable.tasks[i].heldLocks.remove(at: k) }
        drop(l, pid)
    }

    /// Takes `pid` off lock `l`'s holders and wakes whoever may go next.
    /// up_read / up_write, kernel/locking/rwsem.c; mutex_unlock, kernel/locking/mutex.c.
    mutating func drop(_ l: Int, _ pid: Int) {
        if lockTable.locks[l].owner == pid {
            lockTable.locks[l].owner = nil
        } else if let k = lockTable.locks[l].readers.firstIndex(of: pid) {
            lockTable.locks[l].readers.remove(at: k)
        }
        rwsemWake(l)
    }

    /// rwsem_wake() / rwsem_mark_wake() (mutex handoff for a mutex): with no
    /// writer holding lock `l`, a writer at the head of the queue gets it once
    /// no reader holds it; readers at the head get it together (4.0: those
    /// before the first queued writer; 6.13: every queued reader).
    /// __rwsem_do_wake, kernel/locking/rwsem-xadd.c (v4.0); rwsem_mark_wake, kernel/locking/rwsem.c (v6.13); __mutex_unlock_slowpath, kernel/locking/mutex.c.
    mutating func rwsemWake(_ l: Int) {
        guard lockTable.locks[l].owner == nil else { return }
        let table = taskTable
        lockTable.locks[l].waiters.removeAll { table.pidIndex[$0].map { !table.tasks[$0].isAlive } ?? true }
        guard let head = lockTable.locks[l].waiters.first, let h = taskTable.pidIndex[head] else { return }
        if waitMode(h) == .write {
            guard lockTable.locks[l].readers.isEmpty else { return }
            lockTable.locks[l].waiters.removeFirst()
            wakeHolder(l, h, .write)
            return
        }
        var woken = 0
        var k = 0
        while k < lockTable.locks[l].waiters.count && woken < Self.maxReadersWakeup {
            guard let w = taskTable.pidIndex[lockTable.locks[l].waiters[k]] else { k += 1; continue }
            if waitMode(w) == .write {
                if policy.era == .v2015 { break }   // 4.0 stops at the first writer
                k += 1                              // 6.13 wakes the readers behind it too
                continue
            }
            lockTable.locks[l].waiters.remove(at: k)
            wakeHolder(l, w, .read)
            woken += 1
        }
    }

    private func waitMode(_ i: Int) -> LockMode { taskTable.tasks[i].wait?.lockWanted?.mode ?? .write }

    /// A queued task wakes holding the lock.
    /// rwsem_mark_wake (the waiter is handed the lock), kernel/locking/rwsem.c.
    private mutating func wakeHolder(_ l: Int, _ w: Int, _ mode: LockMode) {
        grant(l, to: w, mode)
        touch(w)
        if case .exitMmapLock = taskTable.tasks[w].wait {
            taskTable.tasks[w].wait = nil
            taskTable.tasks[w].state = .exiting
        } else {
            advance(w)   // past its `lock` op
            wake(w)
        }
        if let d = detectors.diagnoses.deadlock, d.pids.contains(taskTable.tasks[w].pid) { detectors.diagnoses.deadlock = nil }
    }

    mutating func ensureLock(_ name: String) -> Int {
        if let l = lockTable.lockIndex[name] { return l }
        lockTable.lockIndex[name] = lockTable.locks.count
        lockTable.locks.append(Lock(name: name))
        return lockTable.locks.count - 1
    }

    /// Removes a task from a lock's waiters (a killable wait ended by SIGKILL,
    /// or an exit). A writer leaving the queue can let readers behind it in
    /// (6.13 `rwsem_del_wake_waiter`).
    mutating func removeWaiter(_ pid: Int, from name: String) {
        guard let l = lockTable.lockIndex[name] else { return }
        lockTable.locks[l].waiters.removeAll { $0 == pid }
        rwsemWake(l)
    }

    /// The task a blocked task waits for, through a lock: the writer holding
    /// it; for a reader queued behind a waiting writer, that writer; else the
    /// first reader holding it. `holds` says whether that task holds the lock.
    func lockOwnerBlocking(_ t: Task) -> (lock: String, owner: Int, holds: Bool)? {
        guard let (name, mode) = t.wait?.lockWanted, let l = lockTable.lockIndex[name] else { return nil }
        if let owner = lockTable.locks[l].owner { return (name, owner, true) }
        if mode == .read, let writer = writerQueuedAhead(of: t.pid, on: l) { return (name, writer, false) }
        guard let reader = lockTable.locks[l].readers.first else { return nil }
        return (name, reader, true)
    }

    /// The first writer queued on lock `l` ahead of `pid`, if any.
    func writerQueuedAhead(of pid: Int, on l: Int) -> Int? {
        for w in lockTable.locks[l].waiters {
            if w == pid { return nil }
            if let k = taskTable.pidIndex[w], waitMode(k) == .write { return w }
        }
        return nil
    }

    /// A new edge in the wait-for graph can close a cycle: follow owners from
    /// the task that just blocked. The chain is short, so this is cheap.
    mutating func detectLockCycle(from i: Int) {
        let start = taskTable.tasks[i].pid
        var pid = start
        var chain: [(pid: Int, lock: String, holds: Bool)] = []
        for _ in 0...(lockTable.locks.count + taskTable.tasks.count) {
            guard let k = taskTable.pidIndex[pid], let edge = lockOwnerBlocking(taskTable.tasks[k]) else { return }
            chain.append((pid, edge.lock, edge.holds))
            if edge.owner == start {
                var reason = "lock cycle: "
                for link in chain {
                    let t = taskTable.tasks[taskTable.pidIndex[link.pid] ?? 0]
                    reason += "\(t.name)[\(t.pid)] waits for \(link.lock)" + (link.holds ? ", held by " : ", behind the queued writer ")
                }
                reason += "\(taskTable.tasks[i].name)[\(start)]"
                detectors.diagnoses.deadlock = (tick, chain.map(\.pid), reason)
                log("oomlab: deadlock: \(reason)", .oomlab)
                return
            }
            if chain.count > 1 && chain.dropLast().contains(where: { $0.pid == edge.owner }) { return }
            pid = edge.owner
        }
    }
}
