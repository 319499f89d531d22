/// memory.low and memory.min in reclaim: which cgroups a reclaim pass
/// leaves alone, and the second pass that takes from memory.low when
/// nothing else was freed. docs/memcg.md §6.
/// shrink_node_memcgs / do_try_to_free_pages, mm/vmscan.c (v6.13);
/// shrink_zone / do_try_to_free_pages (v4.0).
extension Kernel {
    /// What one reclaim pass from a reclaim root must not take: `skip[c]`
    /// for each cgroup whose own pages (its tasks' anon, its page cache)
    /// stay where they are.
    struct ReclaimProtection {
        var skip: [Bool]
        /// A cgroup was skipped only for memory.low (sc->memcg_low_skipped):
        /// direct reclaim that freed nothing tries again with `lowReclaim`.
        var lowSkipped = false
    }

    /// The cgroups below `root` that a reclaim pass from it skips: below
    /// effective memory.min always (modern), below memory.low unless
    /// `lowReclaim` (the second pass, which counts a `low` event for each
    /// cgroup it takes from; once per pass here, once per shrink_node call
    /// in the kernel). The reclaim root and the root cgroup are never
    /// protected. nil, at no cost, when no cgroup sets memory.low or
    /// memory.min (v1 has neither): the pass reclaims everywhere.
    /// mem_cgroup_calculate_protection, mem_cgroup_below_min,
    /// mem_cgroup_below_low (v6.13: mm/memcontrol.c,
    /// include/linux/memcontrol.h); mem_cgroup_low (v4.0, mm/memcontrol.c).
    mutating func reclaimProtection(from root: CgroupID, lowReclaim: Bool) -> ReclaimProtection? {
        guard memcg.isEnabled, memcg.version == .v2, memcg.tree.setsProtection else { return nil }
        if policy.era == .modern { memcg.tree.calculateProtection(reclaimRoot: root) }
        var p = ReclaimProtection(skip: [Bool](repeating: false, count: memcg.tree.count))
        for c in memcg.tree.subtree(root) {
            switch memcg.tree.protection(of: c, reclaimRoot: root, era: policy.era) {
            case .none:
                break
            case .min:
                p.skip[c] = true
            case .low:
                if lowReclaim {
                    memcgEvent(c, .low)
                } else {
                    p.skip[c] = true
                    p.lowSkipped = true
                }
            }
        }
        return p
    }

    /// The page cache of the cgroups `p` skips: what file reclaim may not
    /// scan.
    func protectedPageCache(_ p: ReclaimProtection?) -> Int {
        guard let p else { return 0 }
        var sum = 0
        for c in 1..<memcg.tree.count where p.skip[c] { sum += memcg.tree[c].filePages }
        return sum
    }
}

extension CgroupTree {
    /// Some cgroup sets memory.low or memory.min.
    var setsProtection: Bool {
        cgroups.contains { $0.memory.low > 0 || $0.memory.min > 0 }
    }
}
