/// The page cache a cgroup is charged for, and the room its swap counters
/// leave. A page cache page is charged to the memory counter like an anon
/// page (mem_cgroup_charge from filemap_add_folio); the tree also keeps how
/// much of each cgroup's own charge is page cache, which the kernel knows
/// page by page (folio->memcg_data) and the model only as a count.
/// docs/memcg.md §2, §13.
extension CgroupTree {
    /// Marks `pages` of `id`'s own (already charged) memory as page cache.
    mutating func notePageCache(_ id: CgroupID, _ pages: Int) {
        guard contains(id), id != CgroupTree.rootID, pages > 0 else { return }
        cgroups[id].filePages += pages
    }

    /// Uncharges `pages` of `id`'s page cache (reclaimed or truncated).
    /// False, with nothing changed, for more than it holds.
    /// mem_cgroup_uncharge (folio freed), mm/memcontrol.c.
    @discardableResult
    mutating func unchargePageCache(_ id: CgroupID, _ pages: Int) -> Bool {
        guard contains(id), id != CgroupTree.rootID, pages >= 0, pages <= cgroups[id].filePages else { return false }
        guard uncharge(id, pages, .memory) else { return false }
        cgroups[id].filePages -= pages
        return true
    }

    /// Page cache charged to `id` and every cgroup below it.
    func subtreePageCache(_ id: CgroupID) -> Int {
        subtree(id).reduce(0) { $0 + cgroups[$1].filePages }
    }

    /// How many more swap entries `id` may be charged for: the smallest
    /// room under memory.swap.max on the way to the root.
    /// __mem_cgroup_try_charge_swap / page_counter_try_charge, mm/memcontrol.c.
    func swapRoom(_ id: CgroupID) -> Int {
        guard contains(id) else { return 0 }
        var room = PageCounter.max
        var c: CgroupID? = id
        while let cur = c {
            room = Swift.min(room, cgroups[cur].swap.margin)
            c = cgroups[cur].parent
        }
        return room
    }
}
