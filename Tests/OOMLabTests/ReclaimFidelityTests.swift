import Testing
@testable import OOMLab
@testable import OOMLabKernel

/// Issue 10 point 8: reclaim details read beside mm/vmscan.c (v4.0, v6.13)
/// and fs/xfs/xfs_trans.c (v4.0); docs/kernel.md §5 and §12.2.
@Suite("Reclaim details per era (mm/vmscan.c v4.0 and v6.13)")
struct ReclaimFidelityTests {
    static let mib = Lab.mib

    func kernel(_ era: Era, cleanMiB: Int = 0, dirtyMiB: Int = 0, writeback: Int = 64) -> Kernel {
        Kernel(scenario: Lab.scenario(Lab.machine(ramMiB: 64, cleanMiB: cleanMiB, dirtyMiB: dirtyMiB, writeback: writeback),
                                      era: era, [Lab.sleeper(10, "app", mib: 8)]))
    }

    @Test("zone_reclaimable_pages: 6.13 counts the free pages when nothing is reclaimable (6aaced5abd32); 4.0 returns 0")
    func reclaimableFallsBackToFree() {
        let modern = kernel(.modern)
        #expect(modern.memory.fileLRU == 0 && modern.memory.swapTotal == 0)
        #expect(modern.zoneReclaimablePages == modern.memory.free)
        #expect(kernel(.v2015).zoneReclaimablePages == 0)
        let cached = kernel(.modern, cleanMiB: 4)
        #expect(cached.zoneReclaimablePages == 4 * Self.mib, "with page cache, the page cache")
    }

    @Test("4.0 kswapd writes file pages only in a ZONE_DIRTY zone; 6.13 kswapd never does, it wakes the flushers")
    func kswapdWritepage() {
        // Half clean, half dirty: the pages taken are not all dirty, no ZONE_DIRTY.
        var mixed = kernel(.v2015, cleanMiB: 4, dirtyMiB: 4)
        mixed.balancePgdat()
        #expect(!mixed.zone.flags.dirty)
        #expect(mixed.memory.writeback == 0, "4.0 kswapd leaves dirty pages to the flushers")
        // All dirty: shrink_inactive_list sets ZONE_DIRTY and kswapd writes.
        var dirty = kernel(.v2015, dirtyMiB: 8)
        dirty.balancePgdat()
        #expect(dirty.zone.flags.dirty)
        #expect(dirty.memory.writeback > 0, "pageout from kswapd in a ZONE_DIRTY zone")
        var modern = kernel(.modern, dirtyMiB: 8)
        modern.balancePgdat()
        #expect(modern.memory.writeback == 0, "no ->writepage in 6.x XFS or ext4")
        #expect(modern.reclaim.flusherWoken, "all dirty and unqueued: wakeup_flusher_threads(WB_REASON_VMSCAN)")
    }

    @Test("4.0 direct reclaim sleeps in wait_iff_congested(HZ/10) on a congested zone; 6.13 does not")
    func directReclaimCongestion() {
        for era in [Era.v2015, .modern] {
            var k = kernel(era, cleanMiB: 1, dirtyMiB: 8, writeback: 8)
            k.startWriteback(1_000)   // the disk queue is full: the device is congested
            #expect(k.diskCongested)
            let pass = k.tryToFreePages(gfp: .kernel, order: 0)
            #expect(pass.congested == (era == .v2015))
            #expect(k.zone.flags.congested == (era == .v2015), "ZONE_CONGESTED: dirty pages on a congested device")
        }
    }

    @Test("4.0 kswapd stalls in congestion_wait(HZ/10) when it meets pages still under writeback in a ZONE_WRITEBACK zone")
    func kswapdCongestionWait() {
        var k = kernel(.v2015, dirtyMiB: 8, writeback: 2048)
        k.startWriteback(8 * Self.mib)
        #expect(k.memory.fileWriteback == 8 * Self.mib, "every file page is under writeback")
        // The first scan takes only writeback pages (ZONE_WRITEBACK, PageReclaim
        // on each); the next priority's scan meets them again: nr_immediate.
        k.balancePgdat()
        #expect(k.kswapd.congestedUntil == k.tick + Units.hz / 10, "nr_immediate: congestion_wait(HZ/10)")
        #expect(!k.zone.flags.writeback, "kswapd_shrink_zone clears ZONE_WRITEBACK after the pass")
        var machine = k.kswapd
        machine.wake(balanced: false)
        #expect(machine.tick(now: k.tick + 5, balanced: false) == .none, "asleep in congestion_wait")
        #expect(machine.tick(now: k.tick + 10, balanced: false) == .balance)
        var modern = kernel(.modern, dirtyMiB: 8, writeback: 2048)
        modern.startWriteback(8 * Self.mib)
        modern.balancePgdat()
        modern.balancePgdat()
        #expect(modern.kswapd.congestedUntil == 0)
    }

    @Test("a transaction reserves in NOFS context (xfs_trans_reserve's PF_FSTRANS): it waits, it never invokes the OOM killer",
          arguments: [Era.v2015, .modern])
    func reservationIsNOFS(era: Era) throws {
        let s = Lab.scenario(Lab.machine(ramMiB: 32), era: era, policy: [.reservations: "on"], [
            Lab.sleeper(10, "bystander", mib: 8),
            TaskSpec(pid: 20, name: "xfs-writer", program: [
                .transaction(reserve: 64 * Self.mib, body: [.compute(ticks: 1)]),
            ]),
        ])
        var k = Kernel(scenario: s)
        try Lab.run(&k, ticks: 300)
        let t = try #require(k.task(pid: 20))
        #expect(t.allocation?.spec.gfp == .nofs)
        #expect(t.reserved > 0, "it holds what it got so far")
        #expect(k.oomKills.isEmpty, "!__GFP_FS: no OOM kill for a reservation")
    }
}
