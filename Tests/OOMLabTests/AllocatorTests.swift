import Testing
@testable import OOMLab
@testable import OOMLabKernel

@Suite("The allocator's slow path and the OOM step (docs/kernel.md §4)")
struct AllocatorTests {
    /// A lone task allocating with `gfp` on a machine with nothing to reclaim.
    func starve(_ gfp: GFPFlags, era: Era, order: Int = 0, retry: RetryStyle = .allocator,
                ticks: Int = 400) throws -> Kernel {
        let s = Lab.scenario(Lab.machine(ramMiB: 32), era: era, [
            Lab.sleeper(10, "bystander", mib: 8),
            TaskSpec(pid: 20, name: "alloc", program: [
                .alloc(AllocSpec(pages: 64 * Lab.mib, order: order, gfp: gfp, target: .kernel, retry: retry)),
            ]),
        ])
        var k = Kernel(scenario: s)
        try Lab.run(&k, ticks: ticks)
        return k
    }

    @Test("GFP_NOFS never invokes the OOM killer, in either era", arguments: [Era.v2015, .modern])
    func nofsNeverKills(era: Era) throws {
        let k = try starve(.nofs, era: era)
        #expect(k.oomKills.isEmpty)
        let t = try #require(k.task(pid: 20))
        #expect(t.allocation != nil, "order-0 NOFS loops in the allocator instead of failing")
        // 6.13: with nothing reclaimable zone_reclaimable_pages counts the
        // free pages (6aaced5abd32), so should_reclaim_retry retries its 16
        // rounds between the OOM steps that skip the kill.
        let looping: [Kernel.SlowpathOutcome] = [.oomSkippedNoFS, .reclaimRetry, .reclaimRetryModern]
        #expect(looping.contains(try #require(t.allocation?.lastRound)))
    }

    @Test("2015: GFP_NOFS|__GFP_NOFAIL forces the OOM killer; modern does not")
    func nofailKills() throws {
        let old = try starve([.nofs, .nofail], era: .v2015)
        #expect(old.oomKills.first?.name == "bystander")
        let new = try starve([.nofs, .nofail], era: .modern)
        #expect(new.oomKills.isEmpty)
    }

    @Test("GFP_KERNEL invokes the OOM killer once nothing is reclaimable", arguments: [Era.v2015, .modern])
    func kernelKills(era: Era) throws {
        let k = try starve(.kernel, era: era)
        #expect(k.oomKills.first?.name == "bystander")
        #expect(k.oomKills.first?.invokedBy == "alloc")
    }

    @Test("order > 3 fails instead of looping: kmem_alloc then retries and warns every 100 tries")
    func costlyOrderFails() throws {
        let k = try starve(.nofs, era: .v2015, order: 4, retry: .kmemAlloc, ticks: 450)
        let warnings = k.recentEvents.filter { $0.text == "XFS: possible memory allocation deadlock in kmem_alloc (mode:0x250)" }
        // One try every congestion_wait(HZ/50) = 2 ticks: 100 tries in about 200 ticks.
        #expect(warnings.count == 2)
        #expect(k.oomKills.isEmpty)
    }

    @Test("a plain order-4 allocation that fails logs a page allocation failure and moves on")
    func allocationFailure() throws {
        let k = try starve(.kernel, era: .v2015, order: 4, ticks: 50)
        #expect(k.recentEvents.contains { $0.text == "alloc: page allocation failure: order:4, mode:0xd0" })
        #expect(k.task(pid: 20)?.state == .dead, "the program went on and ended")
    }

    @Test("GFP_ATOMIC may dip to 37.5% of min; GFP_KERNEL stops at min")
    func reserveGrants() {
        let k = Kernel(scenario: Lab.scenario(Lab.machine(ramMiB: 64), []))
        let modern = Kernel(scenario: Lab.scenario(Lab.machine(ramMiB: 64), era: .modern, []))
        func mark(_ k: Kernel, _ gfp: GFPFlags, memdie: Bool = false) -> Int {
            k.watermark(k.slowpathAllocFlags(gfp, victim: memdie))
        }
        let min = k.watermarks.min
        #expect(modern.watermarks.min == min, "the same machine: the same min in both eras")
        #expect(mark(k, .kernel) == min)
        #expect(k.gfpToAllocFlags(.atomic) == [.minReserve, .nonBlock])
        #expect(mark(k, .atomic) == min - min / 2 - (min - min / 2) / 4)
        #expect(mark(modern, .atomic) == min - min / 2 - (min - min / 2) / 4)
        #expect(mark(k, .nowait) == min - min / 4, "4.0 ALLOC_HARDER alone")
        #expect(mark(modern, .nowait) == min, "6.13 ALLOC_NON_BLOCK alone lowers nothing")
        #expect(mark(k, .kernel, memdie: true) == 0, "2015: TIF_MEMDIE ignores watermarks")
        #expect(mark(modern, .kernel, memdie: true) == min - min / 2, "modern: ALLOC_OOM, half of min")
        // 6.13 replaces alloc_flags with the reserve grant: a victim's
        // GFP_ATOMIC retry keeps ALLOC_OOM alone, not stacked on its own shares.
        #expect(modern.reserveFlags(.atomic, victim: true) == .oom)
        #expect(mark(modern, .atomic, memdie: true) == min - min / 2)
        #expect(k.reserveFlags(.atomic, victim: true) == .noWatermarks)
        #expect(k.reserveFlags(.atomic, victim: false) == nil)
        // __GFP_NOMEMALLOC: "not worth trying to allocate harder" (no
        // ALLOC_NON_BLOCK / ALLOC_HARDER), no ALLOC_OOM, no NO_WATERMARKS.
        let vetoed = GFPFlags.atomic.union(.nomemalloc)
        #expect(mark(k, vetoed, memdie: true) == min - min / 2)
        #expect(mark(modern, vetoed, memdie: true) == min - min / 2)
        #expect(mark(k, GFPFlags.kernel.union(.memalloc)) == 0, "__GFP_MEMALLOC: ALLOC_NO_WATERMARKS")
        #expect(mark(k, GFPFlags.kernel.union([.memalloc, .nomemalloc])) == min, "__GFP_NOMEMALLOC wins")
    }

    @Test("2015 zone_reclaimable: dirty pages fake progress and defer the OOM killer")
    func fakeProgress() throws {
        func firstKill(dirtyMiB: Int) throws -> Int? {
            let s = Lab.scenario(Lab.machine(ramMiB: 64, dirtyMiB: dirtyMiB, writeback: 8), [
                Lab.sleeper(10, "bystander", mib: 30),
                Lab.hog(20, mib: 64),
            ])
            var k = Kernel(scenario: s)
            try Lab.run(&k, ticks: 1500)
            return k.oomKills.first?.tick
        }
        let clean = try #require(try firstKill(dirtyMiB: 0))
        let dirty = try #require(try firstKill(dirtyMiB: 8))
        #expect(dirty > clean + 100, "writeback paces reclaim and zone_reclaimable() keeps claiming progress")
    }

    @Test("modern: the OOM killer runs after 16 rounds without progress")
    func maxReclaimRetries() throws {
        let k = try starve(.kernel, era: .modern, ticks: 100)
        let kill = try #require(k.oomKills.first)
        #expect(kill.tick > 16)
    }
}

@Suite("Modern slow-path details")
struct ModernSlowpathTests {
    @Test("modern __GFP_NOFAIL never returns NULL, even for a costly order")
    func nofailCostly() throws {
        let s = Lab.scenario(Lab.machine(ramMiB: 32), era: .modern, [
            Lab.sleeper(10, "bystander", mib: 8, adj: -1000),
            TaskSpec(pid: 20, name: "xfs", program: [
                .alloc(AllocSpec(pages: 64 * Lab.mib, order: 4, gfp: [.nofs, .nofail], target: .kernel)),
            ]),
        ])
        var k = Kernel(scenario: s)
        try Lab.run(&k, ticks: 300)
        #expect(k.task(pid: 20)?.allocation != nil, "still looping, not failed")
        #expect(!k.recentEvents.contains { $0.text.contains("page allocation failure") })
    }

    /// A disk that never finishes: every reclaim round finds only dirty pages.
    static func stuckDisk(hogIsKthread: Bool = false) -> Scenario {
        var hog = Lab.hog(20, mib: 32, gfp: .kernel)
        hog.kthread = hogIsKthread
        if hogIsKthread { hog.program = [.alloc(AllocSpec(pages: 32 * Lab.mib, gfp: .kernel, target: .kernel))] }
        return Lab.scenario(Lab.machine(ramMiB: 64, dirtyMiB: 48, writeback: 0), era: .modern, [
            Lab.sleeper(10, "db", mib: 4),
            hog,
        ])
    }

    @Test("modern direct reclaim that frees nothing sleeps one jiffy (reclaim_throttle NOPROGRESS) while write-pending pages dominate")
    func noProgressThrottle() throws {
        var k = Kernel(scenario: Self.stuckDisk())
        var throttled: [Int] = []
        for _ in 0..<400 {
            k.step()
            try k.checkInvariants()
            if let t = k.task(pid: 20), case .allocatorBackoff(let until, let reason) = t.wait, t.waitingSince == k.tick {
                #expect(reason == Kernel.SlowpathOutcome.reclaimThrottled.rawValue)
                #expect(until - t.waitingSince == 1, "VMSCAN_THROTTLE_NOPROGRESS times out after one jiffy")
                throttled.append(k.tick)
            }
        }
        let first = try #require(throttled.first)
        let kill = try #require(k.oomKills.first, "16 rounds without progress, then the OOM killer")
        #expect(kill.tick - first >= Kernel.maxReclaimRetries, "the rounds still count: MAX_RECLAIM_RETRIES of them")
        #expect(kill.tick - first < 4 * Kernel.maxReclaimRetries, "a jiffy a round, not HZ/10 (the 4.7-5.15 congestion_wait)")
    }

    @Test("kernel threads are never throttled in reclaim (they may be what reclaim waits for)")
    func kthreadNotThrottled() throws {
        var k = Kernel(scenario: Self.stuckDisk(hogIsKthread: true))
        var retried = 0
        for _ in 0..<300 {
            k.step()
            try k.checkInvariants()
            if case .allocatorBackoff(_, let reason) = k.task(pid: 20)?.wait {
                #expect(reason != Kernel.SlowpathOutcome.reclaimThrottled.rawValue)
            }
            if k.task(pid: 20)?.allocation?.lastRound == .reclaimRetryModern { retried += 1 }
        }
        #expect(retried > 0, "the kthread did go round should_reclaim_retry")
    }

    @Test("after a panic nothing more is printed")
    func quietAfterPanic() throws {
        let s = Lab.scenario(Lab.machine(ramMiB: 32), [Lab.hog(20, mib: 64, adj: -1000)])
        var k = Kernel(scenario: s)
        let events = try Lab.run(&k, ticks: 300)
        #expect(events.last?.text.hasPrefix("Kernel panic - not syncing") == true)
        let tick = k.tick
        #expect(k.run(ticks: 100).isEmpty, "a panicked kernel prints nothing more")
        #expect(k.tick == tick, "and its clock has stopped")
    }
}
