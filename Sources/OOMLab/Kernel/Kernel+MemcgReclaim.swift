/// Memory cgroup reclaim: what a charge over memory.max frees inside the
/// cgroup before it retries, and the swap-out of one task's pages that it
/// shares with global reclaim. docs/memcg.md §2, §6, §14.
/// mm/vmscan.c.
extension Kernel {
    /// try_to_free_mem_cgroup_pages(): reclaim at least SWAP_CLUSTER_MAX
    /// pages (or the charge) from the cgroup `root` and everything below it:
    /// first the clean share of each cgroup's page cache (dirty pages wake
    /// the flushers: reclaim cannot write them), then, with swap, __GFP_IO
    /// and a non-zero swappiness, the anon pages of the subtree's tasks as
    /// far as the disk queue and memory.swap.max allow. Returns the pages
    /// uncharged from `root`: swapped pages count at once, because their
    /// memory charge moves to swap when the write starts (memcgSwapOut).
    /// A cgroup's own limit reclaim starts at itself, the reclaim root,
    /// which memory.low/min never protect; the cgroups below it that are
    /// under their effective protection are skipped, and taken from in a
    /// second pass (with `low` events) only if the first freed nothing
    /// (docs/memcg.md §6).
    /// try_to_free_mem_cgroup_pages / shrink_node_memcgs / get_scan_count, mm/vmscan.c.
    mutating func tryToFreeMemCgroupPages(_ root: CgroupID, pages: Int, gfp: GFPFlags) -> Int {
        let target = Swift.max(pages, Kernel.swapClusterMax)
        let before = memcg.tree[root].memory.usage
        let protection = reclaimProtection(from: root, lowReclaim: false)
        shrinkMemCgroup(root, target: target, gfp: gfp, before: before, skip: protection?.skip)
        if memcg.tree.uncharged(before, root) == 0 && protection?.lowSkipped == true {
            // do_try_to_free_pages' second pass, with sc->memcg_low_reclaim.
            let low = reclaimProtection(from: root, lowReclaim: true)
            shrinkMemCgroup(root, target: target, gfp: gfp, before: before, skip: low?.skip)
        }
        let reclaimed = memcg.tree.uncharged(before, root)
        stats.reclaimedDirect += reclaimed
        return reclaimed
    }

    /// One pass of memcg reclaim over `root`'s subtree, leaving the cgroups
    /// `skip` marks alone (memory.low, memory.min below the reclaim root).
    /// shrink_node_memcgs, mm/vmscan.c.
    private mutating func shrinkMemCgroup(_ root: CgroupID, target: Int, gfp: GFPFlags, before: Int, skip: [Bool]?) {
        let members = memcg.tree.subtree(root).filter { skip?[$0] != true }
        let file = zone.counters.fileLRU
        for c in members where memcg.tree.uncharged(before, root) < target && memcg.tree[c].filePages > 0 {
            let clean = Kernel.mulDiv(memcg.tree[c].filePages, zone.counters.fileClean, file)
            let r = Swift.min(clean, target - memcg.tree.uncharged(before, root))
            if r > 0 {
                zone.counters.fileClean -= r
                freePages(r)
                memcg.tree.unchargePageCache(c, r)
            }
            if clean < memcg.tree[c].filePages { reclaim.flusherWoken = true }
        }
        var left = target - memcg.tree.uncharged(before, root)
        if left > 0 && gfp.contains(.io) && zone.counters.swapFree > 0 && machine.swappiness > 0 {
            var inDomain = [Bool](repeating: false, count: memcg.tree.count)
            for c in members { inDomain[c] = true }
            for i in taskTable.tasks.indices where left > 0 && inDomain[taskTable.tasks[i].cgroup] {
                left -= pageoutTaskAnon(i, left)
            }
        }
    }

    /// Starts writing up to `n` of task i's anon pages to swap, as far as
    /// the disk queue, free swap and its cgroup's memory.swap.max have room;
    /// returns the pages started. Each becomes a swap entry of the task at
    /// once and stays in RAM under writeback until the disk finishes it.
    /// shrink_folio_list -> add_to_swap -> pageout, mm/vmscan.c; mem_cgroup_swapout, mm/memcontrol.c.
    @discardableResult
    mutating func pageoutTaskAnon(_ i: Int, _ n: Int) -> Int {
        guard taskTable.tasks[i].isAlive else { return 0 }
        let room = machine.writebackPagesPerTick * Kernel.writebackQueueDepth - zone.counters.writeback
        let take = memcgSwapRoom(i, Swift.min(n, taskTable.tasks[i].anon, zone.counters.swapFree, Swift.max(0, room)))
        guard take > 0 else { return 0 }
        taskTable.tasks[i].anon -= take
        taskTable.tasks[i].swapEntries += take
        zone.counters.anon -= take
        zone.counters.swapUsed += take
        zone.counters.writeback += take
        zone.counters.swapWriteback += take
        memcgSwapOut(i, take)
        return take
    }
}

extension CgroupTree {
    /// Pages uncharged from `id` since its usage was `before`.
    func uncharged(_ before: Int, _ id: CgroupID) -> Int { Swift.max(0, before - cgroups[id].memory.usage) }
}
