/// memory.high: throttling a cgroup's allocators without ever killing.
/// docs/memcg.md §5. mm/memcontrol.c.
extension Kernel {
    /// A safety bound on mem_cgroup_handle_over_high's reclaim loop, which
    /// in the kernel retries for as long as reclaim makes progress (and
    /// MAX_RECLAIM_RETRIES more times without): each pass here frees pages
    /// or uses up a retry, so the bound is never reached by a real run.
    static let overHighPassLimit = 256

    /// After `nrPages` were charged to task i's cgroup: if the cgroup or an
    /// ancestor is above memory.high, reclaim there and, in the modern era,
    /// sleep the penalty (blocking the task on `.memcgHigh`). Returns
    /// whether the task now sleeps. 4.0 reclaims synchronously at the end
    /// of try_charge and never sleeps; 5.4+ does it on the way back to
    /// user space (mem_cgroup_handle_over_high), which in the model is the
    /// end of each allocation round. Nothing here calls the OOM killer.
    /// try_charge (4.0); try_charge_memcg / mem_cgroup_handle_over_high, mm/memcontrol.c (6.13).
    mutating func memcgThrottleOverHigh(_ i: Int, nrPages: Int) -> Bool {
        let id = taskTable.tasks[i].cgroup
        guard id != CgroupTree.rootID, nrPages > 0, memcg.tree.isOverHigh(id) else { return false }
        // reclaim_high runs in the task, under psi_memstall_enter (6.x).
        taskTable.tasks[i].inDirectReclaim = true
        switch policy.era {
        case .v2015:
            // "for the cgroup and each ancestor above memory.high: high event
            // and try_to_free_mem_cgroup_pages(memcg, nr_pages, gfp, true)".
            _ = reclaimHigh(id, pages: nrPages)
            return false
        case .modern:
            let penalty = memcgHandleOverHigh(i, nrPages: nrPages)
            guard penalty > 0 else { return false }
            block(i, .memcgHigh(until: tick + penalty))
            return true
        }
    }

    /// reclaim_high(): for `id` and each ancestor below the root that is
    /// above memory.high, a `high` event and try_to_free_mem_cgroup_pages.
    /// reclaim_high, mm/memcontrol.c.
    mutating func reclaimHigh(_ id: CgroupID, pages: Int) -> Int {
        var reclaimed = 0
        var c: CgroupID? = id
        while let cur = c, cur != CgroupTree.rootID {
            if memcg.tree[cur].memory.usage > memcg.tree[cur].memory.high {
                memcgEvent(cur, .high)
                reclaimed += tryToFreeMemCgroupPages(cur, pages: pages, gfp: .kernel)
            }
            c = memcg.tree[cur].parent
        }
        return reclaimed
    }

    /// mem_cgroup_handle_over_high(): reclaim (the charge's pages, then
    /// SWAP_CLUSTER_MAX a pass), and compute the penalty from the worst
    /// overage of the chain (`MemcgHighDelay`); no sleep at HZ/100 or less;
    /// go on reclaiming while a pass frees anything or retries are left;
    /// then the penalty, at most 2 s. A dying task skips it all. Returns
    /// the jiffies to sleep. mem_cgroup_handle_over_high, mm/memcontrol.c (6.13).
    mutating func memcgHandleOverHigh(_ i: Int, nrPages: Int) -> Int {
        let id = taskTable.tasks[i].cgroup
        var retries = Kernel.maxReclaimRetries
        var pass = 0
        while pass < Kernel.overHighPassLimit {
            if memcgTaskIsDying(i) { return 0 }
            let reclaimed = reclaimHigh(id, pages: pass == 0 ? nrPages : Kernel.swapClusterMax)
            pass += 1
            let penalty = MemcgHighDelay.penaltyJiffies(nrPages: nrPages,
                                                        memoryOverage: MemcgHighDelay.maxOverage(memcg.tree, id))
            if penalty == 0 { return 0 }
            if reclaimed > 0 { continue }
            if retries > 0 {
                retries -= 1
                continue
            }
            return penalty
        }
        return MemcgHighDelay.penaltyJiffies(nrPages: nrPages, memoryOverage: MemcgHighDelay.maxOverage(memcg.tree, id))
    }
}
