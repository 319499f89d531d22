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
        #expect(dirty.memory.writeback > 0, "pageout from kswapd in a ZONE_DIRTY zone")
        // The zone is reclaimable and above high after the pass: 4.0
        // kswapd_shrink_zone clears ZONE_DIRTY again (zoneFlagsClearedByKswapd).
        #expect(!dirty.zone.flags.dirty)
        var modern = kernel(.modern, dirtyMiB: 8)
        modern.balancePgdat()
        #expect(modern.memory.writeback == 0, "no ->writepage in 6.x XFS or ext4")
        #expect(modern.reclaim.flusherWoken, "all dirty and unqueued: wakeup_flusher_threads(WB_REASON_VMSCAN)")
    }

    /// 4.0 clears ZONE_CONGESTED and ZONE_DIRTY only from kswapd: in
    /// balance_pgdat's scan for the highest zone needing work (a balanced
    /// zone: "If balanced, clear the dirty and congested flags") and in
    /// kswapd_shrink_zone after a pass that left the zone reclaimable and at
    /// high. A sleeping kswapd runs neither, however much memory is free.
    /// balance_pgdat / kswapd_shrink_zone, mm/vmscan.c (v4.0).
    @Test("4.0 ZONE_CONGESTED and ZONE_DIRTY stay set while kswapd sleeps; kswapd's balancing clears them")
    func zoneFlagsClearedByKswapd() throws {
        // 64 MiB with 24 MiB of clean page cache; the hog (tick 30) takes the zone below low.
        var hog = Lab.hog(20, mib: 34, start: 30)
        hog.program = [.alloc(AllocSpec(pages: 34 * Self.mib, gfp: .highuserMovable, target: .anon, ratePerTick: 2048)),
                       .sleep(ticks: 1_000_000)]
        var k = Kernel(scenario: Lab.scenario(Lab.machine(ramMiB: 64, cleanMiB: 24), era: .v2015,
                                              [Lab.sleeper(10, "app", mib: 8), hog]))
        k.zone.flags.dirty = true
        k.zone.flags.congested = true
        try Lab.run(&k, ticks: 29)
        #expect(k.memory.free >= k.watermarks.high && k.kswapd.state == .sleeping)
        #expect(k.zone.flags.dirty && k.zone.flags.congested, "balanced, but kswapd asleep: nobody clears them")
        var clearedAt: Int?
        var kswapdRanBefore = false
        while k.tick < 200 && clearedAt == nil {
            let wasRunning = k.kswapd.state == .running
            try Lab.run(&k, ticks: 1)
            if !k.zone.flags.dirty || !k.zone.flags.congested {
                clearedAt = k.tick
                kswapdRanBefore = wasRunning
            }
        }
        #expect(clearedAt != nil, "kswapd's balancing clears them")
        #expect(kswapdRanBefore, "on a tick kswapd was running")
        #expect(!k.zone.flags.dirty && !k.zone.flags.congested, "both at once")
        #expect(k.kswapd.reclaimedTotal > 0)

        // balance_pgdat's zone scan: kswapd running finds the zone balanced and naps.
        var scan = kernel(.v2015, cleanMiB: 4)
        scan.zone.flags.dirty = true
        scan.zone.flags.congested = true
        scan.kswapdTick()
        #expect(scan.zone.flags.dirty && scan.zone.flags.congested, "asleep: no balance_pgdat")
        scan.kswapd.wake(balanced: false)
        scan.kswapdTick()
        #expect(scan.kswapd.state == .napping)
        #expect(!scan.zone.flags.dirty && !scan.zone.flags.congested)

        // kswapd_shrink_zone after its pass: only a reclaimable zone at high.
        var pass = kernel(.v2015, cleanMiB: 4)
        pass.zone.flags.congested = true
        pass.balancePgdat()
        #expect(!pass.zone.flags.congested, "reclaimable and balanced after the pass")
        // Only dirty page cache, scanned 6 times over: a pass frees nothing
        // (kswapd starts writing it), so pages_scanned stays and the zone is
        // not reclaimable though above high; the pass's ZONE_DIRTY stays too.
        var stuck = kernel(.v2015, dirtyMiB: 4)
        stuck.zone.flags.congested = true
        stuck.zone.pagesScanned = 6 * stuck.zoneReclaimablePages
        stuck.balancePgdat()
        #expect(!stuck.zoneReclaimable() && stuck.memory.free >= stuck.watermarks.high)
        #expect(stuck.memory.writeback > 0, "kswapd wrote in the zone the pass flagged ZONE_DIRTY")
        #expect(stuck.zone.flags.congested && stuck.zone.flags.dirty, "!zone_reclaimable(zone): kswapd_shrink_zone leaves them")

        // 6.13 has no zone flags to clear (5.16 replaced them with reclaim_throttle).
        var modern = kernel(.modern, cleanMiB: 4)
        modern.kswapd.wake(balanced: false)
        modern.kswapdTick()
        #expect(modern.zone.flags == Kernel.ZoneFlags())
    }

    @Test("4.0 direct reclaim sleeps in wait_iff_congested(HZ/10) on a congested zone; 6.13 does not")
    func directReclaimCongestion() {
        for era in [Era.v2015, .modern] {
            var k = kernel(era, cleanMiB: 1, dirtyMiB: 8, writeback: 8)
            k.folioStartWriteback(1_000)   // the disk queue is full: the device is congested
            #expect(k.diskCongested)
            let pass = k.tryToFreePages(gfp: .kernel, order: 0, pages: 1)
            #expect(pass.congested == (era == .v2015))
            #expect(k.zone.flags.congested == (era == .v2015), "ZONE_CONGESTED: dirty pages on a congested device")
        }
    }

    @Test("4.0 kswapd stalls in congestion_wait(HZ/10) when it meets pages still under writeback in a ZONE_WRITEBACK zone")
    func kswapdCongestionWait() {
        var k = kernel(.v2015, dirtyMiB: 8, writeback: 2048)
        k.folioStartWriteback(8 * Self.mib)
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
        modern.folioStartWriteback(8 * Self.mib)
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
