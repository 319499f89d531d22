/// Plain-words descriptions of what tasks do and why they wait, with the
/// kernel function names, for the task list, JSON and `explain`.
extension Kernel {
    /// One line: what the task is doing or waiting on.
    public func activity(of t: Task) -> String {
        let victim = t.memdie && t.isAlive ? "TIF_MEMDIE, " : ""
        switch t.state {
        case .dead: return "exited"
        case .new: return "starts at tick \(t.startTick)"
        case .exiting:
            return victim + "exiting"
        case .blocked, .sleeping:
            return victim + describeWait(t)
        case .running:
            if let a = t.allocation { return victim + describeAllocation(t, a) }
            if t.busyUntil > tick { return victim + "compute" }
            return victim + "running"
        }
    }

    /// The wait a blocked task is in, e.g. "lock agf held by 17".
    public func describeWait(_ t: Task) -> String {
        switch t.wait {
        case .lock(let name, let killable, let mode):
            return "lock \(name)" + (mode == .read ? " for read" : "") + " " + holding(name, waiter: t.pid)
                + (killable ? " (killable)" : "")
        case .exitMmapLock(let name):
            return "exit_mm: mmap_lock \(name) " + holding(name, waiter: t.pid)
        case .congestionWait:
            return "congestion_wait in kmem_alloc, try \(t.allocation?.tries ?? 0)"
        case .allocatorBackoff(_, let reason):
            return "\(reason), try \(t.allocation?.tries ?? 0)"
        case .swapIn(let until):
            return "do_swap_page: waiting for the swap read (\(policy.era == .v2015 ? "swap_readpage" : "swap_read_folio")), until tick \(until)"
        case .dirtyThrottle(let until):
            return "balance_dirty_pages: too much dirty, paused until tick \(until)"
        case .memcgHigh(let until):
            return "memory.high throttle: mem_cgroup_handle_over_high sleeps until tick \(until)"
        case .sleep(let until):
            return "sleep until tick \(until)"
        case nil:
            return "sleeping"
        }
    }

    /// Who holds a lock, as a waiter sees it: "held by 17", "held for read
    /// by 17 18", and the writer queued ahead that keeps a reader waiting.
    func holding(_ name: String, waiter pid: Int) -> String {
        guard let l = lockTable.lockIndex[name] else { return "free" }
        let lock = lockTable.locks[l]
        var words: String
        if let owner = lock.owner {
            words = "held by \(owner)"
        } else if !lock.readers.isEmpty {
            let shown = lock.readers.prefix(3).map(String.init).joined(separator: " ")
            words = "held for read by " + shown + (lock.readers.count > 3 ? " +\(lock.readers.count - 3)" : "")
        } else {
            words = "free"
        }
        if case .read? = taskTable.tasks[taskTable.pidIndex[pid] ?? 0].wait?.lockWanted?.mode, let w = writerQueuedAhead(of: pid, on: l) {
            words += ", behind writer \(w)"
        }
        return words
    }

    func describeAllocation(_ t: Task, _ a: AllocationProgress) -> String {
        if a.charge == .reservation {
            return "reservation \(t.reserved + a.remaining) pages (\(t.reserved) granted)"
        }
        let style = a.charge == .swapIn ? "do_swap_page: __alloc_pages_slowpath"
            : a.spec.retry == .kmemAlloc ? "kmem_alloc" : "__alloc_pages_slowpath"
        let what = "order-\(a.spec.order) \(a.spec.gfp.symbolicName)"
        if a.tries == 0 { return "allocating \(a.remaining) pages, \(what)" }
        return "\(style), \(what), try \(a.tries)"
    }

    /// The wait chain from a task down to its root cause, one link per entry:
    /// victim -> waits for lock -> owner -> what the owner is stuck in.
    public func waitChain(pid: Int) -> [String] {
        guard var t = task(pid: pid) else { return ["no task \(pid)"] }
        var head = "\(t.name)[\(t.pid)]"
        if t.memdie && t.isAlive {
            let age = t.victimSince.map { " for \(Units.ms(ticks: tick - $0)) ms" } ?? ""
            head += " (OOM victim, TIF_MEMDIE\(age))"
        }
        var links = [head]
        var seen = [t.pid]
        while let edge = lockOwnerBlocking(t), let owner = task(pid: edge.owner) {
            switch t.wait {
            case .lock(_, true, .write): links.append("waits in mutex_lock_killable for \(edge.lock)")
            case .lock(_, true, .read): links.append("waits in down_read_killable for \(edge.lock)")
            case .lock(_, false, .read): links.append("waits in down_read for \(edge.lock) (TASK_UNINTERRUPTIBLE: SIGKILL cannot wake it)")
            case .exitMmapLock: links.append("waits in exit_mm for mmap_lock \(edge.lock)")
            default: links.append("waits in mutex_lock for \(edge.lock) (TASK_UNINTERRUPTIBLE: SIGKILL cannot wake it)")
            }
            links.append(edge.holds
                ? "\(edge.lock) is held by \(owner.name)[\(owner.pid)]"
                : "\(owner.name)[\(owner.pid)] is queued ahead for \(edge.lock) for write, and a queued writer blocks new readers")
            if seen.contains(owner.pid) {
                links.append("which closes a lock cycle")
                return links
            }
            seen.append(owner.pid)
            t = owner
        }
        links.append(rootCause(of: t))
        if t.pid != pid && oom.aborts > 0 && task(pid: pid)?.memdie == true {
            links.append("out_of_memory aborts while a TIF_MEMDIE victim lives (select_bad_process), so nothing else is killed")
        }
        return links
    }

    /// Why the last task of a chain does not move, in the kernel's terms.
    func rootCause(of t: Task) -> String {
        guard t.isAlive else { return "has exited" }
        if let a = t.allocation {
            let gfp = a.spec.gfp
            let loop = a.spec.retry == .kmemAlloc
                ? "loops in kmem_alloc (congestion_wait HZ/50 between tries)"
                : "loops in __alloc_pages_slowpath"
            var why: [String] = ["order-\(a.spec.order) \(gfp.symbolicName), try \(a.tries)"]
            if a.charge == .reservation { why.append("waiting to reserve \(a.remaining) more pages") }
            // 4.0 forces a kill for __GFP_NOFAIL even without __GFP_FS; 6.x does not.
            if !gfp.contains(.fs) && (!gfp.contains(.nofail) || policy.era == .modern) {
                why.append("!__GFP_FS: may not invoke the OOM killer")
            }
            if gfp.contains(.nofail) { why.append("__GFP_NOFAIL: never fails") }
            if a.spec.order > Kernel.costlyOrder { why.append("order > PAGE_ALLOC_COSTLY_ORDER: no OOM kill, the allocator returns NULL") }
            if policy.oomInvocation == .kswapd { why.append("OOM left to kswapd") }
            if !gfp.contains(.fs) { why.append("reclaim cannot write back dirty pages or shrink fs slab") }
            return "\(loop): " + why.joined(separator: "; ")
        }
        switch t.state {
        case .sleeping: return "sleeps (\(describeWait(t)))"
        case .blocked: return describeWait(t)
        case .exiting: return "is exiting"
        case .new: return "has not started"
        default: return t.busyUntil > tick ? "is computing" : "is runnable"
        }
    }
}
