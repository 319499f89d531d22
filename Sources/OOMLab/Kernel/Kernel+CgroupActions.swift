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
        logAction("oomlab: mkdir \(path) (cgroup \(memcg.version.rawValue))")
    }

    /// Writes one of a cgroup's limit files, in pages, at once. The kernel's
    /// reaction to the new value (memory_max_write reclaiming and then
    /// OOM-killing down to a lowered memory.max, memory_high_write's
    /// reclaim) is not done here: the next charge sees the limit.
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
        memcg.tree.set(file.limit, of: id, pages: pages)
        let after = file.value(in: memcg.tree[id])
        func shown(_ v: Int) -> String { v == PageCounter.max ? "max" : "\(v) pages" }
        logAction("oomlab: cgroup \(path) \(file.rawValue): \(shown(before)) -> \(shown(after))")
    }
}
