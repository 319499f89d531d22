/// Effective memory.min and memory.low: how much of each cgroup's usage is
/// shielded from reclaim that starts at an ancestor, once the protection
/// its ancestors grant is shared out among siblings. docs/memcg.md §6.

/// One cgroup's effective protection, exactly as the kernel computes it:
/// `protected = min(usage, setting)`; if the siblings together claim more
/// than the parent's effective protection (`siblingsProtected >
/// parentEffective`), each gets `protected * parentEffective /
/// siblingsProtected`; otherwise its own claim. With
/// `recursiveProtection` (the memory_recursiveprot mount option, 5.7+,
/// off by default) a parent's unclaimed protection is also shared in
/// proportion to each child's unprotected usage. Total: the products are
/// taken in full width (the kernel's unsigned long cannot overflow there
/// on 64-bit with page counts, and neither can this).
/// effective_protection, mm/page_counter.c (mm/memcontrol.c before 6.12).
public func effectiveProtection(usage: Int, parentUsage: Int, setting: Int, parentEffective: Int,
                                siblingsProtected: Int, recursiveProtection: Bool = false) -> Int {
    let usage = max(usage, 0), parentUsage = max(parentUsage, 0), setting = max(setting, 0)
    let parentEffective = max(parentEffective, 0), siblingsProtected = max(siblingsProtected, 0)
    let protected = min(usage, setting)
    if siblingsProtected > parentEffective {
        return MemcgArithmetic.mulDiv(protected, parentEffective, siblingsProtected)
    }
    var ep = protected
    guard recursiveProtection else { return ep }
    if parentEffective > siblingsProtected && parentUsage > siblingsProtected && usage > protected {
        let unclaimed = MemcgArithmetic.mulDiv(parentEffective - siblingsProtected, usage - protected,
                                               parentUsage - siblingsProtected)
        let (sum, overflow) = ep.addingReportingOverflow(unclaimed)
        ep = overflow ? Int.max : sum
    }
    return ep
}

/// Whether reclaim may take a cgroup's pages. docs/memcg.md §6.
public enum MemcgProtection: Equatable, Sendable {
    /// Not protected: reclaim as usual.
    case none
    /// Below effective memory.low: skipped unless reclaim found nothing
    /// else, then reclaimed and counted as a `low` event.
    case low
    /// Below effective memory.min: never reclaimed (4.18+).
    case min
}

extension CgroupTree {
    /// Recomputes emin and elow for every cgroup below `reclaimRoot`, top
    /// down, as reclaim does before it looks at each cgroup. The reclaim
    /// root's own values are left as they were (the kernel ignores them,
    /// "Effective values of the reclaim targets are ignored so they can be
    /// stale"); a cgroup whose parent is the reclaim root gets its declared
    /// memory.min and memory.low; one with no usage is skipped, as the
    /// kernel skips it (nothing of it can be reclaimed). The siblings' claim
    /// is Σ min(usage, setting) over the parent's children, which the kernel
    /// keeps incrementally in children_min_usage / children_low_usage
    /// (propagate_protected_usage) and this model sums when asked.
    /// mem_cgroup_calculate_protection, mm/memcontrol.c;
    /// page_counter_calculate_protection, mm/page_counter.c.
    public mutating func calculateProtection(reclaimRoot: CgroupID = CgroupTree.rootID,
                                             recursiveProtection: Bool = false) {
        guard contains(reclaimRoot) else { return }
        for id in subtree(reclaimRoot) where id != reclaimRoot {
            let usage = cgroups[id].memory.usage
            guard usage > 0, let parent = cgroups[id].parent else { continue }
            if parent == reclaimRoot {
                cgroups[id].memory.emin = cgroups[id].memory.min
                cgroups[id].memory.elow = cgroups[id].memory.low
                continue
            }
            let p = cgroups[parent].memory
            var childrenMin = 0, childrenLow = 0
            for c in cgroups[parent].children {
                childrenMin = Swift.min(childrenMin + cgroups[c].memory.minUsage, PageCounter.max)
                childrenLow = Swift.min(childrenLow + cgroups[c].memory.lowUsage, PageCounter.max)
            }
            cgroups[id].memory.emin = effectiveProtection(
                usage: usage, parentUsage: p.usage, setting: cgroups[id].memory.min,
                parentEffective: p.emin, siblingsProtected: childrenMin, recursiveProtection: recursiveProtection)
            cgroups[id].memory.elow = effectiveProtection(
                usage: usage, parentUsage: p.usage, setting: cgroups[id].memory.low,
                parentEffective: p.elow, siblingsProtected: childrenLow, recursiveProtection: recursiveProtection)
        }
    }

    /// How reclaim from `reclaimRoot` treats `id`. Modern (after
    /// `calculateProtection`): below min when usage <= emin, below low when
    /// usage <= elow; the reclaim root itself and the root cgroup are never
    /// protected (mem_cgroup_below_min, mem_cgroup_below_low,
    /// mem_cgroup_unprotected, include/linux/memcontrol.h).
    /// 2015 (v4.0 as merged in 241994ed8649, which has no memory.min):
    /// protected only when `id` and every ancestor up to and including the
    /// reclaim root (but never the root cgroup) are each at or below their
    /// own memory.low (mem_cgroup_low, mm/memcontrol.c). Including the
    /// reclaim root was a bug a later fix removed ("@root is exclusive"):
    /// in 4.0 a cgroup under its own memory.low is skipped even by reclaim
    /// for its own memory.high.
    public func protection(of id: CgroupID, reclaimRoot: CgroupID = CgroupTree.rootID, era: Era) -> MemcgProtection {
        guard contains(id), contains(reclaimRoot), id != CgroupTree.rootID,
              cgroups[id].path.isDescendant(of: cgroups[reclaimRoot].path) else { return .none }
        switch era {
        case .v2015:
            for c in ancestry(id) {
                if c == CgroupTree.rootID { break }
                if cgroups[c].memory.usage > cgroups[c].memory.low { return .none }
                if c == reclaimRoot { break }
            }
            return .low
        case .modern:
            guard id != reclaimRoot else { return .none }
            let m = cgroups[id].memory
            if m.usage <= m.emin { return .min }
            if m.usage <= m.elow { return .low }
            return .none
        }
    }
}
