import OOMLabKernel

/// The cgroup form of an imported memcg OOM report: the cgroup with the
/// report's limit and usage, its tasks in it, inside a machine larger than
/// the limit (docs/memcg.md §14, "importer"), instead of a machine whose
/// RAM is the limit.
extension ReportImporter {
    /// How a memory cgroup OOM report becomes a scenario.
    public enum MemcgForm: String, CaseIterable, Sendable {
        /// The cgroup's limit is the machine's RAM: the OOM fires as a
        /// global one, among the same tasks with the same totalpages.
        case machine
        /// A `cgroups:` block with the OOM's cgroup at the report's limit,
        /// its tasks in it, on a machine with memory to spare: the OOM can
        /// only be the cgroup's.
        case cgroup
        /// The cgroup form where its run ends as the report did, else the
        /// machine form (`importableForm` decides and says why;
        /// `scenario(from:)` asks it). `loadable`, which does not run the
        /// scenario, builds the cgroup form.
        case auto

        /// The form a scenario is built in.
        var built: MemcgForm { self == .auto ? .cgroup : self }
    }

    /// The form `scenario(from:)` and `import-report` use by default.
    /// Some reports have no cgroup form the model can reproduce: on
    /// kernels before 3.12 a memcg charge of any kind could OOM-kill from
    /// the charge itself; since 3812c8c8f395 ("mm: memcg: do not trap
    /// chargers with full callstack on OOM") and 519e52473ebe ("enable
    /// memcg OOM killer only for user faults") only a page fault does, and
    /// the model's 2015 rules are 4.0's, so such a report's GFP_KERNEL
    /// charge gets -ENOMEM and no kill (synthetic-3.10). Those fall back to
    /// the machine form.
    public static let defaultMemcgForm: MemcgForm = .auto

    /// The cgroup the report's OOM was in, its limits and where each task goes.
    struct CgroupPlan {
        var cgroups: CgroupsSpec
        /// The OOM's cgroup (oom_memcg=, "limit of").
        var domain: CgroupPath
        /// The victim's cgroup when the report names one below the domain.
        var victimCgroup: CgroupPath?
        /// The pids the report names as the victim (task_memcg= is its cgroup).
        var victimPids: Set<Int>
        /// memory.max and the usage to reach at tick 0, in pages.
        var limitPages: Int
        var usagePages: Int
        var notes: [String]
    }

    /// The plan for `report`, or why it keeps the machine form: no limit
    /// shown, an unlimited memory.max, or a cgroup path the scenario
    /// format refuses. `anon` is the tasks' anon pages, `swap` their swap entries.
    static func cgroupPlan(_ report: OOMReport, anon: Int, swap: Int, era: Era) -> Result<CgroupPlan, ImportNote> {
        guard let m = report.memcg, let memory = m.memory else {
            return .failure(ImportNote("the report does not show the cgroup's limit (\"memory: usage ... limit ...\")"))
        }
        guard !memory.isUnlimited else {
            return .failure(ImportNote("the cgroup's memory.max is max: its limit did not cause this OOM"))
        }
        guard let name = m.oomMemcg else {
            return .failure(ImportNote("the report does not name the cgroup whose limit was hit"))
        }
        let at = SourceLocation(file: "report", line: memory.line, column: 1)
        guard let domain = try? CgroupPath.parse(name, at: at), !domain.isRoot else {
            return .failure(ImportNote("the cgroup path '\(name)' is not one a scenario can declare"))
        }
        let ps = report.pageSize
        var notes: [String] = []
        let version = m.version ?? CgroupVersion.defaultVersion(for: era)
        var limit = memory.limitKB * 1024 / ps
        let usage = min(memory.usageKB, memory.limitKB) * 1024 / ps
        if anon > limit {
            notes.append("the tasks' rss (shared pages counted once per task) exceeds the cgroup's limit; "
                         + "memory.max raised from \(limit) to \(anon) pages")
            limit = anon
        }
        var spec = CgroupSpec(path: domain, max: limit)
        if version == .v2, let s = m.swap, !s.isUnlimited {
            spec.swapMax = max(s.limitKB * 1024 / ps, swap)
            if swap > s.limitKB * 1024 / ps {
                notes.append("the tasks' swap entries exceed the cgroup's memory.swap.max; raised to \(swap) pages")
            }
        }
        if m.memsw.map({ !$0.isUnlimited }) == true {
            notes.append("the v1 memory+swap limit is not modelled (docs/memcg.md §13)")
        }
        // Parents first, as the loader lists them (it adds the ones a file leaves out).
        var groups = domain.lineage.dropLast().map { CgroupSpec(path: $0) } + [spec]
        var victim: CgroupPath?
        if let t = m.taskMemcg, let path = try? CgroupPath.parse(t, at: at), path != domain, path.isDescendant(of: domain) {
            victim = path
            groups += path.lineage.filter { $0.components.count > domain.components.count }.map { CgroupSpec(path: $0) }
        }
        let pids = Set([report.selectLine?.pid, report.killedLine?.pid, report.summary?.pid].compactMap { $0 })
        return .success(CgroupPlan(cgroups: CgroupsSpec(version: m.version, groups: groups), domain: domain,
                                   victimCgroup: victim, victimPids: pids, limitPages: limit, usagePages: usage,
                                   notes: notes))
    }

    /// Puts the tasks in their cgroups: the victim in its task_memcg, the
    /// others in the OOM's cgroup (the report's task table lists the
    /// cgroup's subtree without saying which child each task is in), and
    /// the usage their rss does not account for (page cache, kernel memory)
    /// on a task of its own that the OOM killer never picks.
    static func place(_ tasks: inout [TaskSpec], plan: CgroupPlan, notes: inout [String]) {
        for i in tasks.indices where !tasks[i].kthread {
            tasks[i].cgroup = plan.victimPids.contains(tasks[i].pid) ? plan.victimCgroup ?? plan.domain : plan.domain
        }
        let charged = tasks.filter { !$0.kthread }.map(\.anonPages).reduce(0, +)
        let rest = plan.usagePages - charged
        if rest > 0 {
            let pid = (tasks.map(\.pid).max() ?? 1) + 1
            tasks.append(TaskSpec(pid: pid, name: "memcg-other", uid: 0, oomScoreAdj: OOMScoreAdj.min,
                                  anonPages: rest, cgroup: plan.domain, program: idleProgram))
            notes.append("the cgroup's usage the tasks' rss does not account for (page cache, kernel memory: \(rest) pages) "
                         + "is held by memcg-other (pid \(pid), oom_score_adj -1000)")
        }
        var where_ = "its tasks are in \(plan.domain)"
        if let v = plan.victimCgroup { where_ += ", the victim in \(v)" }
        notes.append("memory cgroup OOM: \(plan.domain) with memory.max \(plan.limitPages) pages and usage "
                     + "\(plan.usagePages) pages, as the report shows; \(where_)")
    }

    /// A note on why the cgroup form was not used.
    struct ImportNote: Error {
        var text: String
        init(_ text: String) { self.text = text }
    }
}
