/// Charging a task's memory cgroup: the try_charge loop, one round a tick
/// like the page allocator's retry loop, and the uncharges that go with
/// frees, exit, the reaper and swap. docs/memcg.md §2, §14.
/// mm/memcontrol.c.
extension Kernel {
    /// MAX_RECLAIM_RETRIES (modern, since "mm, memcg: unify reclaim retry
    /// limits with page allocator") and MEM_CGROUP_RECLAIM_RETRIES (4.0).
    /// MAX_RECLAIM_RETRIES, mm/internal.h; try_charge_memcg, mm/memcontrol.c.
    static func memcgReclaimRetries(_ era: Era) -> Int32 { era == .modern ? Int32(Kernel.maxReclaimRetries) : 5 }

    /// What one round of try_charge_memcg said.
    enum MemcgChargeRound: Equatable {
        /// The pages are charged (or forced past the limit): take them from the zone.
        case charged
        /// Try again (after `sleep` ticks): the loop goes on.
        case retry(sleep: Int, SlowpathOutcome)
        /// -ENOMEM.
        case failed
    }

    /// Whether an allocation of this kind is charged to the task's memory
    /// cgroup: its anon pages and the page cache it reads or dirties, when
    /// the task is below the root (try_charge returns at once for the root
    /// memcg). Kernel buffers, slab and reservations are not (§13).
    func chargesMemcg(_ i: Int, _ charge: Charge) -> Bool {
        guard taskTable.tasks[i].cgroup != CgroupTree.rootID, !taskTable.tasks[i].kthread else { return false }
        switch charge {
        case .swapIn, .target(.anon), .target(.fileDirty), .target(.fileClean): return true
        case .reservation, .target: return false
        }
    }

    /// A charge made from a user page fault (an anon page or a swap-in,
    /// with __GFP_FS as GFP_HIGHUSER_MOVABLE has): where 4.0 runs the memcg
    /// OOM killer (mem_cgroup_oom_enable in handle_mm_fault) and where a
    /// 6.x -ENOMEM retries the fault. A write() or a NOFS kernel-context
    /// charge is not one. docs/memcg.md §3.1.
    func isUserFault(_ charge: Charge, gfp: GFPFlags) -> Bool {
        switch charge {
        case .swapIn, .target(.anon): return gfp.contains(.fs)
        default: return false
        }
    }

    /// A fatal signal, TIF_MEMDIE or PF_EXITING: task_is_dying (6.x) and
    /// 4.0's bypass test in try_charge.
    /// task_is_dying, mm/memcontrol.c.
    func memcgTaskIsDying(_ i: Int) -> Bool {
        taskTable.tasks[i].memdie || taskTable.tasks[i].sigkill || taskTable.tasks[i].state == .exiting
    }

    /// One round of try_charge_memcg for `pages` pages of task i. Charged
    /// pages are the caller's to put somewhere or to give back
    /// (`memcgCancelCharge`). The steps, in the kernel's order, are the
    /// table of docs/memcg.md §2 without the per-CPU stock (§13).
    /// try_charge_memcg, mm/memcontrol.c (6.13); try_charge, mm/memcontrol.c (4.0).
    mutating func tryChargeMemcg(_ i: Int, pages: Int, order: Int, gfp: GFPFlags, userFault: Bool,
                                 loop: inout MemcgChargeLoop) -> MemcgChargeRound {
        let id = taskTable.tasks[i].cgroup
        let era = policy.era
        guard let first = memcg.tree.tryCharge(id, pages) else { return .failed }
        guard case .overLimit(let over) = first else { return .charged }
        let dying = memcgTaskIsDying(i)
        // 4.0: "Unlike in global OOM situations, memcg is not in a physical
        // memory shortage. Allow dying and OOM-killed tasks to charge
        // freely": the kernel charges the root; the model forces the charge
        // on the task's cgroup so its pages stay accounted where they live.
        if era == .v2015 && dying { return memcgForceCharge(id, pages) }
        if !gfp.allowsBlocking {
            // 6.x: GFP_ATOMIC (__GFP_HIGH) is forced at nomem, with a max event.
            if era == .modern && gfp.contains(.high) {
                memcgEvent(over, .max)
                return memcgForceCharge(id, pages)
            }
            return .failed
        }
        if loop.retriesLeft < 0 { loop.retriesLeft = Kernel.memcgReclaimRetries(era) }
        memcgEvent(over, .max)
        // Reclaim in the charging task: PF_MEMALLOC (memalloc_noreclaim_save
        // in try_to_free_mem_cgroup_pages) and, 6.x, a memory stall of its
        // cgroups (psi_memstall_enter around it in try_charge_memcg).
        taskTable.tasks[i].inDirectReclaim = true
        let reclaimed = tryToFreeMemCgroupPages(over, pages: pages, gfp: gfp)
        if memcg.tree.margin(over) >= pages, memcg.tree.tryCharge(id, pages) == .charged { return .charged }
        if !loop.drained {
            // drain_all_stock(mem_over_limit): nothing to drain here; the
            // kernel's extra round is kept.
            loop.drained = true
            return .retry(sleep: 0, .memcgReclaim)
        }
        if gfp.contains(.noretry) { return memcgNoMem(id, pages, gfp: gfp) }
        // Progress on a small charge retries without using up a retry.
        if reclaimed > 0 && order <= Kernel.costlyOrder { return .retry(sleep: 0, .memcgReclaim) }
        if loop.retriesLeft > 0 {
            loop.retriesLeft -= 1
            return .retry(sleep: 0, .memcgReclaim)
        }
        switch era {
        case .modern:
            if gfp.contains(.retryMayfail) { return memcgNoMem(id, pages, gfp: gfp) }
            if loop.passedOOM && dying { return memcgNoMem(id, pages, gfp: gfp) }
            guard order <= Kernel.costlyOrder else { return memcgNoMem(id, pages, gfp: gfp) }
            memcgEvent(over, .oom)
            if memcg.version == .v1 && memcg.tree[over].oomKillDisable {
                // memcg1_oom_prepare: the charge fails; a faulting task
                // sleeps in memcg1_oom_synchronize until memory is freed.
                return userFault ? .retry(sleep: 1, .memcgOOMWait) : memcgNoMem(id, pages, gfp: gfp)
            }
            let (progress, outcome, sleep) = memcgOutOfMemory(over, invoker: i, gfp: gfp, order: order)
            guard progress else { return memcgNoMem(id, pages, gfp: gfp) }
            loop.retriesLeft = Kernel.memcgReclaimRetries(era)
            loop.passedOOM = true
            return .retry(sleep: sleep, outcome)
        case .v2015:
            if gfp.contains(.nofail) || taskTable.tasks[i].sigkill { return memcgForceCharge(id, pages) }
            memcgEvent(over, .oom)
            // mem_cgroup_oom only records the OOM for a user fault; other
            // charges get -ENOMEM and no kill at all.
            guard userFault else { return .failed }
            // The fault returns VM_FAULT_OOM; pagefault_out_of_memory calls
            // mem_cgroup_oom_synchronize, which kills (or, with
            // oom_kill_disable, waits), and the fault is retried afresh.
            loop = MemcgChargeLoop()
            if memcg.tree[over].oomKillDisable { return .retry(sleep: 1, .memcgOOMWait) }
            let (_, outcome, sleep) = memcgOutOfMemory(over, invoker: i, gfp: gfp, order: order)
            return .retry(sleep: sleep, outcome)
        }
    }

    /// The allocator's one-call shortcut may serve a request only if its
    /// cgroup takes the charge at once (no reclaim needed): then the pages
    /// are charged and this says true; otherwise nothing is charged and the
    /// request goes the long way, through `tryChargeMemcg`.
    mutating func memcgChargeFast(_ i: Int, _ pages: Int, _ charge: Charge) -> Bool {
        guard chargesMemcg(i, charge) else { return true }
        return memcg.tree.tryCharge(taskTable.tasks[i].cgroup, pages) == .charged
    }

    /// try_charge_memcg said -ENOMEM. A user fault then returns
    /// VM_FAULT_OOM and pagefault_out_of_memory retries it ("Huh
    /// VM_FAULT_OOM leaked out to the #PF handler. Retrying PF", not
    /// printed here), unless a fatal signal is pending, which the task acts
    /// on as the request ends; a write() or a kernel-context charge fails
    /// with -ENOMEM, printing nothing (memcg charges have no warn_alloc).
    /// pagefault_out_of_memory, mm/oom_kill.c.
    mutating func memcgChargeFailed(_ i: Int, _ progress: AllocationProgress, _ charge: Charge) -> StepResult {
        var p = progress
        p.tries += 1
        p.lastRound = .memcgNoMem
        if isUserFault(charge, gfp: p.spec.gfp) && !taskTable.tasks[i].sigkill {
            p.memcgLoop = MemcgChargeLoop()
            p.looping = true
            taskTable.tasks[i].allocation = p
            return .yield
        }
        taskTable.tasks[i].allocation = nil
        return .next
    }

    /// try_charge_memcg's nomem: 6.x forces __GFP_NOFAIL and __GFP_HIGH
    /// charges past the limit (page_counter_charge); everything else, and
    /// all of 4.0 here, gets -ENOMEM.
    /// try_charge_memcg, mm/memcontrol.c.
    mutating func memcgNoMem(_ id: CgroupID, _ pages: Int, gfp: GFPFlags) -> MemcgChargeRound {
        if policy.era == .modern && (gfp.contains(.nofail) || gfp.contains(.high)) { return memcgForceCharge(id, pages) }
        return .failed
    }

    /// page_counter_charge on the cgroup and its ancestors: past any limit.
    /// try_charge_memcg (force:), mm/memcontrol.c; page_counter_charge, mm/page_counter.c.
    mutating func memcgForceCharge(_ id: CgroupID, _ pages: Int) -> MemcgChargeRound {
        memcg.tree.forceCharge(id, pages) ? .charged : .failed
    }

    /// Gives back pages charged for a request the zone did not fill.
    /// cancel_charge / refill_stock, mm/memcontrol.c.
    mutating func memcgCancelCharge(_ i: Int, _ pages: Int) {
        guard pages > 0 else { return }
        memcg.tree.uncharge(taskTable.tasks[i].cgroup, pages, .memory)
    }

    /// Counts a memory.events event the way the era and the mount count it.
    /// memcg_memory_event, include/linux/memcontrol.h.
    mutating func memcgEvent(_ id: CgroupID, _ event: MemcgEvent) {
        memcg.tree.memoryEvent(id, event, era: policy.era, version: memcg.version)
    }

    // MARK: uncharging

    /// A task's anon pages leave it (free, exit, reap): uncharge them.
    /// mem_cgroup_uncharge, mm/memcontrol.c.
    mutating func memcgUnchargeAnon(_ i: Int, _ pages: Int) {
        let id = taskTable.tasks[i].cgroup
        guard id != CgroupTree.rootID, pages > 0 else { return }
        memcg.tree.uncharge(id, pages, .memory)
    }

    /// A task's swap entries are freed: uncharge the swap counter (v2).
    /// mem_cgroup_uncharge_swap, mm/memcontrol.c.
    mutating func memcgUnchargeSwap(_ i: Int, _ entries: Int) {
        let id = taskTable.tasks[i].cgroup
        guard id != CgroupTree.rootID, entries > 0, memcg.chargesSwap else { return }
        memcg.tree.uncharge(id, entries, .swap)
    }

    /// How many of `pages` anon pages of task i may go to swap now: all, or
    /// as many as memory.swap.max leaves on the way up (v2). A page whose
    /// swap charge fails stays in memory. __mem_cgroup_try_charge_swap, mm/memcontrol.c.
    func memcgSwapRoom(_ i: Int, _ pages: Int) -> Int {
        let id = taskTable.tasks[i].cgroup
        guard id != CgroupTree.rootID, memcg.chargesSwap else { return pages }
        return Swift.min(pages, memcg.tree.swapRoom(id))
    }

    /// Anon pages of task i became swap entries: the memory charge moves
    /// to the swap counter (v2; v1's memsw is not modelled). The kernel
    /// uncharges the memory when the written page is freed; the model does
    /// it when the write starts, as the task's anon count drops then.
    /// mem_cgroup_swapout, mm/memcontrol.c.
    mutating func memcgSwapOut(_ i: Int, _ pages: Int) {
        let id = taskTable.tasks[i].cgroup
        guard id != CgroupTree.rootID, pages > 0 else { return }
        memcg.tree.uncharge(id, pages, .memory)
        if memcg.chargesSwap { memcg.tree.forceCharge(id, pages, .swap) }
    }

    /// Clean page cache freed by reclaim that was not the cgroups' own
    /// (global reclaim, kswapd): uncharged from the cgroups that hold page
    /// cache in proportion to their share of the file LRU (the model keeps
    /// no owner per page), so that the cgroups never hold more page cache
    /// than the node has. `fileBefore` is the file LRU before the pages went.
    mutating func memcgUnchargeReclaimedFile(_ reclaimed: Int, fileBefore: Int, protectedFile: Int = 0, skip: [Bool]? = nil) {
        // The pages came from the part of the file LRU reclaim scanned: not
        // the page cache of the cgroups memory.low/min protected (`skip`,
        // holding `protectedFile` pages, `protectedPageCache`).
        let scanned = fileBefore - protectedFile
        guard memcg.isEnabled, reclaimed > 0, scanned > 0 else { return }
        for c in 1..<memcg.tree.count where memcg.tree[c].filePages > 0 && skip?[c] != true {
            let share = Swift.min(memcg.tree[c].filePages, Kernel.mulDiv(reclaimed, memcg.tree[c].filePages, scanned))
            memcg.tree.unchargePageCache(c, share)
        }
        // What rounding left over comes from the first cgroups holding page
        // cache, as far as the unowned page cache cannot cover it.
        var excess = memcgPageCacheTotal - zone.counters.fileLRU
        for c in 1..<memcg.tree.count where excess > 0 && memcg.tree[c].filePages > 0 && skip?[c] != true {
            let n = Swift.min(excess, memcg.tree[c].filePages)
            memcg.tree.unchargePageCache(c, n)
            excess -= n
        }
    }

    /// The page cache charged to all cgroups (own charges, so each page once).
    var memcgPageCacheTotal: Int {
        var sum = 0
        for c in 1..<memcg.tree.count { sum += memcg.tree[c].filePages }
        return sum
    }
}
