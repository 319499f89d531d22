import OOMLabKernel

extension CgroupSnapshot {
    /// The `cgroups:` block for a snapshot scenario whose tasks are `tasks`
    /// (their cgroups set from `taskCgroups` here): every cgroup that holds
    /// one of them or sets a limit, with its ancestors, parents first. A
    /// cgroup whose tasks' anon (or, on v2, swap) is over its memory.max
    /// (shared pages count once per process in VmRSS) gets the limit
    /// raised to fit, with a note: the loader refuses a cgroup that starts
    /// over its limit.
    func spec(placing tasks: inout [TaskSpec], notes: inout [String]) -> CgroupsSpec {
        for i in tasks.indices { tasks[i].cgroup = taskCgroups[tasks[i].pid] ?? .root }
        var wanted: Set<CgroupPath> = []
        for t in tasks where !t.cgroup.isRoot { wanted.formUnion(t.cgroup.lineage) }
        for g in groups where Self.setsLimit(g.spec) { wanted.formUnion(g.path.lineage) }
        wanted.remove(.root)
        var out = CgroupsSpec(version: version)
        var byPath: [CgroupPath: CgroupSpec] = [:]
        for g in groups { byPath[g.path] = g.spec }
        var charges: [CgroupPath: (memory: Int, swap: Int)] = [:]
        for t in tasks where !t.kthread && !t.cgroup.isRoot {
            for p in t.cgroup.lineage {
                let old = charges[p] ?? (0, 0)
                charges[p] = (old.memory + t.anonPages, old.swap + t.swapPages)
            }
        }
        for path in wanted.sorted() {
            // A parent that was not read (a task's cgroup outside the tree
            // read, as in a cgroup namespace) gets no limits.
            var spec = byPath[path] ?? CgroupSpec(path: path)
            let (memory, swap) = charges[path] ?? (0, 0)
            if let max = spec.max, memory > max {
                notes.append("\(path): the tasks' rss (\(memory) pages, shared pages counted once per process) is over "
                             + "memory.max (\(max) pages); the limit is raised to fit")
                spec.max = memory
            }
            if version == .v2, let max = spec.swapMax, swap > max {
                notes.append("\(path): the tasks' swap (\(swap) pages) is over memory.swap.max (\(max) pages); raised to fit")
                spec.swapMax = swap
            }
            if version == .v1 {
                // v2 keys the loader refuses on v1.
                spec.high = nil; spec.low = nil; spec.min = nil; spec.swapMax = nil; spec.oomGroup = false
            }
            out.groups.append(spec)
        }
        return out
    }
}
