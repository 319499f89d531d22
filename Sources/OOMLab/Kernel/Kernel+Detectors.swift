/// What an engineer wants named: khungtaskd's reports in the kernel's words,
/// and oomlab's own diagnoses (marked "oomlab:"): OOM victim stalls with the
/// wait chain, lock cycles (found in Kernel+Locks.swift when a task blocks),
/// and allocation livelock. The verdict is computed from them.
extension Kernel {
    /// A victim alive this long after the kill is stalled. Longer than the
    /// modern reaper's window (2 s delay + 10 tries of 100 ms).
    public static let victimStallTicks = 5 * Units.hz
    /// No memory progress for this long while tasks loop in the allocator is livelock.
    public static let livelockTicks = 10 * Units.hz

    mutating func runDetectors() {
        checkHungTasks()
        checkVictims()
        checkLivelock()
        if diagnoses.stall != nil || diagnoses.livelockSince != nil || diagnoses.deadlock != nil {
            stalledTicks += 1
        }
    }

    /// khungtaskd: every hung_task_timeout_secs, report tasks in
    /// TASK_UNINTERRUPTIBLE that have not been scheduled since the previous
    /// check (killable waits excluded), at most 10 reports.
    /// check_hung_uninterruptible_tasks, kernel/hung_task.c.
    mutating func checkHungTasks() {
        let timeout = policy.hungTaskTimeoutSecs
        guard timeout > 0, hungTaskWarningsLeft > 0 else { return }
        let period = timeout * Units.hz
        guard tick - lastHungTaskCheck >= period else { return }
        let previous = lastHungTaskCheck
        lastHungTaskCheck = tick
        for t in tasks where t.state == .blocked && t.wait?.isUninterruptible == true && t.lastSwitchTick <= previous {
            guard hungTaskWarningsLeft > 0 else { break }
            hungTaskWarningsLeft -= 1
            let seconds = policy.era == .v2015 ? timeout : (tick - t.waitingSince) / Units.hz
            log("INFO: task \(t.name):\(t.pid) blocked for more than \(seconds) seconds.")
            log("      Not tainted \(policy.era.kernelRelease) #1")
            log("\"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.")
            log("Call Trace:")
            for frame in sleepTrace(t) { log(" \(frame)") }
        }
    }

    /// The stack a task in D state shows in a hung-task report.
    func sleepTrace(_ t: Task) -> [String] {
        switch t.wait {
        case .lock(_, true): return ["schedule", "__mutex_lock_killable_slowpath", "mutex_lock_killable"]
        case .lock: return ["schedule", "schedule_preempt_disabled", "__mutex_lock_slowpath", "mutex_lock"]
        case .exitMmapLock: return ["schedule", "rwsem_down_read_failed", "down_read", "exit_mm", "do_exit"]
        case .dirtyThrottle: return ["schedule", "io_schedule_timeout", "balance_dirty_pages", "generic_perform_write"]
        default: return ["schedule", "io_schedule_timeout"]
        }
    }

    /// Victims: apply victim_timeout_ms, and report a victim that cannot exit
    /// while the OOM killer waits for it.
    mutating func checkVictims() {
        guard !liveVictims.isEmpty else {
            if diagnoses.stall != nil { diagnoses.stall = nil }
            return
        }
        var stalled: Int?
        for pid in liveVictims {
            guard let i = pidIndex[pid], tasks[i].isAlive, let since = tasks[i].victimSince else { continue }
            let age = tick - since
            if policy.victimTimeoutMs > 0, !tasks[i].victimTimedOut, !tasks[i].oomSkip,
               age >= Units.ticks(ms: policy.victimTimeoutMs) {
                tasks[i].victimTimedOut = true
                log("oomlab: victim_timeout: \(tasks[i].name)[\(pid)] still TIF_MEMDIE after \(policy.victimTimeoutMs) ms; the OOM killer may select another victim (Tetsuo Handa's proposal)", .oomlab)
            }
            if tasks[i].oomSkip || tasks[i].victimTimedOut { continue }
            if age >= Kernel.victimStallTicks && stalled == nil { stalled = pid }
        }
        liveVictims.removeAll { pid in
            guard let i = pidIndex[pid] else { return true }
            return !tasks[i].isAlive || tasks[i].oomSkip
        }
        guard let pid = stalled else {
            diagnoses.stall = nil
            return
        }
        if diagnoses.stall?.pid != pid {
            diagnoses.stall = (pid, tick)
            diagnoses.everStalled = true
            let chain = waitChain(pid: pid).joined(separator: " -> ")
            log("oomlab: OOM victim stall: \(chain)", .oomlab)
        }
    }

    /// Allocation livelock: tasks keep looping in the allocator and nothing
    /// anywhere gets or frees memory for a whole window.
    mutating func checkLivelock() {
        let stuck = tick - lastMemoryProgressTick >= Kernel.livelockTicks
            && tasks.contains { $0.isAlive && ($0.allocation?.tries ?? 0) > 0 }
        if stuck {
            if diagnoses.livelockSince == nil {
                diagnoses.livelockSince = tick
                diagnoses.everStalled = true
                let loopers = tasks.filter { $0.isAlive && ($0.allocation?.tries ?? 0) > 0 }
                    .prefix(4).map { "\($0.name)[\($0.pid)]" }.joined(separator: ", ")
                log("oomlab: allocation livelock: no page freed or allocated for \(Kernel.livelockTicks / Units.hz) s while \(loopers) loop in the allocator", .oomlab)
            }
        } else if diagnoses.livelockSince != nil {
            diagnoses.livelockSince = nil
        }
    }

    /// How the run stands now. Precedence: panic, deadlock, stall, livelock,
    /// then recovered (memory ran out but the system moved on) or ok.
    public var verdict: Verdict {
        if let p = panicVerdict { return p }
        if let d = diagnoses.deadlock { return Verdict(kind: .deadlock, tick: d.tick, reason: d.reason) }
        if let s = diagnoses.stall, let t = task(pid: s.pid) {
            return Verdict(kind: .stall, tick: s.tick, reason: "OOM victim \(t.name)[\(t.pid)] cannot exit: " + waitChain(pid: s.pid).dropFirst().joined(separator: " -> "))
        }
        if let since = diagnoses.livelockSince {
            let loopers = tasks.filter { $0.isAlive && ($0.allocation?.tries ?? 0) > 0 }
            let names = loopers.prefix(3).map { "\($0.name)[\($0.pid)]" }.joined(separator: ", ")
            return Verdict(kind: .livelock, tick: since, reason: "no memory progress since tick \(lastMemoryProgressTick); \(names) loop in the allocator")
        }
        if let first = oomKills.first {
            let names = oomKills.map { "\($0.name)[\($0.pid)]" }.joined(separator: ", ")
            return Verdict(kind: .recovered, tick: first.tick, reason: "OOM killed \(names)" + (reaped.isEmpty ? "" : "; reaped \(reaped.map(String.init).joined(separator: ", "))") + "; the system moved on")
        }
        if diagnoses.everStalled {
            return Verdict(kind: .recovered, tick: lastMemoryProgressTick, reason: "a stall cleared and memory moved again")
        }
        return Verdict(kind: .ok, tick: tick, reason: "no OOM kill, nothing stalled")
    }
}
