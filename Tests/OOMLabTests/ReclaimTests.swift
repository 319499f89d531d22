import Testing
@testable import OOMLab
@testable import OOMLabKernel

@Suite("Reclaim: gfp limits, kswapd, writeback (docs/kernel.md §5)")
struct ReclaimTests {
    func kernel(_ m: MachineConfig, era: Era = .v2015) -> Kernel {
        Kernel(scenario: Lab.scenario(m, era: era, []))
    }

    @Test("GFP_NOFS cannot shrink filesystem slab; GFP_KERNEL can")
    func nofsSlab() {
        var k = kernel(Lab.machine(slabReclaimableMiB: 8))
        #expect(k.tryToFreePages(gfp: .nofs, order: 0, pages: 1).reclaimed == 0)
        #expect(k.tryToFreePages(gfp: .kernel, order: 0, pages: 1).reclaimed == Kernel.swapClusterMax)
    }

    @Test("GFP_NOIO cannot swap; GFP_NOFS can (the pages are freed when their write completes)")
    func noioSwap() throws {
        var k = Kernel(scenario: Lab.scenario(Lab.machine(swapMiB: 16), [Lab.sleeper(1, "a", mib: 8)]))
        #expect(k.tryToFreePages(gfp: .noio, order: 0, pages: 1).reclaimed == 0)
        #expect(k.memory.writeback == 0)
        #expect(k.tryToFreePages(gfp: .nofs, order: 0, pages: 1).reclaimed == 0, "written to swap, not yet freed")
        let swapped = try #require(k.task(pid: 1)).swapEntries
        #expect(swapped >= Kernel.swapClusterMax)
        #expect(k.memory.swapWriteback == swapped && k.memory.writeback == swapped)
        try k.checkInvariants()
    }

    @Test("direct reclaim never cleans dirty pages; it frees clean ones")
    func directReclaimDirty() {
        var dirty = kernel(Lab.machine(dirtyMiB: 8))
        #expect(dirty.tryToFreePages(gfp: .kernel, order: 0, pages: 1).reclaimed == 0)
        #expect(dirty.memory.fileDirty == 8 * Lab.mib)
        var clean = kernel(Lab.machine(cleanMiB: 8))
        #expect(clean.tryToFreePages(gfp: .nofs, order: 0, pages: 1).reclaimed == Kernel.swapClusterMax)
    }

    /// A round stands for many allocations; in the kernel each that misses
    /// the watermark runs its own do_try_to_free_pages pass of
    /// SWAP_CLUSTER_MAX pages, so a burst reclaims ceil(pages / 32) passes'
    /// worth (docs/kernel.md §5.1, §14 D32).
    @Test("direct reclaim per burst: ceil(pages / 32) passes of SWAP_CLUSTER_MAX, and a 1 MiB request reclaims 1 MiB")
    func directReclaimPerBurst() throws {
        for (pages, reclaimed) in [(1, 32), (32, 32), (33, 64), (320, 320)] {
            var k = kernel(Lab.machine(cleanMiB: 32))
            #expect(k.tryToFreePages(gfp: .kernel, order: 0, pages: pages).reclaimed == reclaimed, "pages \(pages)")
            #expect(k.memory.fileClean == 32 * Lab.mib - reclaimed)
            #expect(!k.reclaim.flusherWoken, "the target was reached: no flusher wakeup")
        }
        #expect(Kernel.directReclaimPasses(pages: 0) == 1)
        // Nothing reclaimable: the flusher threshold is 1.5 x the scaled target.
        var dirty = kernel(Lab.machine(dirtyMiB: 8))
        #expect(dirty.tryToFreePages(gfp: .kernel, order: 0, pages: 320).reclaimed == 0)
        #expect(dirty.reclaim.flusherWoken, "scanned past 1.5 x 320 without reclaiming: wakeup_flusher_threads")
        // 128 dirty pages: a walk scans about 255 of them, past one pass's 48
        // but short of ten passes' 480.
        var few = Lab.machine()
        few.fileDirtyPages = 128
        var one = kernel(few), ten = kernel(few)
        _ = one.tryToFreePages(gfp: .kernel, order: 0, pages: 1)
        _ = ten.tryToFreePages(gfp: .kernel, order: 0, pages: 320)
        #expect(one.reclaim.flusherWoken && !ten.reclaim.flusherWoken)

        // A 1 MiB allocation with 1 MiB free, below low, on a clean page cache:
        // one round reclaims the whole request and is served in that round.
        var hog = Lab.hog(1, mib: 1)
        hog.program[0] = .alloc(AllocSpec(pages: Lab.mib, gfp: .highuserMovable, target: .anon, ratePerTick: Lab.mib))
        var k = Kernel(scenario: Lab.scenario(Lab.machine(ramMiB: 64, cleanMiB: 62), [hog]))
        #expect(k.memory.free < k.watermarks.low)
        k.step()   // the hog's first tick: one allocation round
        try k.checkInvariants()
        #expect(k.reclaim.directReclaimedTotal == Lab.mib, "1 MiB of clean pages reclaimed for the 1 MiB request")
        #expect(k.kswapd.reclaimedTotal == 0)
        #expect(k.task(pid: 1)?.anon == Lab.mib, "served in that round")
    }

    @Test("the disk finishes writeback at its rate; dirty pages become clean")
    func writeback() throws {
        var k = kernel(Lab.machine(ramMiB: 64, dirtyMiB: 16, writeback: 32))
        try Lab.run(&k, ticks: 10)
        #expect(k.memory.writeback > 0, "the flusher started writeback above the background threshold")
        #expect(k.memory.fileClean == 32 * 9, "32 pages a tick completed since the first submission")
    }

    @Test("kswapd wakes below low, reclaims to high, naps, then sleeps")
    func kswapdCycle() throws {
        let s = Lab.scenario(Lab.machine(ramMiB: 64, cleanMiB: 40), [Lab.hog(1, mib: 24)])
        var k = Kernel(scenario: s)
        #expect(k.kswapd.state == .sleeping)
        // kswapd's state and the free pages at the end of every tick, as runs of one state.
        var runs: [(state: Kswapd.State, from: Int, to: Int, freeAtStart: Int)] = []
        for _ in 0..<200 {
            k.step()
            try k.checkInvariants()
            if runs.last?.state == k.kswapd.state {
                runs[runs.count - 1].to = k.tick
            } else {
                runs.append((k.kswapd.state, k.tick, k.tick, k.memory.free))
            }
        }
        let w = k.watermarks
        #expect(runs.first?.state == .sleeping, "asleep at first")
        let woke = try #require(runs.firstIndex { $0.state == .running }, "kswapd never ran")
        #expect(runs[woke].freeAtStart < w.low, "woken by an allocation that missed the low watermark")
        #expect(runs[..<woke].allSatisfy { $0.state == .sleeping })
        let last = runs.suffix(2).map(\.state)
        #expect(last == [.napping, .sleeping], "it ends napping, then asleep: \(runs.map(\.state))")
        let nap = runs[runs.count - 2]
        #expect(nap.freeAtStart >= w.high, "it naps once free reaches high")
        #expect(nap.to - nap.from + 1 == Kswapd.napTicks, "kswapd_try_to_sleep's HZ/10 nap")
        #expect(k.memory.free >= w.high)
        #expect(k.kswapd.reclaimedTotal > 0)
    }

    @Test("modern kswapd backs off after 16 failed runs; 2015 keeps going")
    func kswapdBackoff() throws {
        func state(_ era: Era) throws -> Kswapd.State {
            let s = Lab.scenario(Lab.machine(ramMiB: 32), era: era, [
                TaskSpec(pid: 1, name: "nofs", program: [.alloc(AllocSpec(pages: 64 * Lab.mib, gfp: .nofs, target: .kernel))]),
            ])
            var k = Kernel(scenario: s)
            try Lab.run(&k, ticks: 300)
            return k.kswapd.state
        }
        #expect(try state(.modern) == .backedOff)
        #expect(try state(.v2015) == .running)
    }

    @Test("balance_dirty_pages pauses a writer above vm.dirty_ratio; the pause is killable")
    func dirtyThrottle() throws {
        let s = Lab.scenario(Lab.machine(ramMiB: 64, dirtyMiB: 20, writeback: 4), [
            TaskSpec(pid: 1, name: "dd", program: [.repeat(count: nil, body: [
                .alloc(AllocSpec(pages: 256, gfp: .highuserMovable, target: .fileDirty)),
            ])]),
        ])
        var k = Kernel(scenario: s)
        try Lab.run(&k, ticks: 3)
        guard case .dirtyThrottle(let until)? = k.task(pid: 1)?.wait else {
            Issue.record("dd is not throttled: \(String(describing: k.task(pid: 1)?.wait))")
            return
        }
        #expect(until - k.task(pid: 1)!.waitingSince == Kernel.maxDirtyPauseTicks)
        #expect(k.memory.fileDirty == 20 * Lab.mib - k.memory.writeback - k.memory.fileClean, "dd dirtied nothing more")
        try k.kill(pid: 1)
        try Lab.run(&k, ticks: 2)
        #expect(k.task(pid: 1)?.state == .dead, "TASK_KILLABLE: SIGKILL ends the pause")
    }
}
