/// The OOM killer: out_of_memory(), select_bad_process(), oom_kill_process().
extension Kernel {
    /// The oom_control of a global OOM for an allocation of `order` pages
    /// with `gfp`: totalpages from constrained_alloc, nothing chosen yet.
    func oomControl(gfp: GFPFlags, order: Int) -> OOMControl {
        OOMControl(gfpMask: gfp, order: order, memcg: nil, totalPages: oomTotalPages)
    }

    /// out_of_memory(). `invoker` is the allocating task's index (current),
    /// or nil when kswapd invokes it (oom_invocation=kswapd). Returns what
    /// happened, which the allocator treats as progress.
    /// out_of_memory, mm/oom_kill.c.
    mutating func outOfMemory(_ oc: inout OOMControl, invoker: Int?) -> SlowpathOutcome {
        if let i = invoker, taskTable.tasks[i].hasMM, taskTable.tasks[i].sigkill || taskTable.tasks[i].state == .exiting {
            // The caller is already dying: let it use reserves and exit.
            markOOMVictim(i)
            return .oomKilled
        }
        if policy.era == .modern, invoker != nil, oc.memcg == nil, !oc.gfpMask.contains(.fs) {
            // 3da88fb3bacf: no kill for !__GFP_FS; the allocator keeps looping.
            // A memcg OOM is exempt (f9c645621a28, docs/memcg.md §3.3).
            return .oomSkippedNoFS
        }
        let comm = invokerIdentity(oc, invoker).comm
        oom.lockHolder = comm
        oom.lockUntil = tick + 1
        // check_panic_on_oom: 1 panics for CONSTRAINT_NONE only, 2 for a memcg OOM too.
        if policy.panicOnOOM == 2 || (policy.panicOnOOM != 0 && oc.memcg == nil) {
            dumpHeader(oc, invoker: invoker)
            let kind = policy.panicOnOOM == 2 ? "compulsory" : "system-wide"
            panic("Out of memory: \(kind) panic_on_oom is enabled")
            return .oomKilled
        }
        if policy.oomKillAllocatingTask, oc.memcg == nil, let i = invoker, taskTable.tasks[i].isOOMCandidate,
           taskTable.tasks[i].oomScoreAdj != OOMScoreAdj.min, !taskTable.tasks[i].memdie {
            oc.chosen = .task(i)
            oc.chosenPoints = 0
            oomKillProcess(oc, invoker: invoker, message: "Out of memory (oom_kill_allocating_task)")
            return .oomKilled
        }
        selectBadProcess(&oc)
        switch oc.chosen {
        case .inflightVictim:
            oom.aborts += 1
            return .oomAborted
        case nil where oc.memcg != nil:
            // A memcg with nothing killable: 6.x reports it and does not
            // panic (the charge fails); 4.0 returns silently.
            if policy.era == .modern {
                dumpHeader(oc, invoker: invoker)
                log("Out of memory and no killable processes...")
            }
            return .memcgNoKillable
        case nil:
            dumpHeader(oc, invoker: invoker)
            log("Out of memory and no killable processes...")
            panic(policy.era == .v2015 ? "Out of memory and no killable processes..." : "System is deadlocked on memory")
            return .oomKilled
        case .task(let index):
            oomKillProcess(oc, invoker: invoker, message: oc.memcg == nil ? nil : "Memory cgroup out of memory",
                           sacrificing: policy.era == .v2015 ? sacrificeChild(of: index, oc) : nil)
            return .oomKilled
        }
    }

    /// select_bad_process(): the task with the highest oom_badness, scanning
    /// in pid order, into `oc.chosen`. While an earlier victim is alive the
    /// whole scan aborts (INFLIGHT_VICTIM), unless its mm has MMF_OOM_SKIP
    /// (reaped) or victim_timeout_ms ran out. 4.0 also aborts on a task that
    /// is already exiting.
    /// select_bad_process / oom_scan_process_thread (4.0) / oom_evaluate_task (6.13), mm/oom_kill.c.
    func selectBadProcess(_ oc: inout OOMControl) {
        let rules = policy.era.badnessRules
        oc.chosen = nil
        // With threads, a process is weighed once, at its first live thread,
        // by its mm (counted on the mm owner's entry).
        var weighed = Set<Int>()
        // A memcg OOM weighs only the cgroup's subtree (mem_cgroup_scan_tasks).
        let domain = oomDomainMask(oc)
        // Each task's fields read in place (`tasks[i]`): a `for t in tasks`
        // loop copies every Task it visits.
        for i in taskTable.tasks.indices where taskTable.isOOMCandidate(i) {
            if let d = domain, !d[taskTable.tasks[i].cgroup] { continue }
            // 4.0 tests each thread's TIF_MEMDIE; 6.13 the process's
            // tsk_is_oom_victim (signal->oom_mm), whose MMF_OOM_SKIP is the mm's.
            if isOOMVictim(i) || (taskTable.tasks[i].state == .exiting && policy.era == .v2015) {
                if taskTable.tasks[i].oomSkip || taskTable.tasks[i].victimTimedOut { continue }
                oc.chosen = .inflightVictim(pid: taskTable.tasks[i].pid)
                return
            }
            // MMF_OOM_SKIP: the mm was reaped or given up on; none of its threads is weighed.
            if taskTable.tasks[i].oomSkip { continue }
            if taskTable.hasThreadGroups {
                guard weighed.insert(taskTable.tasks[i].tgid).inserted else { continue }
            }
            guard let points = oomBadness(processBadnessInput(i), totalPages: oc.totalPages, rules: rules) else { continue }
            if oomEvaluateReplaces(points, chosen: oc.chosen == nil ? nil : oc.chosenPoints, rules: rules) {
                oc.chosen = .task(i)
                oc.chosenPoints = points
            }
        }
    }

    /// /proc/PID/oom_score under the current era.
    /// proc_oom_score, fs/proc/base.c.
    public func oomScore(of t: Task) -> Int {
        guard t.isOOMCandidate, let i = taskTable.pidIndex[t.pid] else { return 0 }
        return procOOMScore(processBadnessInput(i), totalPages: oomTotalPages, rules: policy.era.badnessRules)
    }

    /// Every task's /proc/PID/oom_score, in task order (`oomScore(of:)` for
    /// each, in one pass with no pid lookups: the TUI sorts its table by it).
    public func oomScores() -> [Int] {
        let total = oomTotalPages
        let rules = policy.era.badnessRules
        var scores = [Int](repeating: 0, count: taskTable.tasks.count)
        for i in taskTable.tasks.indices where taskTable.isOOMCandidate(i) {
            scores[i] = procOOMScore(processBadnessInput(i), totalPages: total, rules: rules)
        }
        return scores
    }

    /// oom_kill_process(): print the report, mark the victim (TIF_MEMDIE,
    /// SIGKILL) and queue it for the reaper. Its memory is freed only when it
    /// exits or is reaped. `oc.chosen` is the task selected; before 5.1 its
    /// child may die in its place (`sacrificing`).
    /// oom_kill_process / __oom_kill_process, mm/oom_kill.c.
    mutating func oomKillProcess(_ oc: OOMControl, invoker: Int?, message: String?, sacrificing child: Int? = nil) {
        guard case .task(let chosen) = oc.chosen else { return }
        let dumped = dumpHeaderRatelimited(oc, invoker: invoker)
        let v = child ?? chosen
        switch policy.era {
        case .v2015:
            let selected = taskTable.tasks[chosen]
            let score = reportedOOMScore(points: oc.chosenPoints, totalPages: oc.totalPages)
            let kill = "Kill process \(selected.pid) (\(selected.name)) score \(score) or sacrifice child"
            log(oc.memcg == nil ? message ?? "Out of memory: \(kill)" : "\(message ?? "Out of memory"): \(kill)")
        case .modern:
            if dumped { log(oomKillSummary(oc, victim: v)) }
        }
        killOOMVictim(v, oc, invoker: invoker, message: message, points: oc.chosenPoints)
        oomGroupKill(victim: v, oc, invoker: invoker, message: message)
    }

    /// __oom_kill_process(): the "Killed process" line, the kill's record
    /// and memory.events oom_kill (4.13+, so the modern era) in the
    /// victim's cgroup, SIGKILL to the thread group, TIF_MEMDIE to the task.
    /// __oom_kill_process, mm/oom_kill.c.
    /// `points` is what the kill's record keeps: the chosen task's score,
    /// or a group member's own badness.
    mutating func killOOMVictim(_ v: Int, _ oc: OOMControl, invoker: Int?, message: String?, points: Int) {
        let t = taskTable.tasks[v]
        let mm = processBadnessInput(v)
        let totalVM = mm.rss + mm.swapEntries
        let kb = { (pages: Int) in "\(Units.kb(pages: pages))kB" }
        switch policy.era {
        case .v2015:
            log("Killed process \(t.pid) (\(t.name)) total-vm:\(kb(totalVM)), anon-rss:\(kb(mm.rss)), file-rss:0kB")
        case .modern:
            let head = message.map { "\($0): Killed process" } ?? "Out of memory: Killed process"
            log("\(head) \(t.pid) (\(t.name)) total-vm:\(kb(totalVM)), anon-rss:\(kb(mm.rss)), file-rss:0kB, shmem-rss:0kB, UID:\(t.uid) pgtables:\(kb(mm.pageTablePages)) oom_score_adj:\(t.oomScoreAdj)")
        }
        oom.kills.append(OOMKill(tick: tick, pid: t.pid, name: t.name, points: points,
                                invokedBy: invokerIdentity(oc, invoker).comm,
                                cgroup: memcg.tree[t.cgroup].path, oomMemcg: oc.memcg.map { memcg.tree[$0].path }))
        if policy.era == .modern { memcgEvent(t.cgroup, .oomKill) }
        // SIGKILL goes to the whole thread group; TIF_MEMDIE to the chosen thread.
        for member in threadGroup(of: v) { sendSIGKILL(member) }
        markOOMVictim(v)
    }

    /// Before 5.1: the chosen process's child (with its own mm) that has the
    /// highest badness dies in its place, "to lose the minimal amount of work
    /// done while still freeing memory". oom_kill_process, mm/oom_kill.c (4.0).
    func sacrificeChild(of chosen: Int, _ oc: OOMControl) -> Int? {
        let parent = taskTable.tasks[chosen]
        let rules = policy.era.badnessRules
        var best: (index: Int, points: Int)?
        // oom_badness gives 0 to a child outside the OOMing memcg (oom_unkillable_task).
        let domain = oomDomainMask(oc)
        for (i, t) in taskTable.tasks.enumerated() where t.parent == parent.pid && t.isOOMCandidate && t.tgid != parent.tgid && !t.oomSkip {
            if let d = domain, !d[t.cgroup] { continue }
            guard let points = oomBadness(processBadnessInput(i), totalPages: oc.totalPages, rules: rules) else { continue }
            if points > (best?.points ?? 0) { best = (i, points) }
        }
        return best?.index
    }

    /// mark_oom_victim(): TIF_MEMDIE, and queue the OOM reaper. The kernel
    /// sets the flag with test_and_set_tsk_thread_flag and returns if it was
    /// already set, so a task chosen again (a sacrificed child past
    /// victim_timeout_ms, say) keeps its first mark: one entry in the live
    /// victims, the stall dated from the first kill.
    /// mark_tsk_oom_victim, mm/oom_kill.c (v4.0); mark_oom_victim (v6.13).
    mutating func markOOMVictim(_ v: Int) {
        guard !taskTable.tasks[v].memdie else { return }
        taskTable.tasks[v].memdie = true
        taskTable.tasks[v].sigkill = true
        taskTable.tasks[v].victimSince = tick
        if !oom.victimProcesses.contains(taskTable.tasks[v].tgid) { oom.victimProcesses.append(taskTable.tasks[v].tgid) }
        oom.liveVictims.append(taskTable.tasks[v].pid)
        noteVictimForOutcome(v)
        if policy.oomReaper { queueOOMReaper(taskTable.tasks[v].pid) }
    }

    /// The pid and comm kswapd0 shows in reports, as the invoker of an OOM
    /// kill under oom_invocation=kswapd.
    static let kswapdPid = 38
    static let kswapdComm = "kswapd0"
    /// The process that writes a cgroup file in a user action: the lab
    /// itself, not a simulated task (pid 0 marks that it has no entry).
    static let limitWriterComm = "oomlab"

    /// current as dump_header prints it: the allocating task, kswapd0 (the
    /// model's oom_invocation=kswapd), or the writer of memory.max.
    func invokerIdentity(_ oc: OOMControl, _ invoker: Int?) -> (comm: String, pid: Int, adj: Int) {
        if let i = invoker { return (taskTable.tasks[i].name, taskTable.tasks[i].pid, taskTable.tasks[i].oomScoreAdj) }
        if oc.fromLimitWrite { return (Kernel.limitWriterComm, 0, 0) }
        return (Kernel.kswapdComm, Kernel.kswapdPid, 0)
    }

    /// Stops the machine: "Kernel panic - not syncing: ...".
    /// panic, kernel/panic.c.
    mutating func panic(_ message: String) {
        log("Kernel panic - not syncing: \(message)")
        panicVerdict = Verdict(kind: .panic, tick: tick, reason: message)
    }
}
