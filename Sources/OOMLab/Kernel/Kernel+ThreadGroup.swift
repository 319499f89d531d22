/// Threads of one process. A task's `tgid` names its process; the threads
/// share one mm, and the mm's pages (anon, swap entries, page tables) are
/// counted once, on the entry of the thread that is the mm's owner
/// (mm->owner, `taskTable.mmOwners`): the other threads' entries carry none
/// of them. A thread's exit frees the mm only if it is the last user
/// (exit_mm -> mmput); an owner that exits before its siblings hands the mm
/// to the next live thread (mm_update_next_owner). The OOM killer weighs the
/// process by its mm once, kills every thread with it (SIGKILL goes to the
/// thread group), and the reaper reaps the mm.
/// exit_mm / mm_update_next_owner, kernel/exit.c; mmput, kernel/fork.c
/// (v4.0, v6.13).
extension Kernel {
    /// Indices of the alive tasks of a process, in pid order.
    /// for_each_thread, include/linux/sched/signal.h (v6.13; include/linux/sched.h in v4.0).
    func threadGroup(of i: Int) -> [Int] {
        guard taskTable.hasThreadGroups else { return [i] }
        let tgid = taskTable.tasks[i].tgid
        return taskTable.tasks.indices.filter { taskTable.tasks[$0].tgid == tgid && taskTable.tasks[$0].isAlive }
    }


    /// The resident pages of the mm task `t` uses, as get_mm_rss(t->mm)
    /// counts them: a live thread shows its mm owner's rss, the process's,
    /// which is what /proc/PID/status VmRSS shows for every thread of it
    /// (task_mem reads the shared mm). A task without threads, or one that
    /// has exited (exit_mm dropped its mm), shows `t.rss`, its own entry.
    /// Every place that shows a task's RSS reads this, never `t.rss`, whose
    /// value is 0 on a thread that does not own the mm.
    /// get_mm_rss, include/linux/mm.h; task_mem, fs/proc/task_mmu.c (v4.0, v6.13).
    public func mmRSS(of t: Task) -> Int {
        guard taskTable.hasThreadGroups, t.isAlive, let i = taskTable.pidIndex[t.pid] else { return t.rss }
        return mmRSS(at: i)
    }

    /// `mmRSS(of:)` of the task at index i, without copying the task.
    public func mmRSS(at i: Int) -> Int {
        guard taskTable.hasThreadGroups, taskTable.tasks[i].state != .dead else { return taskTable.tasks[i].anon }
        return taskTable.tasks[taskTable.mmOwner(i)].anon
    }

    /// What oom_badness() reads for the process task i belongs to: its mm,
    /// counted once (get_mm_rss(p->mm), mm_pgtables_bytes(p->mm)).
    /// oom_badness, mm/oom_kill.c.
    func processBadnessInput(_ i: Int) -> BadnessInput {
        let owner = taskTable.mmOwner(i)
        let t = taskTable.tasks
        // Field by field, as TaskTable.isOOMCandidate(_:) reads: a method
        // or computed property of the array's element copied the whole Task.
        return BadnessInput(rss: t[owner].anon, swapEntries: t[owner].swapEntries, pageTablePages: t[owner].pageTables,
                            oomScoreAdj: t[i].oomScoreAdj, isRoot: Task.isRoot(uid: t[i].uid),
                            unkillable: Task.isOOMUnkillable(kthread: t[i].kthread, tgid: t[i].tgid)
                                || (policy.era == .modern && t[i].oomSkip))
    }

    /// tsk_is_oom_victim(): 4.0 has only TIF_MEMDIE, the marked thread's
    /// own flag; since cd04ae1e2dc8 (4.14) mark_oom_victim() also sets
    /// signal->oom_mm, shared by the thread group, so every thread of a
    /// victim is one (reserves through oom_reserves_allowed, the OOM
    /// killer's abort in oom_evaluate_task).
    /// tsk_is_oom_victim, include/linux/oom.h; mark_oom_victim, mm/oom_kill.c (v6.13).
    @inline(__always)
    func isOOMVictim(_ i: Int) -> Bool {
        if taskTable.tasks[i].memdie { return true }
        guard policy.era == .modern, taskTable.hasThreadGroups else { return false }
        return oom.victimProcesses.contains(taskTable.tasks[i].tgid)
    }

    /// A new task's mm: a thread of a process that already has an owner
    /// brings its scenario pages into the owner's mm. The first thread of a
    /// process to arrive owns it; a thread whose tgid names a live task
    /// makes that task the owner.
    mutating func joinThreadGroup(_ i: Int) {
        let tgid = taskTable.tasks[i].tgid
        let pid = taskTable.tasks[i].pid
        if taskTable.mmOwners[tgid] == nil {
            guard tgid != pid else { return }
            if let leader = taskTable.pidIndex[tgid], taskTable.tasks[leader].isAlive, !taskTable.tasks[leader].kthread {
                taskTable.mmOwners[tgid] = tgid
            } else {
                taskTable.mmOwners[tgid] = pid
                return
            }
        }
        let owner = taskTable.mmOwner(i)
        if owner != i { moveMM(from: i, to: owner) }
    }

    /// exit_mm() of task i: mmput() frees the mm only at its last user.
    /// Returns true if task i's exit is the mm's last, so its pages go.
    /// An owner that exits first passes the mm to its next live thread in
    /// pid order (mm_update_next_owner; the kernel searches children,
    /// siblings, then every thread).
    /// exit_mm / mm_update_next_owner, kernel/exit.c; mmput, kernel/fork.c.
    mutating func mmputIsLast(_ i: Int) -> Bool {
        guard taskTable.hasThreadGroups else { return true }
        let tgid = taskTable.tasks[i].tgid
        guard let ownerPid = taskTable.mmOwners[tgid] else { return true }
        let pid = taskTable.tasks[i].pid
        let next = taskTable.tasks.indices.first {
            taskTable.tasks[$0].tgid == tgid && taskTable.tasks[$0].pid != pid && taskTable.tasks[$0].isAlive
        }
        guard let next else {
            taskTable.mmOwners[tgid] = nil
            return true
        }
        if ownerPid == pid {
            taskTable.mmOwners[tgid] = taskTable.tasks[next].pid
            moveMM(from: i, to: next)
        }
        return false
    }

    /// Moves the mm's pages from one thread's entry to another's (the
    /// totals in `memory` do not change).
    mutating func moveMM(from a: Int, to b: Int) {
        taskTable.tasks[b].anon += taskTable.tasks[a].anon
        taskTable.tasks[b].swapEntries += taskTable.tasks[a].swapEntries
        taskTable.tasks[b].pageTables += taskTable.tasks[a].pageTables
        taskTable.tasks[a].anon = 0
        taskTable.tasks[a].swapEntries = 0
        taskTable.tasks[a].pageTables = 0
    }
}

extension Kernel.TaskTable {
    /// `tasks[i].isOOMCandidate`, read field by field (Task.isOOMCandidate(kthread:tgid:state:)).
    @inline(__always)
    func isOOMCandidate(_ i: Int) -> Bool {
        Kernel.Task.isOOMCandidate(kthread: tasks[i].kthread, tgid: tasks[i].tgid, state: tasks[i].state)
    }

    /// The index of the task whose entry carries the mm task i uses: i
    /// itself unless it is a thread of a multi-threaded process.
    /// A method of the table, not of the Kernel: the mutating kernel paths
    /// that called it as a Kernel method (charging, freeing) got a copy of
    /// the whole Kernel, 1,208 bytes, per call (docs/performance.md, session 8).
    /// mm->owner, include/linux/mm_types.h.
    @inline(__always)
    func mmOwner(_ i: Int) -> Int {
        guard hasThreadGroups, let pid = mmOwners[tasks[i].tgid], let owner = pidIndex[pid] else { return i }
        return owner
    }
}
