/// Consistency checks that tests run after every step.
extension Kernel {
    public struct InvariantViolation: Error, CustomStringConvertible {
        public var tick: Int
        public var message: String
        public var description: String { "tick \(tick): \(message)" }
    }

    /// Page conservation, non-negative counters, watermark order, sums kept
    /// incrementally equal to the per-task values, lock ownership, every
    /// blocked task has a reason, and every derived cache matches what it
    /// derives from (Kernel+CacheInvariants.swift).
    public func checkInvariants() throws {
        func fail(_ m: String) throws -> Never { throw InvariantViolation(tick: tick, message: m) }
        let m = zone.counters
        if m.accountedPages != m.total { try fail("pages not conserved: \(m.accountedPages) accounted of \(m.total)") }
        for (name, pages) in m.categories where pages < 0 { try fail("\(name) is negative: \(pages)") }
        if m.swapUsed > m.swapTotal { try fail("swap used \(m.swapUsed) > total \(m.swapTotal)") }
        let w = zone.watermarks
        if !(w.min <= w.low && w.low <= w.high) { try fail("watermarks out of order: \(w)") }
        var anon = 0, pt = 0, swap = 0, reserved = 0, kernelPages = 0
        for t in taskTable.tasks {
            anon += t.anon; pt += t.pageTables; swap += t.swapEntries
            reserved += t.reserved; kernelPages += t.kernelPages
            if t.anon < 0 || t.pageTables < 0 || t.swapEntries < 0 || t.reserved < 0 || t.kernelPages < 0 {
                try fail("task \(t.pid) has a negative counter")
            }
            if t.state == .blocked || t.state == .sleeping {
                if t.wait == nil { try fail("task \(t.pid) is \(t.state.rawValue) without a reason") }
            }
            if t.state == .dead && (!t.heldLocks.isEmpty || t.anon != 0) { try fail("dead task \(t.pid) still holds resources") }
            for name in t.heldLocks where lock(named: name)?.holders.contains(t.pid) != true {
                try fail("task \(t.pid) thinks it holds \(name) but the holders are \(lock(named: name)?.holders ?? [])")
            }
            if let (name, _) = t.wait?.lockWanted, lock(named: name)?.waiters.contains(t.pid) != true {
                try fail("task \(t.pid) waits for \(name) but is not queued on it")
            }
        }
        if anon != m.anon { try fail("anon sum \(anon) != counter \(m.anon)") }
        if pt != m.pageTables { try fail("page table sum \(pt) != counter \(m.pageTables)") }
        if swap != m.swapUsed { try fail("swap sum \(swap) != counter \(m.swapUsed)") }
        if reserved != m.reservationPool { try fail("reservations \(reserved) != pool \(m.reservationPool)") }
        if kernelPages > m.slabUnreclaimable { try fail("task kernel pages exceed slab_unreclaimable") }
        for l in lockTable.locks {
            if l.owner != nil && !l.readers.isEmpty { try fail("lock \(l.name) has a writer and readers") }
            for owner in l.holders {
                guard let t = task(pid: owner), t.isAlive else { try fail("lock \(l.name) held by dead or unknown \(owner)") }
                if !t.heldLocks.contains(l.name) { try fail("lock \(l.name) holder \(owner) does not list it") }
            }
            if !l.isHeld && !l.waiters.isEmpty {
                try fail("lock \(l.name) is free but has waiters \(l.waiters)")
            }
            if Set(l.waiters).count != l.waiters.count { try fail("lock \(l.name) has duplicate waiters") }
        }
        if policy != policySpec.resolved { try fail("policy \(policy) is not its spec resolved") }
        try checkMemcg(fail)
        try checkCaches(fail)
        try checkOutcome(fail)
    }

    /// The outcome's history is ordered, starts at ok, never repeats a kind,
    /// and stands for the state now.
    func checkOutcome(_ fail: (String) throws -> Never) throws {
        let changes = outcome.changes
        if changes.first != Outcome.Change(tick: 0, kind: .ok, noticed: 0) { try fail("outcome does not start ok at tick 0") }
        for (a, b) in zip(changes, changes.dropFirst()) {
            if b.tick < a.tick || b.noticed < a.noticed { try fail("outcome history out of order: \(a) then \(b)") }
            if a.kind == b.kind { try fail("outcome history repeats \(a.kind)") }
        }
        for c in changes where c.noticed < c.tick || c.noticed > tick { try fail("outcome change \(c) noticed outside its time") }
        if outcome.kind != currentOutcome().0 { try fail("outcome \(outcome.kind) does not match the state (\(currentOutcome().0))") }
        for pid in outcome.victims {
            guard let t = task(pid: pid), t.victimSince != nil else { try fail("outstanding victim \(pid) was never chosen") }
            if !t.isAlive || reaper.reaped.contains(pid) { try fail("victim \(pid) is gone but still outstanding") }
        }
        if let s = detectors.diagnoses.stall, !oom.liveVictims.contains(s.pid) { try fail("stalled victim \(s.pid) is not a live victim") }
    }
}
