/// Threads of one process. The OOM killer weighs a process, not a thread
/// (oom_badness reads the mm the threads share), kills every thread with it
/// (SIGKILL goes to the whole thread group), and the reaper reaps the mm.
/// A task's `tgid` names its process; each thread keeps its own share of the
/// process's memory, and the process is the sum of them.
extension Kernel {
    /// Indices of the alive tasks of a process, in pid order.
    /// for_each_thread, include/linux/sched/signal.h (v6.13; include/linux/sched.h in v4.0).
    func threadGroup(of i: Int) -> [Int] {
        guard hasThreadGroups else { return [i] }
        let tgid = tasks[i].tgid
        return tasks.indices.filter { tasks[$0].tgid == tgid && tasks[$0].isAlive }
    }

    /// What oom_badness() reads for the process task i belongs to.
    func processBadnessInput(_ i: Int) -> BadnessInput {
        var input = Task.badnessInput(of: tasks[i], era: policy.era)
        guard hasThreadGroups else { return input }
        let group = threadGroup(of: i)
        input.rss = group.reduce(0) { $0 + tasks[$1].rss }
        input.swapEntries = group.reduce(0) { $0 + tasks[$1].swapEntries }
        input.pageTablePages = group.reduce(0) { $0 + tasks[$1].pageTables }
        return input
    }

    /// The memory of every process, by tgid, for one pass of select_bad_process.
    func processMemory() -> [Int: (rss: Int, swap: Int, pageTables: Int)] {
        var sums: [Int: (rss: Int, swap: Int, pageTables: Int)] = [:]
        for t in tasks where t.hasMM {
            let s = sums[t.tgid] ?? (0, 0, 0)
            sums[t.tgid] = (s.rss + t.rss, s.swap + t.swapEntries, s.pageTables + t.pageTables)
        }
        return sums
    }
}
