/// The memory controller's invariants (docs/memcg.md §14): the tree is well
/// formed and its sums hold (`CgroupTree.checkInvariants`), each cgroup's own
/// charges are exactly its tasks' anon pages plus its page cache (and, on
/// v2, its tasks' swap entries), the cgroups hold no more page cache than
/// the node has, and usage is above memory.max only where a forced charge or
/// a lowered limit put it.
extension Kernel {
    func checkMemcg(_ fail: (String) throws -> Never) throws {
        guard memcg.isEnabled else {
            for i in taskTable.tasks.indices where taskTable.tasks[i].cgroup != CgroupTree.rootID {
                try fail("task \(taskTable.tasks[i].pid) is in cgroup \(taskTable.tasks[i].cgroup) but there are no cgroups")
            }
            if !memcg.tickCounts.isEmpty { try fail("memory.pressure is counted with no cgroups") }
            return
        }
        do { try memcg.tree.checkInvariants() } catch { try fail(error.description) }
        let counted = memcg.pressureTotals
        if memcg.tickCounts.count != memcg.tree.count || counted.memstalled != stats.memstalled || counted.nonIdle != stats.nonIdle {
            try fail("memory.pressure counted \(counted.memstalled) stalled of \(counted.nonIdle) non-idle tasks in \(memcg.tickCounts.count) cgroups; the tick had \(stats.memstalled) of \(stats.nonIdle)")
        }
        var anon = [Int](repeating: 0, count: memcg.tree.count)
        var swap = anon
        for i in taskTable.tasks.indices {
            let c = taskTable.tasks[i].cgroup
            guard memcg.tree.contains(c) else { try fail("task \(taskTable.tasks[i].pid) is in no cgroup (\(c))") }
            guard !taskTable.tasks[i].kthread else { continue }
            anon[c] += taskTable.tasks[i].anon
            swap[c] += taskTable.tasks[i].swapEntries
        }
        var file = 0
        for c in 1..<memcg.tree.count {
            let g = memcg.tree[c]
            file += g.filePages
            if g.filePages < 0 { try fail("\(g.path) holds negative page cache") }
            if g.ownMemory != anon[c] + g.filePages {
                try fail("\(g.path) own charges \(g.ownMemory) != its tasks' anon \(anon[c]) + page cache \(g.filePages)")
            }
            let wantSwap = memcg.chargesSwap ? swap[c] : 0
            if g.ownSwap != wantSwap { try fail("\(g.path) own swap charges \(g.ownSwap) != its tasks' swap entries \(wantSwap)") }
            if g.memory.usage > g.memory.limit && !g.forcedOverLimit {
                try fail("\(g.path) usage \(g.memory.usage) above memory.max \(g.memory.limit) without a forced charge")
            }
        }
        if file > zone.counters.fileLRU { try fail("cgroups hold \(file) pages of page cache, the node \(zone.counters.fileLRU)") }
    }
}
