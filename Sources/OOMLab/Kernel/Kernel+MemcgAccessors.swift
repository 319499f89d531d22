/// What the TUI's cgroups panel, the snapshot reader and the exports read of
/// the memory controller: one value per cgroup, as its interface files
/// would show it (docs/memcg.md §9, §12). Pages throughout; an unset limit
/// is `PageCounter.max` ("max").
public struct CgroupStatus: Equatable, Sendable {
    public var id: CgroupID
    public var path: CgroupPath
    public var parent: CgroupID?
    /// memory.current.
    public var usage: Int
    /// memory.max (v1 memory.limit_in_bytes), memory.high, memory.low, memory.min.
    public var max: Int
    public var high: Int
    public var low: Int
    public var min: Int
    /// memory.swap.current and memory.swap.max (v2).
    public var swapUsage: Int
    public var swapMax: Int
    /// memory.peak.
    public var peak: Int
    /// The memory counter's failcnt (v1 memory.failcnt).
    public var failcnt: Int
    /// Page cache charged to this cgroup itself.
    public var filePages: Int
    /// memory.events and memory.events.local.
    public var events: MemoryEvents
    public var eventsLocal: MemoryEvents
    public var oomGroup: Bool
    public var oomKillDisable: Bool
    /// memory.pressure (its avg10s); nil for the root, whose pressure is
    /// /proc/pressure/memory (`Kernel.psi`).
    public var pressure: PSIAverages?
    public var isRoot: Bool { parent == nil }
}

extension Kernel {
    /// One cgroup's status; nil for an id the tree does not have.
    public func cgroupStatus(_ id: CgroupID) -> CgroupStatus? {
        guard memcg.tree.contains(id) else { return nil }
        let c = memcg.tree[id]
        return CgroupStatus(id: id, path: c.path, parent: c.parent, usage: c.memory.usage, max: c.memory.limit,
                            high: c.memory.high, low: c.memory.low, min: c.memory.min, swapUsage: c.swap.usage,
                            swapMax: c.swap.limit, peak: c.memory.watermark, failcnt: c.memory.failcnt,
                            filePages: c.filePages, events: c.events, eventsLocal: c.eventsLocal,
                            oomGroup: c.oomGroup, oomKillDisable: c.oomKillDisable,
                            pressure: id == CgroupTree.rootID ? nil : memcg.pressure(id))
    }

    /// Every cgroup's status, the root first, in the order they were created.
    public var cgroupStatuses: [CgroupStatus] {
        (0..<memcg.tree.count).compactMap { cgroupStatus($0) }
    }
}
