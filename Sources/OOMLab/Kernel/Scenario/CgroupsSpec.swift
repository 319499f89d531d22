/// Which cgroup hierarchy the memory controller is on. docs/memcg.md §1, §4.
public enum CgroupVersion: String, CaseIterable, Equatable, Sendable {
    /// The legacy hierarchy: memory.limit_in_bytes, memory.oom_control
    /// (oom_kill_disable), memsw instead of a swap counter, no memory.high,
    /// memory.low, memory.min or memory.oom.group.
    case v1
    /// The unified hierarchy (cgroup2): memory.max/high/low/min,
    /// memory.swap.max, memory.oom.group. In Linux 4.0 it sat behind the
    /// `__DEVEL__sane_behavior` mount option, with memory.max, memory.high
    /// and memory.low only ("mm: memcontrol: default hierarchy interface for
    /// memory", 241994ed8649, 4.0).
    case v2

    /// The version a scenario gets when it names none: 2015's kernels ran
    /// v1 (cgroup2 was experimental in 4.0 and declared stable in 4.5), today's v2.
    public static func defaultVersion(for era: Era) -> CgroupVersion { era == .v2015 ? .v1 : .v2 }
}

/// One cgroup as a scenario declares it: its path and the interface files it
/// sets. A nil limit is the kernel's default (memory.max, memory.high and
/// memory.swap.max "max"; memory.low and memory.min 0). Sizes are pages;
/// `PageCounter.max` stands for "max". docs/memcg.md §12, §14.
public struct CgroupSpec: Equatable, Sendable {
    public var path: CgroupPath
    /// memory.max (v1 memory.limit_in_bytes).
    public var max: Int?
    /// memory.high (v2).
    public var high: Int?
    /// memory.low (v2).
    public var low: Int?
    /// memory.min (v2, 4.18+).
    public var min: Int?
    /// memory.swap.max (v2, 4.8+).
    public var swapMax: Int?
    /// memory.oom.group (v2, 4.19+).
    public var oomGroup: Bool
    /// memory.oom_control's oom_kill_disable (v1): a charge that fails in a
    /// page fault sleeps instead of killing (§4).
    public var oomKillDisable: Bool

    public init(path: CgroupPath, max: Int? = nil, high: Int? = nil, low: Int? = nil, min: Int? = nil,
                swapMax: Int? = nil, oomGroup: Bool = false, oomKillDisable: Bool = false) {
        self.path = path
        self.max = max
        self.high = high
        self.low = low
        self.min = min
        self.swapMax = swapMax
        self.oomGroup = oomGroup
        self.oomKillDisable = oomKillDisable
    }
}

/// A scenario's `cgroups:` block: the hierarchy's version and the cgroups,
/// parents before children (a parent the file did not list is added with
/// no limits before its first child). Empty when the scenario has no
/// cgroups: every task is then in the root, as on a machine without the
/// memory controller.
public struct CgroupsSpec: Equatable, Sendable {
    /// nil = the era's default (`CgroupVersion.defaultVersion(for:)`).
    public var version: CgroupVersion?
    public var groups: [CgroupSpec]

    public init(version: CgroupVersion? = nil, groups: [CgroupSpec] = []) {
        self.version = version
        self.groups = groups
    }

    public var isEmpty: Bool { version == nil && groups.isEmpty }

    /// The version in force under `era`.
    public func version(for era: Era) -> CgroupVersion { version ?? CgroupVersion.defaultVersion(for: era) }

    /// The spec of `path`, if the scenario declared it.
    public func group(_ path: CgroupPath) -> CgroupSpec? { groups.first { $0.path == path } }
}

extension Scenario {
    /// What each declared cgroup is charged at tick 0, hierarchically (a
    /// task's pages count in its cgroup and every ancestor): its tasks'
    /// anon pages and swap entries. Page tables are not charged in the
    /// model (docs/memcg.md §13).
    public var initialCgroupCharges: [CgroupPath: (memory: Int, swap: Int)] {
        var out: [CgroupPath: (memory: Int, swap: Int)] = [:]
        guard !cgroups.groups.isEmpty else { return out }
        for t in tasks where !t.kthread && !t.cgroup.isRoot {
            for path in t.cgroup.lineage {
                let old = out[path] ?? (0, 0)
                out[path] = (old.memory + t.anonPages, old.swap + t.swapPages)
            }
        }
        return out
    }
}
