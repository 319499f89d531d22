/// An index into `CgroupTree.cgroups`. The root is 0; a cgroup's index never
/// changes (cgroups are only added), so tasks can keep one.
public typealias CgroupID = Int

/// One memory cgroup: its place in the tree, its two page counters, its
/// memory.oom.group flag and its memory.events counters. docs/memcg.md §1.
/// struct mem_cgroup, include/linux/memcontrol.h.
public struct Cgroup: Equatable, Sendable {
    public let path: CgroupPath
    /// nil for the root.
    public let parent: CgroupID?
    /// In the order they were added (css children order).
    public internal(set) var children: [CgroupID] = []
    /// memory.current / memory.max / high / low / min.
    public internal(set) var memory = PageCounter()
    /// memory.swap.current / memory.swap.max (cgroup v2 only; v1 counts
    /// memory+swap in one memsw counter instead, not modelled: docs/memcg.md §13).
    public internal(set) var swap = PageCounter()
    /// memory.oom.group (4.19+): an OOM kill takes every task of this cgroup.
    public internal(set) var oomGroup = false
    /// v1 memory.oom_control's oom_kill_disable: a charge failing in a page
    /// fault sleeps on the memcg OOM wait queue instead of killing (§4).
    /// mem_cgroup->oom_kill_disable, mem_cgroup_oom_control_write, mm/memcontrol.c.
    public internal(set) var oomKillDisable = false
    /// memory.events: counted here and in every ancestor below the root (5.2+).
    public internal(set) var events = MemoryEvents()
    /// memory.events.local: counted here only.
    public internal(set) var eventsLocal = MemoryEvents()
    /// Pages charged by the tasks of this cgroup itself, not by its
    /// children. The kernel keeps no such number (a page knows its memcg);
    /// the model keeps it so that `checkInvariants` can prove
    /// usage = own + children's usage.
    public internal(set) var ownMemory = 0
    public internal(set) var ownSwap = 0
    /// The part of `ownMemory` that is page cache (a page is charged to the
    /// cgroup of the task that read or dirtied it and never moves,
    /// docs/memcg.md §13); the rest is its tasks' anon pages.
    public internal(set) var filePages = 0
    /// memory.current is above memory.max because a forced charge or a
    /// lowered memory.max put it there, and it has not been back under
    /// since: the one way usage may exceed the limit (checkInvariants).
    public internal(set) var forcedOverLimit = false

    init(path: CgroupPath, parent: CgroupID?) {
        self.path = path
        self.parent = parent
    }
}

/// Which of a cgroup's page counters a charge goes to.
public enum CounterKind: Sendable {
    /// memcg->memory: memory.max. try_charge_memcg, mm/memcontrol.c.
    case memory
    /// memcg->swap: memory.swap.max. __mem_cgroup_try_charge_swap, mm/memcontrol.c.
    case swap
}

/// What page_counter_try_charge said.
public enum ChargeResult: Equatable, Sendable {
    case charged
    /// The first cgroup, walking up from the charged one, whose limit the
    /// charge would pass (the kernel's `*fail`, whose memcg becomes
    /// try_charge_memcg's `mem_over_limit`). Nothing was charged anywhere.
    case overLimit(CgroupID)
}

/// The memory cgroup hierarchy (cgroup v2 semantics; v1 behaves so with
/// memory.use_hierarchy=1, docs/memcg.md §1). The root always exists, has no limits
/// and is never charged for its own tasks (try_charge returns at once for
/// the root memcg); its counter holds its descendants' charges, as the
/// kernel's root page_counter does. The simulated kernel charges it
/// (Kernel+MemcgCharge.swift); docs/memcg.md §14.
public struct CgroupTree: Equatable, Sendable {
    public internal(set) var cgroups: [Cgroup] = [Cgroup(path: .root, parent: nil)]
    var index: [CgroupPath: CgroupID] = [.root: 0]

    public static let rootID: CgroupID = 0

    public init() {}

    public var count: Int { cgroups.count }

    public subscript(id: CgroupID) -> Cgroup { cgroups[id] }

    public func id(of path: CgroupPath) -> CgroupID? { index[path] }

    public func contains(_ id: CgroupID) -> Bool { id >= 0 && id < cgroups.count }

    /// Why `add` refused.
    public enum AddError: Error, Equatable, Sendable {
        case exists(CgroupPath)
        /// mkdir below a cgroup that does not exist (ENOENT).
        case noParent(CgroupPath)
    }

    /// Creates the cgroup at `path` with no limits (cgroup_mkdir +
    /// mem_cgroup_css_alloc: every counter starts at PAGE_COUNTER_MAX, low and
    /// min at 0). Its parent must exist, as with mkdir.
    @discardableResult
    public mutating func add(_ path: CgroupPath) throws(AddError) -> CgroupID {
        if index[path] != nil { throw .exists(path) }
        guard let parentPath = path.parent, let parent = index[parentPath] else { throw .noParent(path) }
        let id = cgroups.count
        cgroups.append(Cgroup(path: path, parent: parent))
        cgroups[parent].children.append(id)
        index[path] = id
        return id
    }

    /// `id` and its ancestors, nearest first, up to and including the root.
    public func ancestry(_ id: CgroupID) -> [CgroupID] {
        var out: [CgroupID] = []
        var c: CgroupID? = id
        while let cur = c {
            out.append(cur)
            c = cgroups[cur].parent
        }
        return out
    }

    /// `id` and everything below it, parents before children
    /// (for_each_mem_cgroup_tree / css_for_each_descendant_pre).
    public func subtree(_ id: CgroupID) -> [CgroupID] {
        var out: [CgroupID] = []
        var stack = [id]
        while let cur = stack.popLast() {
            out.append(cur)
            stack.append(contentsOf: cgroups[cur].children.reversed())
        }
        return out
    }

    // MARK: charging

    /// Charges `pages` to `id` and every ancestor, or to none: walking up,
    /// the first counter the charge would take past its limit fails (its
    /// failcnt counts) and the levels already charged are cancelled. The
    /// root cgroup's own charges succeed without counting, as try_charge
    /// does. nil, with nothing charged, for an unknown cgroup, a negative
    /// page count or one that would take the root's counter past
    /// PAGE_COUNTER_MAX (no machine has that much memory; refusing it keeps
    /// every sum below Int.max). page_counter_try_charge, mm/page_counter.c.
    public mutating func tryCharge(_ id: CgroupID, _ pages: Int, _ kind: CounterKind = .memory) -> ChargeResult? {
        guard fits(id, pages, kind) else { return nil }
        if id == CgroupTree.rootID { return .charged }
        // Up the parent links, not through `ancestry`: this runs for every
        // charge, and building the chain's array cost more than the charge.
        var c: CgroupID? = id
        while let cur = c {
            if !cgroups[cur].withCounter(kind, { $0.tryCharge(pages) }) {
                var done: CgroupID? = id
                while let d = done, d != cur {
                    cgroups[d].withCounter(kind) { $0.cancel(pages) }
                    done = cgroups[d].parent
                }
                return .overLimit(cur)
            }
            c = cgroups[cur].parent
        }
        cgroups[id].addOwn(pages, kind)
        return .charged
    }

    /// Charges `pages` to `id` and its ancestors past any limit: the
    /// kernel's forced charge for __GFP_NOFAIL, PF_MEMALLOC and (modern)
    /// __GFP_HIGH after a failed OOM. Returns false (and charges nothing)
    /// where `tryCharge` returns nil. page_counter_charge, mm/page_counter.c.
    @discardableResult
    public mutating func forceCharge(_ id: CgroupID, _ pages: Int, _ kind: CounterKind = .memory) -> Bool {
        guard fits(id, pages, kind) else { return false }
        if id == CgroupTree.rootID { return true }
        var c: CgroupID? = id
        while let cur = c {
            cgroups[cur].withCounter(kind) { $0.charge(pages) }
            if kind == .memory && cgroups[cur].memory.usage > cgroups[cur].memory.limit { cgroups[cur].forcedOverLimit = true }
            c = cgroups[cur].parent
        }
        cgroups[id].addOwn(pages, kind)
        return true
    }

    /// Whether charging `pages` to `id` is a sane request: the root's
    /// counter is the largest of any chain, so staying under
    /// PAGE_COUNTER_MAX there keeps every level's sum in range.
    private func fits(_ id: CgroupID, _ pages: Int, _ kind: CounterKind) -> Bool {
        guard contains(id), pages >= 0 else { return false }
        return pages <= PageCounter.max - cgroups[CgroupTree.rootID].counter(kind).usage
    }

    /// Takes `pages` of `id`'s own charges out of it and every ancestor.
    /// More than `id` itself was charged is refused (false, nothing
    /// changes): the kernel warns "page_counter underflow" and clamps at 0,
    /// which the model treats as the bug it is. page_counter_uncharge, mm/page_counter.c.
    @discardableResult
    public mutating func uncharge(_ id: CgroupID, _ pages: Int, _ kind: CounterKind = .memory) -> Bool {
        guard contains(id), pages >= 0 else { return false }
        if id == CgroupTree.rootID { return true }
        guard pages <= cgroups[id].own(kind) else { return false }
        var c: CgroupID? = id
        while let cur = c {
            cgroups[cur].withCounter(kind) { $0.cancel(pages) }
            if cgroups[cur].memory.usage <= cgroups[cur].memory.limit { cgroups[cur].forcedOverLimit = false }
            c = cgroups[cur].parent
        }
        cgroups[id].addOwn(-pages, kind)
        return true
    }

    /// Whether `id` or an ancestor below the root is above its memory.high.
    /// A method of the tree, not of Kernel: it runs after every charge, and
    /// a non-mutating Kernel method called there is handed a copy of the
    /// whole Kernel (CONTRIBUTING.md, "add kernel state").
    /// mem_cgroup_handle_over_high / calculate_overage, mm/memcontrol.c.
    public func isOverHigh(_ id: CgroupID) -> Bool {
        var c: CgroupID? = id
        while let cur = c, cur != CgroupTree.rootID {
            if cgroups[cur].memory.usage > cgroups[cur].memory.high { return true }
            c = cgroups[cur].parent
        }
        return false
    }

    /// Room under `id`'s own memory.max (not its ancestors': the kernel
    /// asks this of `mem_over_limit`, the level that failed).
    /// mem_cgroup_margin, mm/memcontrol.c.
    public func margin(_ id: CgroupID) -> Int { contains(id) ? cgroups[id].memory.margin : 0 }

    // MARK: the interface files

    /// A limit file of cgroup v2, in pages.
    public enum Limit: Sendable {
        /// memory.max (v1 memory.limit_in_bytes).
        case max
        /// memory.high.
        case high
        /// memory.low.
        case low
        /// memory.min (4.18+).
        case min
        /// memory.swap.max (4.8+).
        case swapMax
    }

    /// Sets one limit. Values above PAGE_COUNTER_MAX are clamped to it, as
    /// page_counter_memparse does with what is written; negative values and
    /// the root (which has no limit files) are refused. 6.x's memory.max
    /// takes any value, even below usage: the kernel then reclaims and, if
    /// that fails, OOM-kills until usage fits (memory_max_write); v1, and
    /// 4.0's unified memory.max, refuse with EBUSY when reclaim cannot get
    /// under the new limit (mem_cgroup_resize_limit). Either is the
    /// simulated kernel's job, not this table's.
    /// memory_max_write, memory_high_write, memory_low_write, memory_min_write,
    /// swap_max_write, mm/memcontrol.c.
    @discardableResult
    public mutating func set(_ limit: Limit, of id: CgroupID, pages: Int) -> Bool {
        guard contains(id), id != CgroupTree.rootID, pages >= 0 else { return false }
        let value = Swift.min(pages, PageCounter.max)
        switch limit {
        case .max:
            cgroups[id].memory.limit = value
            cgroups[id].forcedOverLimit = cgroups[id].memory.usage > value
        case .high: cgroups[id].memory.high = value
        case .low: cgroups[id].memory.low = value
        case .min: cgroups[id].memory.min = value
        case .swapMax: cgroups[id].swap.limit = value
        }
        return true
    }

    /// memory.oom.group. memory_oom_group_write, mm/memcontrol.c.
    @discardableResult
    public mutating func setOOMGroup(_ id: CgroupID, _ on: Bool) -> Bool {
        guard contains(id), id != CgroupTree.rootID else { return false }
        cgroups[id].oomGroup = on
        return true
    }

    /// Writing memory.peak (6.12+) resets the watermark to the current usage.
    /// page_counter_reset_watermark, include/linux/page_counter.h.
    public mutating func resetWatermark(_ id: CgroupID) {
        guard contains(id) else { return }
        cgroups[id].memory.watermark = cgroups[id].memory.usage
        cgroups[id].swap.watermark = cgroups[id].swap.usage
    }

    /// v1 oom_kill_disable. mem_cgroup_oom_control_write, mm/memcontrol.c
    /// (mm/memcontrol-v1.c since 6.11).
    @discardableResult
    public mutating func setOOMKillDisable(_ id: CgroupID, _ on: Bool) -> Bool {
        guard contains(id), id != CgroupTree.rootID else { return false }
        cgroups[id].oomKillDisable = on
        return true
    }

    // MARK: memory.oom.group

    /// The cgroup an OOM kill of a task in `victim` must empty, or nil: the
    /// highest cgroup with memory.oom.group set on the way from the
    /// victim's cgroup up to the OOMing cgroup `oomDomain` (the root for a
    /// global OOM), both included. A victim in the root, or one outside
    /// `oomDomain` (moved meanwhile), gets no group kill. Only cgroup v2
    /// has the file. mem_cgroup_get_oom_group, mm/memcontrol.c (4.19+).
    public func oomGroup(victim: CgroupID, oomDomain: CgroupID?) -> CgroupID? {
        guard contains(victim), victim != CgroupTree.rootID else { return nil }
        let domain = oomDomain ?? CgroupTree.rootID
        guard contains(domain), cgroups[victim].path.isDescendant(of: cgroups[domain].path) else { return nil }
        var group: CgroupID?
        for c in ancestry(victim) {
            if cgroups[c].oomGroup { group = c }
            if c == domain { break }
        }
        return group
    }
}

extension Cgroup {
    func counter(_ kind: CounterKind) -> PageCounter { kind == .memory ? memory : swap }

    mutating func withCounter<R>(_ kind: CounterKind, _ body: (inout PageCounter) -> R) -> R {
        switch kind {
        case .memory: return body(&memory)
        case .swap: return body(&swap)
        }
    }

    func own(_ kind: CounterKind) -> Int { kind == .memory ? ownMemory : ownSwap }

    mutating func addOwn(_ pages: Int, _ kind: CounterKind) {
        switch kind {
        case .memory: ownMemory += pages
        case .swap: ownSwap += pages
        }
    }
}
