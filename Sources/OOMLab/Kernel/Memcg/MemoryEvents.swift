/// One counter of a cgroup's memory.events file. The raw values are the
/// file's keys, in the order the kernel prints them. docs/memcg.md §9.
/// enum memcg_memory_event, include/linux/memcontrol.h; memory_events_show,
/// mm/memcontrol.c.
public enum MemcgEvent: String, CaseIterable, Sendable {
    /// Reclaim took pages from a cgroup below its effective memory.low
    /// because nothing else was left (the second, low-ignoring pass).
    /// shrink_node_memcgs, mm/vmscan.c (4.0: shrink_zone).
    case low
    /// A charge left the cgroup above memory.high (each time it is found
    /// there: reclaim_high in 4.5+, the end of try_charge in 4.0).
    case high
    /// A charge hit memory.max and the cgroup went into reclaim (in 6.x also
    /// when the charge was forced past the limit without reclaim).
    /// try_charge_memcg, mm/memcontrol.c.
    case max
    /// The cgroup reached the OOM path: mem_cgroup_oom was entered (modern:
    /// after its order check; 4.0: just before it, at the end of try_charge).
    /// Counted even when nobody is killed.
    case oom
    /// A task of this cgroup was killed by any OOM killer (global or memcg).
    /// 4.13+. __oom_kill_process, mm/oom_kill.c.
    case oomKill = "oom_kill"
    /// memory.oom.group made an OOM kill take the whole cgroup. 5.13+
    /// (release not checked: docs/memcg.md §9). oom_kill_process, mm/oom_kill.c.
    case oomGroupKill = "oom_group_kill"
}

/// The memory.events (or memory.events.local) counters of one cgroup.
public struct MemoryEvents: Equatable, Sendable {
    public var low = 0
    public var high = 0
    public var max = 0
    public var oom = 0
    public var oomKill = 0
    public var oomGroupKill = 0

    public init(low: Int = 0, high: Int = 0, max: Int = 0, oom: Int = 0, oomKill: Int = 0, oomGroupKill: Int = 0) {
        self.low = low
        self.high = high
        self.max = max
        self.oom = oom
        self.oomKill = oomKill
        self.oomGroupKill = oomGroupKill
    }

    /// The field each file key is kept in.
    static func field(_ event: MemcgEvent) -> WritableKeyPath<MemoryEvents, Int> {
        switch event {
        case .low: return \.low
        case .high: return \.high
        case .max: return \.max
        case .oom: return \.oom
        case .oomKill: return \.oomKill
        case .oomGroupKill: return \.oomGroupKill
        }
    }

    public subscript(event: MemcgEvent) -> Int {
        get { self[keyPath: MemoryEvents.field(event)] }
        set { self[keyPath: MemoryEvents.field(event)] = newValue }
    }

    /// Counts one event; saturates rather than trapping (a kernel's atomic
    /// long would take 2^63 events to wrap).
    public mutating func count(_ event: MemcgEvent) {
        self[event] = self[event] == Int.max ? Int.max : self[event] + 1
    }

    /// The file's text, one "key value" line per counter, as
    /// memory_events_show prints it (the keys this model knows; a 6.x kernel
    /// may print more, such as sock_throttled).
    public var fileText: String {
        MemcgEvent.allCases.map { "\($0.rawValue) \(self[$0])\n" }.joined()
    }
}

extension CgroupTree {
    /// Counts `event` for `id` the way memcg_memory_event does: always in
    /// memory.events.local; in memory.events of `id` and, on cgroup v2 since
    /// 5.2 (the modern era) unless mounted with memory_localevents, of every
    /// ancestor below the root. Before 5.2 (the 2015 era) and on v1 the
    /// count stays in `id`. The root keeps no memory.events.
    /// memcg_memory_event, include/linux/memcontrol.h.
    public mutating func memoryEvent(_ id: CgroupID, _ event: MemcgEvent, era: Era,
                                     version: CgroupVersion = .v2, localEvents: Bool = false) {
        guard contains(id), id != CgroupTree.rootID else { return }
        cgroups[id].eventsLocal.count(event)
        let hierarchical = era == .modern && version == .v2 && !localEvents
        for c in ancestry(id) where c != CgroupTree.rootID {
            cgroups[c].events.count(event)
            if !hierarchical { break }
        }
    }
}
