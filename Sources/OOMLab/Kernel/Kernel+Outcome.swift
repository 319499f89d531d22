/// The verdict as the run unfolds: ok, pending (a victim chosen, not yet
/// gone), recovered, stall, livelock, deadlock, panic. It follows the kernel
/// state tick by tick and keeps its history (`Outcome`), so a run that
/// stalled and then recovered says both. This is oomlab's judgement, not
/// kernel behaviour; the kernel has no such notion.
extension Kernel {
    /// Called at the end of every tick, after the detectors.
    mutating func updateOutcome() {
        pruneOutcomeVictims()
        let (kind, since) = currentOutcome()
        if kind != outcome.kind { outcome.record(kind, since: since, now: tick) }
    }

    /// The kind that holds now and when its condition began. Precedence:
    /// panic, deadlock, stall, livelock, pending, then recovered or ok.
    func currentOutcome() -> (Verdict.Kind, Int) {
        if let p = panicVerdict { return (.panic, p.tick) }
        if let d = detectors.diagnoses.deadlock { return (.deadlock, d.tick) }
        if let s = detectors.diagnoses.stall { return (.stall, s.since) }
        if let l = detectors.diagnoses.livelock { return (.livelock, l.since) }
        if !outcome.victims.isEmpty || !outcome.waiters.isEmpty { return (.pending, tick) }
        // A kill whose victim exited within the same tick never showed as pending.
        if outcome.changes.count > 1 || !oom.kills.isEmpty { return (.recovered, tick) }
        return (.ok, 0)
    }

    /// mark_oom_victim() time: the victim is outstanding until it exits or
    /// is reaped, and every allocation in progress now waits on the kill.
    mutating func noteVictimForOutcome(_ v: Int) {
        let pid = taskTable.tasks[v].pid
        if !outcome.victims.contains(pid) { outcome.victims.append(pid) }
        let group = taskTable.tasks[v].tgid
        var present = Set(outcome.waiters.map(\.pid))
        for t in taskTable.tasks where t.isAlive && t.tgid != group && t.allocation != nil {
            guard let a = t.allocation, present.insert(t.pid).inserted else { continue }
            outcome.waiters.append(Outcome.Waiter(pid: t.pid, startedTick: a.startedTick, since: tick))
        }
    }

    /// Drops victims that exited or were reaped, and allocations that no
    /// longer wait. A victim the reaper gave up on, or whose victim timeout
    /// ran out, is still outstanding: it holds its memory until it exits.
    mutating func pruneOutcomeVictims() {
        // Loops that read the tasks' stored fields in place: removeAll(where:)
        // with closures over the kernel made the optimizer copy the whole
        // Kernel value every tick, and task(pid:) copied each victim's Task.
        if !outcome.victims.isEmpty {
            var k = 0
            while k < outcome.victims.count {
                let pid = outcome.victims[k]
                if let i = taskTable.pidIndex[pid], taskTable.tasks[i].state != .dead, !reaper.reaped.contains(pid) {
                    k += 1
                } else {
                    outcome.victims.remove(at: k)
                }
            }
            if outcome.victims.isEmpty { outcome.lastVictimGoneTick = tick }
        }
        var k = 0
        while k < outcome.waiters.count {
            let w = outcome.waiters[k]
            var waiting = false
            if let i = taskTable.pidIndex[w.pid], taskTable.tasks[i].state != .dead, taskTable.tasks[i].state != .exiting,
               let a = taskTable.tasks[i].allocation {
                waiting = a.startedTick == w.startedTick && a.lastGrantTick <= w.since
            }
            if waiting { k += 1 } else { outcome.waiters.remove(at: k) }
        }
    }

    /// How the run stands now, with the tick its condition began and a
    /// reason that names the pids and locks involved.
    public var verdict: Verdict {
        let change = outcome.current
        switch change.kind {
        case .panic:
            return panicVerdict ?? Verdict(kind: .panic, tick: change.tick, reason: "the kernel panicked")
        case .deadlock:
            return Verdict(kind: .deadlock, tick: change.tick, reason: detectors.diagnoses.deadlock?.reason ?? "a lock cycle")
        case .stall:
            let pid = detectors.diagnoses.stall?.pid ?? 0
            let name = task(pid: pid).map { "\($0.name)[\($0.pid)]" } ?? "pid \(pid)"
            return Verdict(kind: .stall, tick: change.tick,
                           reason: "OOM victim \(name) cannot exit: " + waitChain(pid: pid).dropFirst().joined(separator: " -> "))
        case .livelock:
            return Verdict(kind: .livelock, tick: change.tick, reason: livelockReason())
        case .pending:
            return Verdict(kind: .pending, tick: change.tick, reason: pendingReason())
        case .recovered:
            return Verdict(kind: .recovered, tick: change.tick, reason: recoveredReason(), headline: recoveredHeadline(at: change.tick))
        case .ok:
            return Verdict(kind: .ok, tick: change.tick, reason: "no OOM kill, nothing stalled")
        }
    }

    func livelockReason() -> String {
        guard let l = detectors.diagnoses.livelock else { return "tasks loop in the allocator" }
        let loopers = l.pids.prefix(3).compactMap { task(pid: $0) }.map { t -> String in
            let what = t.allocation.map { "order-\($0.spec.order) \($0.spec.gfp.symbolicName), try \($0.tries)" } ?? "allocating"
            return "\(t.name)[\(t.pid)] (\(what))"
        }
        let more = l.pids.count > 3 ? " and \(l.pids.count - 3) more" : ""
        let verb = l.pids.count == 1 ? "has" : "have"
        return "\(loopers.joined(separator: ", "))\(more) \(verb) looped in the allocator without being served since "
            + "\(Units.seconds(ms: Units.ms(ticks: l.since))) s" + livelockCause()
    }

    /// Why the allocator keeps looping instead of failing or invoking the OOM killer.
    func livelockCause() -> String {
        if policy.era == .v2015 && zoneReclaimable() {
            return "; zone_reclaimable() keeps reporting progress (pages_scanned \(zone.pagesScanned) < 6 x \(zoneReclaimablePages) reclaimable), so out_of_memory is never called"
        }
        return ""
    }

    func pendingReason() -> String {
        let victims = outcome.victims.compactMap { task(pid: $0) }
        if !victims.isEmpty {
            return victims.prefix(3).map { t -> String in
                let age = t.victimSince.map { Units.seconds(ms: Units.ms(ticks: tick - $0)) } ?? "?"
                var text = "OOM victim \(t.name)[\(t.pid)] has had TIF_MEMDIE for \(age) s and has not exited"
                if t.oomSkip { text += " (MMF_OOM_SKIP: the OOM killer no longer waits for it)" }
                else if t.victimTimedOut { text += " (victim timeout passed: the OOM killer no longer waits for it)" }
                if let hop = waitChain(pid: t.pid).dropFirst().first { text += ": " + hop }
                else { text += ": " + activity(of: t) }
                return text
            }.joined(separator: "; ")
        }
        let waiting = outcome.waiters.prefix(3).compactMap { task(pid: $0.pid) }.map { t -> String in
            let what = t.allocation.map { "order-\($0.spec.order) \($0.spec.gfp.symbolicName)" } ?? "allocation"
            return "\(t.name)[\(t.pid)] (\(what))"
        }
        let gone = outcome.lastVictimGoneTick.map { " at \(Units.seconds(ms: Units.ms(ticks: $0))) s" } ?? ""
        return "every OOM victim is gone\(gone); waiting for the allocations of \(waiting.joined(separator: ", ")) to be served"
    }

    /// "recovered at 9.30 s after a 7.14 s stall".
    func recoveredHeadline(at recoveredTick: Int) -> String {
        "recovered at \(Units.seconds(ms: Units.ms(ticks: recoveredTick))) s" + (stuckSummary.map { " after " + $0 } ?? "")
    }

    /// "a 7.14 s stall", "a 12.00 s stall and livelock": the time spent stuck
    /// so far and in what, or nil if the run never was.
    public var stuckSummary: String? {
        let kinds = Verdict.Kind.allCases.filter { k in k.isStuck && outcome.ticks(upTo: tick, where: { $0 == k }) > 0 }
        guard !kinds.isEmpty else { return nil }
        let stuck = Units.seconds(ms: Units.ms(ticks: outcome.stuckTicks(upTo: tick)))
        return "a \(stuck) s " + kinds.map(\.rawValue).joined(separator: " and ")
    }

    func recoveredReason() -> String {
        guard !oom.kills.isEmpty else { return "no OOM kill; nothing is stuck any more" }
        let names = oom.kills.prefix(4).map { "\($0.name)[\($0.pid)]" }.joined(separator: ", ")
            + (oom.kills.count > 4 ? " and \(oom.kills.count - 4) more" : "")
        let reapedText = reaper.reaped.isEmpty ? "" : " (reaped: \(reaper.reaped.map(String.init).joined(separator: ", ")))"
        return "OOM killed \(names)\(reapedText); every victim exited or was reaped and the allocations waiting on the kills were served"
    }
}
