import Testing
@testable import OOMLab
@testable import OOMLabKernel

/// Swap through the disk (docs/kernel.md §5.6): swap-out is writeback at the
/// disk's rate and frees a page only when its write completes; swap-in is a
/// fault that waits, in D state, for the disk to read the page back.
@Suite("Swap through the disk, and swap-in")
struct SwapTests {
    /// A leak on a machine with swap and a slow disk.
    func leak(rate: Int, swapMiB: Int = 128) -> Scenario {
        Lab.scenario(Lab.machine(ramMiB: 64, swapMiB: swapMiB, writeback: rate), era: .modern, [
            Lab.sleeper(10, "idle", mib: 40),
            Lab.hog(20, mib: 200, start: 1),
        ])
    }

    @Test("swap-out is bounded by the disk's rate", arguments: [8, 32])
    func swapOutRate(rate: Int) throws {
        var k = Kernel(scenario: leak(rate: rate))
        var freedBySwap = 0
        var firstSwap: Int?
        for _ in 0..<600 {
            k.step()
            try k.checkInvariants()
            if firstSwap == nil && k.memory.swapUsed > 0 { firstSwap = k.tick }
            // Swap entries whose page has left RAM: the disk wrote them.
            freedBySwap = k.memory.swapUsed - k.memory.swapWriteback
        }
        let start = try #require(firstSwap)
        let ticks = k.tick - start + 1
        // Entries are made only as fast as the disk queue drains: what the
        // disk finished, plus what fits in its queue (4 x the rate).
        #expect(k.memory.swapUsed <= rate * ticks + rate * Kernel.writebackQueueDepth)
        #expect(freedBySwap <= rate * ticks, "a swapped page is freed only by a finished write")
        #expect(freedBySwap > rate * ticks / 2, "and the disk does keep writing: \(freedBySwap) of \(rate * ticks)")
    }

    @Test("a page written to swap stays in RAM, under writeback, until the disk finishes it")
    func freedAtCompletion() throws {
        var k = Kernel(scenario: Lab.scenario(Lab.machine(ramMiB: 64, swapMiB: 16, writeback: 16), [Lab.sleeper(1, "a", mib: 8)]))
        let free = k.memory.free
        #expect(k.tryToFreePages(gfp: .kernel, order: 0, pages: 1).reclaimed == 0)
        let inFlight = k.memory.swapWriteback
        #expect(inFlight == 16 * Kernel.writebackQueueDepth, "the disk queue holds 4 ticks of writes")
        #expect(k.memory.free == free)
        k.step()
        try k.checkInvariants()
        #expect(k.memory.swapWriteback <= inFlight - 16 + 16 * Kernel.writebackQueueDepth)
        #expect(k.memory.free >= free + 16 - 1)
    }

    /// A task with part of its memory in swap that touches all of it.
    func toucher(swapMiB: Int, diskRate: Int, era: Era = .modern) -> Scenario {
        Lab.scenario(Lab.machine(ramMiB: 64, swapMiB: 16, writeback: diskRate), era: era, [
            TaskSpec(pid: 10, name: "db", anonPages: 4 * Lab.mib, swapPages: swapMiB * Lab.mib, program: [
                .touch(pages: 8 * Lab.mib, ratePerTick: Lab.mib),
                .sleep(ticks: 1_000_000),
            ]),
        ])
    }

    @Test("touching swapped memory faults it back in: D state for the read, at the disk's rate")
    func swapIn() throws {
        var k = Kernel(scenario: toucher(swapMiB: 4, diskRate: 32))
        try Lab.run(&k, ticks: 1)
        let db = try #require(k.task(pid: 10))
        // Half its memory is in swap: of 256 pages touched, 128 fault; read at
        // 32 pages a tick, the fault waits 4 ticks.
        #expect(db.state == .blocked)
        #expect(db.wait == .swapIn(until: k.tick + 4))
        #expect(db.swapEntries == 4 * Lab.mib - 128 && db.anon == 4 * Lab.mib + 128)
        #expect(k.describeWait(db) == "do_swap_page: waiting for the swap read (swap_read_folio), until tick \(k.tick + 4)")
        #expect(db.wait?.isMemoryStall == true && db.wait?.isUninterruptible == false)
        try Lab.run(&k, ticks: 400)
        // The touched pages are spread over all of its memory: each 256-page
        // chunk faults the swapped share of it, so 8 chunks leave 1024 x (7/8)^8.
        var swapped = 4 * Lab.mib
        for _ in 0..<8 { swapped -= Swift.max(1, swapped * Lab.mib / (8 * Lab.mib)) }
        #expect(k.task(pid: 10)?.swapEntries == swapped)
        #expect(k.task(pid: 10)?.anon == 8 * Lab.mib - swapped)
        #expect(k.task(pid: 10)?.state == .sleeping, "the touch ended; the program went on")
        #expect(k.reclaim.swapReadBacklog == 0)
    }

    @Test("SIGKILL ends a swap-in wait (a killable fault)")
    func killableSwapIn() throws {
        var k = Kernel(scenario: toucher(swapMiB: 4, diskRate: 1))
        try Lab.run(&k, ticks: 2)
        #expect(k.task(pid: 10)?.wait?.lockWanted == nil)
        try k.kill(pid: 10)
        try Lab.run(&k, ticks: 2)
        #expect(k.task(pid: 10)?.state == .dead)
    }

    @Test("swappiness 0 leaves anon alone while page cache lasts; 60 swaps beside it")
    func swappiness() throws {
        func kernel(_ swappiness: Int) -> Kernel {
            var m = Lab.machine(ramMiB: 64, swapMiB: 16, cleanMiB: 16)
            m.swappiness = swappiness
            return Kernel(scenario: Lab.scenario(m, [Lab.sleeper(1, "a", mib: 16)]))
        }
        var none = kernel(0)
        #expect(none.tryToFreePages(gfp: .kernel, order: 0, pages: 1).reclaimed == Kernel.swapClusterMax)
        #expect(none.memory.swapUsed == 0)
        var some = kernel(60)
        #expect(some.getScanCount(priority: 0) == 16 * Lab.mib * 60 / 140)
        var most = kernel(200)
        #expect(most.getScanCount(priority: 4) == (16 * Lab.mib >> 4) * 200)
        _ = some.tryToFreePages(gfp: .kernel, order: 0, pages: 1).reclaimed
        _ = most.tryToFreePages(gfp: .kernel, order: 0, pages: 1).reclaimed
    }

    @Test("machine swappiness: decoded, range-checked, written back")
    func swappinessKey() throws {
        let yaml = "machine: {ram: 64MiB, swap: 16MiB, swappiness: 10}\n"
        #expect(try ScenarioLoader.parse(yaml: yaml, file: "s.yaml").machine.swappiness == 10)
        #expect(throws: ScenarioError.self) { try ScenarioLoader.parse(yaml: "machine: {ram: 64MiB, swappiness: 201}\n", file: "s.yaml") }
        let s = try ScenarioLoader.parse(yaml: yaml, file: "s.yaml")
        #expect(ScenarioWriter.yaml(for: s).contains("  swappiness: 10\n"))
    }

    @Test("swap-thrash: with swap the machine crawls, PSI high and postgres in D on swap-in, long before the kill; without swap the leak dies at once")
    func thrash() throws {
        let preset = try OutcomeTests.preset("swap-thrash")
        var k = Kernel(scenario: preset)
        var swapInTicks = 0
        var peakPSI = 0
        while k.oomKills.isEmpty && k.tick < 6000 {
            k.step()
            if case .swapIn? = k.task(pid: 900)?.wait { swapInTicks += 1 }
            if k.oomKills.isEmpty { peakPSI = Swift.max(peakPSI, k.history.last?.psiSome ?? 0) }
        }
        let withSwap = try #require(k.oomKills.first)
        #expect(withSwap.name == "java")
        #expect(withSwap.tick >= 3000)
        #expect(peakPSI >= 5000, "psi some avg10 passed 50% before the kill: \(peakPSI)")
        #expect(swapInTicks >= 1000, "postgres waited in do_swap_page for \(swapInTicks) ticks")

        var noSwap = preset
        noSwap.machine.swapPages = 0
        var n = Kernel(scenario: noSwap)
        while n.oomKills.isEmpty && n.tick < 6000 { n.step() }
        let without = try #require(n.oomKills.first)
        #expect(without.name == "java")
        #expect(without.tick <= 1200)
        #expect(withSwap.tick >= without.tick * 3)
    }
}
