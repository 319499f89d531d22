/// The simulated kernel's memory-controller state (`Kernel.memcg`): the
/// cgroup hierarchy with its page counters and events, and the version it
/// is mounted as. Each task's cgroup is its `Kernel.Task.cgroup`. A
/// scenario without `cgroups:` has only the root, and then nothing here
/// costs anything per tick: the root is never charged for its own tasks
/// (try_charge returns at once for the root memcg, docs/memcg.md §1).
/// struct mem_cgroup and its css tree, mm/memcontrol.c.
public struct MemcgState: Equatable, Sendable {
    public internal(set) var tree = CgroupTree()
    /// cgroup v1 (memory.limit_in_bytes, oom_kill_disable, no swap counter)
    /// or v2. Fixed at boot, as the mount is: an era switch later keeps it.
    public let version: CgroupVersion
    /// memory.pressure by cgroup id (MemcgPressure.swift); empty while
    /// there is no cgroup below the root.
    public internal(set) var pressure: [PSIAverages] = []
    /// This tick's stall counts of each cgroup's own tasks.
    var tickCounts: [PressureCounts] = []

    init(version: CgroupVersion) { self.version = version }

    /// Builds the tree a scenario declares (parents come before children
    /// in `CgroupsSpec.groups`), with each cgroup's files set as written.
    init(spec: CgroupsSpec, era: Era) {
        self.init(version: spec.version(for: era))
        for g in spec.groups {
            let id = cgroupID(creating: g.path)
            if let v = g.max { tree.set(.max, of: id, pages: v) }
            if let v = g.high { tree.set(.high, of: id, pages: v) }
            if let v = g.low { tree.set(.low, of: id, pages: v) }
            if let v = g.min { tree.set(.min, of: id, pages: v) }
            if let v = g.swapMax { tree.set(.swapMax, of: id, pages: v) }
            tree.setOOMGroup(id, g.oomGroup)
            tree.setOOMKillDisable(id, g.oomKillDisable)
        }
    }

    /// Whether any cgroup exists below the root.
    public var isEnabled: Bool { tree.count > 1 }

    /// Whether swap entries are charged to a cgroup's swap counter: on v2
    /// (memory.swap.current); v1 counts them in memsw, not modelled (§13).
    public var chargesSwap: Bool { version == .v2 }

    /// The id of `path`, creating it and any missing parent with no limits
    /// (mkdir -p). Paths come from a parsed `CgroupPath`, so every name is valid.
    mutating func cgroupID(creating path: CgroupPath) -> CgroupID {
        if let id = tree.id(of: path) { return id }
        var id = CgroupTree.rootID
        for p in path.lineage {
            id = tree.id(of: p) ?? ((try? tree.add(p)) ?? CgroupTree.rootID)
        }
        return id
    }

    /// The scenario's view of the tree now: every cgroup below the root
    /// with its current limits, for saving a running kernel.
    var spec: CgroupsSpec {
        var out = CgroupsSpec(version: version)
        for c in tree.cgroups.dropFirst() {
            func limit(_ v: Int, unset: Int) -> Int? { v == unset ? nil : v }
            out.groups.append(CgroupSpec(
                path: c.path, max: limit(c.memory.limit, unset: PageCounter.max),
                high: limit(c.memory.high, unset: PageCounter.max), low: limit(c.memory.low, unset: 0),
                min: limit(c.memory.min, unset: 0), swapMax: limit(c.swap.limit, unset: PageCounter.max),
                oomGroup: c.oomGroup, oomKillDisable: c.oomKillDisable))
        }
        return out
    }
}
