/// Mutexes: take, release with FIFO handoff, and the wait-for graph.
extension Kernel {
    /// mutex_lock() / mutex_lock_killable(): returns true if the task got the
    /// lock now; otherwise it sleeps as the last waiter.
    mutating func mutexLock(_ i: Int, name: String, killable: Bool) -> Bool {
        let l = ensureLock(name)
        if locks[l].owner == nil {
            locks[l].owner = tasks[i].pid
            tasks[i].heldLocks.append(name)
            return true
        }
        locks[l].waiters.append(tasks[i].pid)
        block(i, .lock(name: name, killable: killable))
        detectLockCycle(from: i)
        return false
    }

    /// mutex_unlock(): hands the lock to the first waiter, who wakes owning it.
    mutating func mutexUnlock(_ i: Int, name: String) {
        guard let l = lockIndex[name], locks[l].owner == tasks[i].pid else {
            log("oomlab: \(tasks[i].name)[\(tasks[i].pid)] unlocks \(name), which it does not hold; ignored", .oomlab)
            return
        }
        if let k = tasks[i].heldLocks.lastIndex(of: name) { tasks[i].heldLocks.remove(at: k) }
        handOff(l)
    }

    /// Gives lock `l` to its first waiter (or leaves it free).
    mutating func handOff(_ l: Int) {
        locks[l].owner = nil
        while !locks[l].waiters.isEmpty {
            let pid = locks[l].waiters.removeFirst()
            guard let w = pidIndex[pid], tasks[w].isAlive else { continue }
            locks[l].owner = pid
            tasks[w].heldLocks.append(locks[l].name)
            if case .exitMmapLock = tasks[w].wait {
                tasks[w].wait = nil
                tasks[w].state = .exiting
            } else {
                advance(w)   // past its `lock` op
                wake(w)
            }
            if let d = diagnoses.deadlock, d.pids.contains(pid) { diagnoses.deadlock = nil }
            return
        }
    }

    mutating func ensureLock(_ name: String) -> Int {
        if let l = lockIndex[name] { return l }
        lockIndex[name] = locks.count
        locks.append(Lock(name: name))
        return locks.count - 1
    }

    /// Removes a task from a lock's waiters (a killable wait ended by SIGKILL).
    mutating func removeWaiter(_ pid: Int, from name: String) {
        guard let l = lockIndex[name] else { return }
        locks[l].waiters.removeAll { $0 == pid }
    }

    /// The task a blocked task waits for, through a lock: its owner.
    func lockOwnerBlocking(_ t: Task) -> (lock: String, owner: Int)? {
        switch t.wait {
        case .lock(let name, _), .exitMmapLock(let name):
            guard let l = lockIndex[name], let owner = locks[l].owner else { return nil }
            return (name, owner)
        default:
            return nil
        }
    }

    /// A new edge in the wait-for graph can close a cycle: follow owners from
    /// the task that just blocked. The chain is short, so this is cheap.
    mutating func detectLockCycle(from i: Int) {
        let start = tasks[i].pid
        var pid = start
        var chain: [(pid: Int, lock: String)] = []
        for _ in 0...locks.count {
            guard let k = pidIndex[pid], let edge = lockOwnerBlocking(tasks[k]) else { return }
            chain.append((pid, edge.lock))
            if edge.owner == start {
                let words = chain.map { link -> String in
                    let t = tasks[pidIndex[link.pid] ?? 0]
                    return "\(t.name)[\(t.pid)] waits for \(link.lock)"
                }
                let reason = "lock cycle: " + words.joined(separator: ", held by ") + ", held by \(tasks[i].name)[\(start)]"
                diagnoses.deadlock = (tick, chain.map(\.pid), reason)
                log("oomlab: deadlock: \(reason)", .oomlab)
                return
            }
            if chain.count > 1 && chain.dropLast().contains(where: { $0.pid == edge.owner }) { return }
            pid = edge.owner
        }
    }
}
