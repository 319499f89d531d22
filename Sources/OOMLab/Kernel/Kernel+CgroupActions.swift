/// The cgroup interface files a user action may write, by the names they
/// have under /sys/fs/cgroup (cgroup v2; v1's memory.limit_in_bytes is
/// memory.max). docs/memcg.md §1, §12.
public enum CgroupLimitFile: String, CaseIterable, Sendable {
    case max = "memory.max"
    case high = "memory.high"
    case low = "memory.low"
    case min = "memory.min"
    case swapMax = "memory.swap.max"

    /// The tree's limit the file sets.
    var limit: CgroupTree.Limit {
        switch self {
        case .max: return .max
        case .high: return .high
        case .low: return .low
        case .min: return .min
        case .swapMax: return .swapMax
        }
    }

    /// What the file reads now: "max" is PAGE_COUNTER_MAX.
    func value(in c: Cgroup) -> Int {
        switch self {
        case .max: return c.memory.limit
        case .high: return c.memory.high
        case .low: return c.memory.low
        case .min: return c.memory.min
        case .swapMax: return c.swap.limit
        }
    }

    /// The file names, in the kernel's order, for error messages.
    public static let names = allCases.map(\.rawValue).joined(separator: ", ")
}

extension Kernel {
    /// mkdir in the memory cgroup hierarchy: a new cgroup with no limits
    /// (every counter at PAGE_COUNTER_MAX, low and min 0) whose parent must
    /// exist, as with mkdir. cgroup_mkdir, kernel/cgroup/cgroup.c;
    /// mem_cgroup_css_alloc, mm/memcontrol.c.
    public mutating func createCgroup(_ path: CgroupPath) throws(ActionError) {
        guard memcg.tree.count < Scenario.Limits.maxCgroups else {
            throw .badValue("a scenario has at most \(Scenario.Limits.maxCgroups) cgroups")
        }
        do {
            try memcg.tree.add(path)
        } catch {
            switch error {
            case .exists: throw .badValue(path.isRoot ? "the root cgroup always exists" : "cgroup \(path) already exists")
            case .noParent: throw .badValue("no cgroup \(path.parent ?? .root): create the parent first")
            }
        }
        syncCgroupAccounting()
        logAction("oomlab: mkdir \(path) (cgroup \(memcg.version.rawValue))")
    }

    /// Writes one of a cgroup's limit files, in pages. memory.max is the one
    /// whose write does work in the writer's context (`memoryMaxWrite`); the
    /// others take effect at the next charge or reclaim (memory_high_write's
    /// own reclaim is not modelled).
    /// v1 has memory.limit_in_bytes only (memory.max here).
    /// memory_max_write, memory_high_write, memory_low_write,
    /// memory_min_write, swap_max_write, mm/memcontrol.c.
    public mutating func setCgroupLimit(_ path: CgroupPath, _ file: CgroupLimitFile, pages: Int) throws(ActionError) {
        guard let id = memcg.tree.id(of: path) else { throw .badValue("no cgroup \(path)") }
        guard !path.isRoot else { throw .badValue("the root cgroup has no \(file.rawValue)") }
        guard memcg.version == .v2 || file == .max else {
            throw .badValue("\(file.rawValue) is a cgroup v2 file; this kernel's cgroups are v1 (memory.max means memory.limit_in_bytes)")
        }
        guard pages >= 0 else { throw .badValue("\(file.rawValue) cannot be negative") }
        let before = file.value(in: memcg.tree[id])
        func shown(_ v: Int) -> String { v == PageCounter.max ? "max" : "\(v) pages" }
        // What the kernel prints during the write (a memcg OOM report) comes
        // after the action's own line, with the next step's events.
        let printedBefore = printk.pending.count
        let busy = file == .max ? memoryMaxWrite(id, pages: pages) : nil
        if file != .max { memcg.tree.set(file.limit, of: id, pages: pages) }
        let printed = Array(printk.pending[printedBefore...])
        printk.pending.removeSubrange(printedBefore...)
        if let busy {
            logAction("oomlab: cgroup \(path) \(file.rawValue): write of \(shown(pages)) failed with EBUSY: "
                      + "usage \(busy) pages stays above it after reclaim; the limit stays \(shown(before))")
        } else {
            logAction("oomlab: cgroup \(path) \(file.rawValue): \(shown(before)) -> \(shown(file.value(in: memcg.tree[id])))")
        }
        appendRecent(printed)
        printk.pendingUser += printed
    }

    /// A write to memory.max below the cgroup's usage, in the writer's context.
    /// [cgroup v2, 6.13] The limit is set at once, then until usage fits:
    /// memcg reclaim of the excess, up to MAX_RECLAIM_RETRIES passes that free
    /// nothing, then a MEMCG_OOM event and the memcg OOM killer (GFP_KERNEL,
    /// order 0), "oomlab invoked oom-killer". The kernel's write then loops
    /// until the victim's pages are uncharged; the model returns after the
    /// kill, and the victim exits in the ticks that follow (since 4.6,
    /// "mm: memcontrol: reclaim and OOM kill when shrinking memory.max below
    /// usage"). [cgroup v1, and 4.0's v2] mem_cgroup_resize_max /
    /// mem_cgroup_resize_limit: reclaim a little at a time while usage is
    /// above the new limit; when a pass frees nothing (4.0: after
    /// MEM_CGROUP_RECLAIM_RETRIES such passes per cgroup of the subtree)
    /// the write fails with -EBUSY
    /// and the old limit stays. Returns the usage that made it fail, or nil
    /// when the limit was set.
    /// memory_max_write / mem_cgroup_resize_max, mm/memcontrol.c (v6.13);
    /// mem_cgroup_resize_limit (v4.0).
    mutating func memoryMaxWrite(_ id: CgroupID, pages: Int) -> Int? {
        let limit = Swift.min(pages, PageCounter.max)
        func usage() -> Int { memcg.tree[id].memory.usage }
        guard memcg.version == .v2 && policy.era == .modern else {
            // 6.x v1: the first pass that frees nothing; 4.0:
            // MEM_CGROUP_RECLAIM_RETRIES per cgroup of the subtree.
            var retries = policy.era == .modern ? 1 : Int(Kernel.memcgReclaimRetries(.v2015)) * memcg.tree.subtree(id).count
            while usage() > limit && retries > 0 {
                if tryToFreeMemCgroupPages(id, pages: 1, gfp: .kernel) == 0 { retries -= 1 }
            }
            if usage() > limit { return usage() }
            memcg.tree.set(.max, of: id, pages: limit)
            return nil
        }
        memcg.tree.set(.max, of: id, pages: limit)
        var reclaims = Kernel.maxReclaimRetries
        while usage() > limit {
            if reclaims > 0 {
                if tryToFreeMemCgroupPages(id, pages: usage() - limit, gfp: .kernel) == 0 { reclaims -= 1 }
                continue
            }
            memcgEvent(id, .oom)
            var oc = OOMControl(gfpMask: .kernel, order: 0, memcg: id, totalPages: memcgGetMax(id))
            oc.fromLimitWrite = true
            _ = outOfMemory(&oc, invoker: nil)
            break
        }
        return nil
    }
}
