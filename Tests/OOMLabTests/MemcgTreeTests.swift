import Testing
@testable import OOMLabKernel

/// Builds a tree from paths (parents first) and checks it after every change.
enum Memcg {
    static let gib = 262_144   // pages per GiB

    static func path(_ text: String) -> CgroupPath {
        // Test paths are literals known to be valid.
        (try? CgroupPath.parse(text, at: SourceLocation(file: "test", line: 1, column: 1))) ?? .root
    }

    static func tree(_ paths: [String]) throws -> CgroupTree {
        var t = CgroupTree()
        for p in paths { try t.add(path(p)) }
        try t.checkInvariants()
        return t
    }

    static func id(_ t: CgroupTree, _ p: String) throws -> CgroupID {
        try #require(t.id(of: path(p)))
    }
}

@Suite("memcg page counters: hierarchical charging (docs/memcg.md §1)")
struct MemcgTreeTests {
    @Test("a charge counts in every ancestor and fails at the first one over its max, charging nothing")
    func hierarchicalCharge() throws {
        var t = try Memcg.tree(["/A", "/A/B", "/A/C"])
        let a = try Memcg.id(t, "/A"), b = try Memcg.id(t, "/A/B"), c = try Memcg.id(t, "/A/C")
        t.set(.max, of: a, pages: 100)
        t.set(.max, of: b, pages: 80)

        let r1 = t.tryCharge(b, 50)
        #expect(r1 == .charged)
        try t.checkInvariants()
        #expect(t[b].memory.usage == 50 && t[a].memory.usage == 50 && t[CgroupTree.rootID].memory.usage == 50)

        // B's own limit stops it; A never sees the charge.
        let r2 = t.tryCharge(b, 40)
        #expect(r2 == .overLimit(b))
        try t.checkInvariants()
        #expect(t[b].memory.usage == 50 && t[a].memory.usage == 50)
        #expect(t[b].memory.failcnt == 1 && t[a].memory.failcnt == 0)

        // C has no limit of its own: A's limit stops it, and C's level is cancelled.
        let r3 = t.tryCharge(c, 40)
        #expect(r3 == .charged)
        let r4 = t.tryCharge(c, 20)
        #expect(r4 == .overLimit(a))
        try t.checkInvariants()
        #expect(t[c].memory.usage == 40 && t[a].memory.usage == 90)
        #expect(t[a].memory.failcnt == 1 && t[c].memory.failcnt == 0)
        #expect(t.margin(a) == 10 && t.margin(c) == PageCounter.max - 40)

        // Exactly up to the limit is allowed (usage > max fails, usage == max does not).
        let r5 = t.tryCharge(c, 10)
        #expect(r5 == .charged)
        #expect(t[a].memory.usage == 100 && t.margin(a) == 0)
        try t.checkInvariants()
    }

    @Test("uncharge gives back only what the cgroup itself was charged; the watermark keeps the peak")
    func unchargeAndWatermark() throws {
        var t = try Memcg.tree(["/A", "/A/B"])
        let a = try Memcg.id(t, "/A"), b = try Memcg.id(t, "/A/B")
        let r6 = t.tryCharge(a, 30)
        #expect(r6 == .charged)
        let r7 = t.tryCharge(b, 70)
        #expect(r7 == .charged)
        let r8 = t.uncharge(b, 71)
        #expect(!r8)
        let r9 = t.uncharge(a, 31)
        #expect(!r9, "A's own charges are 30; B's 70 are B's to give back")
        try t.checkInvariants()
        let r10 = t.uncharge(b, 70)
        #expect(r10)
        try t.checkInvariants()
        #expect(t[a].memory.usage == 30 && t[b].memory.usage == 0)
        #expect(t[a].memory.watermark == 100 && t[b].memory.watermark == 70)
        t.resetWatermark(a)
        #expect(t[a].memory.watermark == 30)
        try t.checkInvariants()
    }

    @Test("a forced charge (__GFP_NOFAIL) passes the limit; the next ordinary charge fails")
    func forcedCharge() throws {
        var t = try Memcg.tree(["/A"])
        let a = try Memcg.id(t, "/A")
        t.set(.max, of: a, pages: 10)
        let r11 = t.forceCharge(a, 15)
        #expect(r11)
        try t.checkInvariants()
        #expect(t[a].memory.usage == 15 && t[a].memory.watermark == 15 && t.margin(a) == 0)
        let r12 = t.tryCharge(a, 1)
        #expect(r12 == .overLimit(a))
        #expect(t[a].memory.failcnt == 1)
    }

    @Test("the root's own tasks are not charged; swap has its own counter and memory.swap.max")
    func rootAndSwap() throws {
        var t = try Memcg.tree(["/A"])
        let a = try Memcg.id(t, "/A")
        let r13 = t.tryCharge(CgroupTree.rootID, 1000)
        #expect(r13 == .charged)
        #expect(t[CgroupTree.rootID].memory.usage == 0)
        t.set(.swapMax, of: a, pages: 5)
        let r14 = t.tryCharge(a, 5, .swap)
        #expect(r14 == .charged)
        let r15 = t.tryCharge(a, 1, .swap)
        #expect(r15 == .overLimit(a))
        #expect(t[a].swap.usage == 5 && t[a].memory.usage == 0)
        let r16 = t.set(.max, of: CgroupTree.rootID, pages: 1)
        #expect(!r16, "the root has no memory.max")
        try t.checkInvariants()
    }

    @Test("bad requests are refused without a trap and change nothing")
    func badRequests() throws {
        var t = try Memcg.tree(["/A"])
        let a = try Memcg.id(t, "/A")
        let before = t
        let r17 = t.tryCharge(a, -1)
        #expect(r17 == nil)
        let r18 = t.tryCharge(a, Int.max)
        #expect(r18 == nil)
        let r19 = t.tryCharge(99, 1)
        #expect(r19 == nil)
        let r20 = t.forceCharge(a, Int.max)
        #expect(!r20)
        let r21 = t.uncharge(a, -1)
        #expect(!r21)
        let r22 = t.set(.max, of: a, pages: -5)
        #expect(!r22)
        #expect(t == before)
        let r23 = t.tryCharge(a, PageCounter.max)
        #expect(r23 == .charged, "exactly PAGE_COUNTER_MAX fits")
        let r24 = t.tryCharge(a, 1)
        #expect(r24 == nil, "one more would pass PAGE_COUNTER_MAX at the root")
        t.set(.max, of: a, pages: Int.max)
        #expect(t[a].memory.limit == PageCounter.max, "limits clamp to PAGE_COUNTER_MAX as page_counter_memparse does")
        try t.checkInvariants()
    }

    @Test("mkdir needs an existing parent and a new name")
    func addErrors() throws {
        var t = try Memcg.tree(["/A"])
        #expect(throws: CgroupTree.AddError.noParent(Memcg.path("/B/C"))) { try t.add(Memcg.path("/B/C")) }
        #expect(throws: CgroupTree.AddError.exists(Memcg.path("/A"))) { try t.add(Memcg.path("/A")) }
        #expect(throws: CgroupTree.AddError.exists(.root)) { try t.add(.root) }
        try t.checkInvariants()
    }

    @Test("checkInvariants notices charges that do not add up")
    func invariantCatchesCorruption() throws {
        var t = try Memcg.tree(["/A", "/A/B"])
        let b = try Memcg.id(t, "/A/B")
        let r25 = t.tryCharge(b, 10)
        #expect(r25 == .charged)
        t.cgroups[b].memory.usage += 1
        #expect(throws: CgroupTree.InvariantViolation.self) { try t.checkInvariants() }
    }

    @Test("random charges agree with a plain recount of the tree", arguments: [1, 2, 3, 42] as [UInt64])
    func randomAgainstReference(seed: UInt64) throws {
        let paths = ["/A", "/A/B", "/A/B/C", "/A/D", "/E", "/E/F"]
        var t = try Memcg.tree(paths)
        var rng = SplitMix64(seed: seed)
        let ids = try paths.map { try Memcg.id(t, $0) }
        for id in ids { t.set(.max, of: id, pages: 50 + rng.next(below: 200)) }
        var own = [Int](repeating: 0, count: t.count)
        func subtreeUsage(_ id: CgroupID) -> Int { t.subtree(id).reduce(0) { $0 + own[$1] } }
        for _ in 0..<2000 {
            let id = ids[rng.next(below: ids.count)]
            let pages = rng.next(below: 40)
            if rng.next(below: 3) == 0 {
                let give = min(pages, own[id])
                let r26 = t.uncharge(id, give)
                #expect(r26)
                own[id] -= give
            } else {
                let expectedFailure = t.ancestry(id).dropLast().first { subtreeUsage($0) + pages > t[$0].memory.limit }
                let result = t.tryCharge(id, pages)
                if let f = expectedFailure {
                    #expect(result == .overLimit(f))
                } else {
                    #expect(result == .charged)
                    own[id] += pages
                }
            }
            try t.checkInvariants()
            for c in ids { #expect(t[c].memory.usage == subtreeUsage(c)) }
        }
    }
}

@Suite("memory.oom.group and memory.events (docs/memcg.md §7, §9)")
struct MemcgGroupEventTests {
    @Test("the group killed is the highest oom.group cgroup between the victim and the OOM domain")
    func oomGroup() throws {
        var t = try Memcg.tree(["/kubepods", "/kubepods/pod1", "/kubepods/pod1/ctr", "/other"])
        let pods = try Memcg.id(t, "/kubepods"), pod = try Memcg.id(t, "/kubepods/pod1")
        let ctr = try Memcg.id(t, "/kubepods/pod1/ctr"), other = try Memcg.id(t, "/other")
        #expect(t.oomGroup(victim: ctr, oomDomain: pod) == nil)
        t.setOOMGroup(pod, true)
        #expect(t.oomGroup(victim: ctr, oomDomain: pod) == pod)
        #expect(t.oomGroup(victim: ctr, oomDomain: ctr) == nil, "the walk stops at the OOM domain")
        t.setOOMGroup(pods, true)
        #expect(t.oomGroup(victim: ctr, oomDomain: pod) == pod, "above the domain does not count")
        #expect(t.oomGroup(victim: ctr, oomDomain: nil) == pods, "a global OOM walks to the root")
        #expect(t.oomGroup(victim: ctr, oomDomain: other) == nil, "a victim outside the domain gets no group kill")
        #expect(t.oomGroup(victim: CgroupTree.rootID, oomDomain: nil) == nil)
    }

    @Test("modern counts memory.events up the tree (not the root); 2015 and v1 only in the cgroup")
    func eventsPropagation() throws {
        var t = try Memcg.tree(["/A", "/A/B"])
        let a = try Memcg.id(t, "/A"), b = try Memcg.id(t, "/A/B")
        t.memoryEvent(b, .oom, era: .modern)
        #expect(t[b].events.oom == 1 && t[a].events.oom == 1 && t[b].eventsLocal.oom == 1 && t[a].eventsLocal.oom == 0)
        #expect(t[CgroupTree.rootID].events == MemoryEvents())
        t.memoryEvent(b, .max, era: .v2015)
        #expect(t[b].events.max == 1 && t[a].events.max == 0)
        t.memoryEvent(b, .max, era: .modern, version: .v1)
        #expect(t[b].events.max == 2 && t[a].events.max == 0)
        t.memoryEvent(b, .high, era: .modern, localEvents: true)
        #expect(t[b].events.high == 1 && t[a].events.high == 0)
        #expect(t[b].events.fileText == "low 0\nhigh 1\nmax 2\noom 1\noom_kill 0\noom_group_kill 0\n")
        var e = MemoryEvents(oomKill: Int.max)
        e.count(.oomKill)
        #expect(e.oomKill == Int.max, "saturates, no trap")
    }
}
