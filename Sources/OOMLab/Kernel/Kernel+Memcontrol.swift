/// The memory controller's side of the simulated kernel: which cgroup a
/// task is in and what it is charged. docs/memcg.md §1, §2, §14.
/// mm/memcontrol.c.
extension Kernel {
    /// Puts a new task in `path` (creating the cgroup if it is missing) and
    /// charges its memory at start there: its anon pages to the memory
    /// counter and, on v2, its swap entries to the swap counter. The charge
    /// is forced (page_counter_charge): the loader has checked that a
    /// scenario's tasks fit under their limits, and `addTask` checks a task
    /// added at run time; a programmatic scenario that does not fit starts
    /// over its limit, as a v1 cgroup whose limit was lowered would.
    /// mem_cgroup_charge, mem_cgroup_try_charge_swap, mm/memcontrol.c.
    mutating func attachInitialCharges(_ task: inout Task, to path: CgroupPath) {
        let id = memcg.cgroupID(creating: path)
        task.cgroup = id
        guard !task.kthread else { return }
        memcg.tree.forceCharge(id, task.anon, .memory)
        if memcg.chargesSwap { memcg.tree.forceCharge(id, task.swapEntries, .swap) }
    }

    /// A task added at run time must name an existing cgroup and fit under
    /// its limits (and its ancestors'), as a scenario's tasks must at tick 0.
    func checkCgroupRoom(for spec: TaskSpec) throws(ActionError) {
        guard !spec.cgroup.isRoot, !spec.kthread else { return }
        guard let id = memcg.tree.id(of: spec.cgroup) else {
            throw .badValue("no cgroup \(spec.cgroup)")
        }
        var probe = memcg.tree
        if case .overLimit(let c) = probe.tryCharge(id, spec.anonPages, .memory) {
            throw .badValue("cgroup \(memcg.tree[c].path) has room for \(memcg.tree.margin(c)) pages, "
                            + "not \(spec.anonPages) pages of initial rss")
        }
        if memcg.chargesSwap, case .overLimit(let c) = probe.tryCharge(id, spec.swapPages, .swap) {
            throw .badValue("cgroup \(memcg.tree[c].path)'s memory.swap.max has no room for \(spec.swapPages) swap entries")
        }
    }

    // MARK: Read accessors (the TUI's cgroups panel, snapshots, reports)

    /// The path of a task's cgroup ("/" for the root).
    public func cgroupPath(of task: Task) -> CgroupPath { memcg.tree[task.cgroup].path }

    /// The tasks whose cgroup is `id` or, with `recursive`, below it (the
    /// memcg OOM killer's candidates: mem_cgroup_scan_tasks), by pid.
    public func tasks(inCgroup id: CgroupID, recursive: Bool = false) -> [Task] {
        guard memcg.tree.contains(id) else { return [] }
        if !recursive { return taskTable.tasks.filter { $0.cgroup == id } }
        let members = Set(memcg.tree.subtree(id))
        return taskTable.tasks.filter { members.contains($0.cgroup) }
    }
}
