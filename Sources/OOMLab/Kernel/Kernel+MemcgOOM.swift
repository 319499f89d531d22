/// The memory cgroup OOM killer: the kill inside a cgroup over memory.max,
/// its totalpages, and memory.oom.group. The candidate scan, the kill and
/// the report are the global killer's (Kernel+OOMKill.swift,
/// Kernel+Report.swift) with `OOMControl.memcg` set. docs/memcg.md §3, §7.
/// mm/memcontrol.c, mm/oom_kill.c.
extension Kernel {
    /// mem_cgroup_out_of_memory(): 6.x takes the global oom_lock (a task
    /// finding it held waits, which counts as progress), rechecks the
    /// margin (someone freed: no kill), lets a dying caller go, then runs
    /// out_of_memory with the cgroup's oom_control. 4.0 runs from the end
    /// of the page fault (mem_cgroup_oom_synchronize), under the
    /// hierarchy's own OOM lock, which one CPU never finds held. Returns
    /// whether that was progress (a kill, a dying victim, freed memory),
    /// what the round did, and how long the caller sleeps.
    /// mem_cgroup_out_of_memory / mem_cgroup_oom, mm/memcontrol.c (6.13; 4.0).
    mutating func memcgOutOfMemory(_ id: CgroupID, invoker i: Int, gfp: GFPFlags, order: Int)
        -> (progress: Bool, outcome: SlowpathOutcome, sleep: Int) {
        if policy.era == .modern {
            if oom.lockHolder != nil { return (true, .oomLockContended, 1) }
            if memcg.tree.margin(id) >= 1 << order { return (true, .memcgReclaim, 0) }
        }
        var oc = OOMControl(gfpMask: gfp, order: order, memcg: id, totalPages: memcgGetMax(id))
        let outcome = outOfMemory(&oc, invoker: i)
        return (outcome != .memcgNoKillable, outcome, 0)
    }

    /// totalpages of a memcg OOM: the cgroup's memory.max plus, with a
    /// non-zero swappiness, the swap it may use: on v2 min(memory.swap.max,
    /// total swap), on v1 (and 4.0, whose memsw limit the model leaves
    /// unlimited) all of swap. 4.0 uses 1 for a zero limit.
    /// mem_cgroup_get_max, mm/memcontrol.c (6.13); mem_cgroup_get_limit (4.0).
    func memcgGetMax(_ id: CgroupID) -> Int {
        let c = memcg.tree[id]
        var max = c.memory.limit
        if machine.swappiness > 0 {
            let swap = zone.counters.swapTotal
            max += memcg.chargesSwap ? Swift.min(c.swap.limit, swap) : swap
        }
        return Swift.min(Swift.max(1, max), PageCounter.max)
    }

    /// Which tasks a memcg OOM may weigh: a flag per cgroup, set for `id`
    /// and everything below it (mem_cgroup_scan_tasks); nil for a global OOM.
    func oomDomainMask(_ oc: OOMControl) -> [Bool]? {
        guard let id = oc.memcg else { return nil }
        var mask = [Bool](repeating: false, count: memcg.tree.count)
        for c in memcg.tree.subtree(id) { mask[c] = true }
        return mask
    }

    /// memory.oom.group (v2, 4.19+, the modern era): after the victim,
    /// every other task of the highest cgroup with memory.oom.group set
    /// between the victim's cgroup and the OOM domain dies too, except
    /// oom_score_adj -1000 tasks and init, with an `oom_group_kill` event
    /// and "Tasks in /path are going to be killed due to memory.oom.group
    /// set". The kernel's scan passes the victim again and prints its
    /// "Killed process" line a second time; the model kills each task once.
    /// oom_kill_process / oom_kill_memcg_member, mm/oom_kill.c; mem_cgroup_get_oom_group, mm/memcontrol.c.
    mutating func oomGroupKill(victim v: Int, _ oc: OOMControl, invoker: Int?, message: String?) {
        guard policy.era == .modern, memcg.version == .v2,
              let group = memcg.tree.oomGroup(victim: taskTable.tasks[v].cgroup, oomDomain: oc.memcg) else { return }
        memcgEvent(group, .oomGroupKill)
        log("Tasks in \(memcg.tree[group].path) are going to be killed due to memory.oom.group set")
        var inGroup = [Bool](repeating: false, count: memcg.tree.count)
        for c in memcg.tree.subtree(group) { inGroup[c] = true }
        for m in taskTable.tasks.indices where inGroup[taskTable.tasks[m].cgroup] && taskTable.tasks[m].isOOMCandidate
            && !taskTable.tasks[m].memdie && taskTable.tasks[m].oomScoreAdj != OOMScoreAdj.min {
            let points = oomBadness(processBadnessInput(m), totalPages: oc.totalPages, rules: policy.era.badnessRules) ?? 0
            killOOMVictim(m, oc, invoker: invoker, message: message, points: points)
        }
    }

    /// The victim's cgroup as the log prints it (pr_cont_cgroup_path).
    func cgroupPathText(_ i: Int) -> String { memcg.tree[taskTable.tasks[i].cgroup].path.description }
}
