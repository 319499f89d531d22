/// memory.pressure: PSI per memory cgroup. A cgroup's pressure counts the
/// tasks of its whole subtree, as the kernel's psi_group of each cgroup
/// does (psi_task_change walks the task's cgroup and every ancestor): a
/// tick is SOME for it when one of them is stalled on memory, FULL when
/// every non-idle one is, and the averages are the global ones' arithmetic
/// (PSIAverages). The root's counts are the machine's, which
/// checkInvariants holds them to. docs/memcg.md §10.
/// psi_task_change / psi_group_change / record_times, kernel/sched/psi.c.
public struct PressureCounts: Equatable, Sendable {
    var memstalled = 0
    var nonIdle = 0

    init(memstalled: Int = 0, nonIdle: Int = 0) {
        self.memstalled = memstalled
        self.nonIdle = nonIdle
    }

    /// What parked tasks add to a tick, by `ParkedTotals.add`'s rule (a
    /// memory stall is non-idle too), so the rule is in one place.
    init(_ parked: Kernel.RunQueue.ParkedTotals) {
        var stats = TickStats()
        parked.add(to: &stats)
        self.init(memstalled: stats.memstalled, nonIdle: stats.nonIdle)
    }
}

extension MemcgState {
    /// memory.pressure's avg10 of cgroup `id` (nil for an id the tree lacks,
    /// or with the memory controller off).
    public func pressure(_ id: CgroupID) -> PSIAverages? {
        pressure.indices.contains(id) ? pressure[id] : nil
    }

    /// Turns the per-cgroup accounting on (the first cgroup below the root)
    /// and keeps it sized to the tree; the caller rebuilds the run queue,
    /// whose parked totals it also keeps by cgroup.
    /// `now` is the tick's counts so far, all the root's when the
    /// accounting starts.
    mutating func sizePressure(now: PressureCounts = PressureCounts()) {
        let n = isEnabled ? tree.count : 0
        if tickCounts.isEmpty && n > 0 { tickCounts = [now] }
        while tickCounts.count < n { tickCounts.append(PressureCounts()) }
        while pressure.count < n { pressure.append(PSIAverages()) }
    }

    /// A tick starts: each cgroup's own counts are what its parked tasks add.
    mutating func startPressureTick(parked: [Kernel.RunQueue.ParkedTotals]) {
        for c in tickCounts.indices { tickCounts[c] = PressureCounts(parked[c]) }
    }

    /// Task of cgroup `id` counted `memstalled` and `nonIdle` this tick.
    @inline(__always)
    mutating func countPressure(_ id: CgroupID, memstalled: Int, nonIdle: Int) {
        tickCounts[id].memstalled += memstalled
        tickCounts[id].nonIdle += nonIdle
    }

    /// A parked task's statistic, added (sign 1) or taken back (-1).
    mutating func countPressure(_ id: Int, _ stat: Kernel.ScheduleEntry.Stat, sign: Int) {
        var one = Kernel.RunQueue.ParkedTotals()
        one.adjust(stat, by: sign)
        let d = PressureCounts(one)
        countPressure(id, memstalled: d.memstalled, nonIdle: d.nonIdle)
    }

    /// The tick's end: each cgroup's subtree counts update its averages
    /// (children come after their parents in the tree, so one walk from the
    /// end sums them).
    mutating func recordPressure() {
        var sums = tickCounts
        for c in sums.indices.reversed() where c != CgroupTree.rootID {
            guard let p = tree[c].parent else { continue }
            sums[p].memstalled += sums[c].memstalled
            sums[p].nonIdle += sums[c].nonIdle
        }
        for c in sums.indices where c != CgroupTree.rootID {
            pressure[c].record(some: sums[c].memstalled > 0,
                               full: sums[c].memstalled > 0 && sums[c].memstalled == sums[c].nonIdle)
        }
    }

    /// The tick's counts over every cgroup: the machine's, if nothing was missed.
    var pressureTotals: PressureCounts {
        tickCounts.reduce(into: PressureCounts()) { $0.memstalled += $1.memstalled; $0.nonIdle += $1.nonIdle }
    }
}

extension Kernel {
    /// Keeps the per-cgroup accounting (this tick's counts, the averages,
    /// the run queue's parked totals) sized to the tree after cgroups were
    /// made. When the first cgroup appears every task is still in the
    /// root, so the root's share is what the machine counted.
    mutating func syncCgroupAccounting() {
        let n = memcg.isEnabled ? memcg.tree.count : 0
        guard memcg.tickCounts.count != n else { return }
        memcg.sizePressure(now: PressureCounts(memstalled: stats.memstalled, nonIdle: stats.nonIdle))
        if taskTable.runQueue.parkedByCgroup.isEmpty && n > 0 { taskTable.runQueue.parkedByCgroup = [taskTable.runQueue.parked] }
        while taskTable.runQueue.parkedByCgroup.count < n { taskTable.runQueue.parkedByCgroup.append(RunQueue.ParkedTotals()) }
    }
}
