/// Reclaim: direct reclaim in the allocating task, kswapd, the flusher and
/// the disk. Scanning is arithmetic over list sizes, never a walk over pages.
extension Kernel {
    /// DEF_PRIORITY: scan size >> 12 of each list first, the whole list at 0.
    static let defPriority = 12
    /// Writeback the disk can have in flight, in multiples of its per-tick rate.
    static let writebackQueueDepth = 4
    /// vm.dirty_background_ratio: the flusher starts above this share of dirtyable memory.
    static let dirtyBackgroundRatio = 10

    /// zone_reclaimable_pages(): file LRU pages, plus anon if there is swap to
    /// put it in; anon pages already under writeback to swap are on the LRU
    /// too, and are freed when the write completes. Under modern rules a zone
    /// with none of them counts its free pages instead, so that it is not
    /// skipped (6aaced5abd32, v6.13: "account for free pages to prevent
    /// infinite loop in throttle_direct_reclaim()"); should_reclaim_retry
    /// then adds the free pages a second time, as the kernel does.
    /// zone_reclaimable_pages, mm/vmscan.c (v4.0, v6.13).
    var zoneReclaimablePages: Int {
        let nr = zone.counters.fileLRU + zone.counters.swapWriteback + (zone.counters.swapFree > 0 ? zone.counters.anon : 0)
        if nr == 0 && policy.era == .modern { return zone.counters.free }
        return nr
    }

    /// 4.0 zone_reclaimable(): pages_scanned < 6 * zone_reclaimable_pages.
    /// While true, direct reclaim reports progress even when it freed nothing,
    /// which keeps the allocator away from the OOM killer (removed in 4.7).
    /// zone_reclaimable, mm/vmscan.c (4.0).
    @inline(__always)
    func zoneReclaimable() -> Bool {
        zone.pagesScanned < zoneReclaimablePages * 6
    }

    /// The disk is saturated: wait_iff_congested() sleeps.
    var diskCongested: Bool {
        zone.counters.writeback >= machine.writebackPagesPerTick * Kernel.writebackQueueDepth
    }

    /// What a reclaimer may touch, from its gfp mask and who it is.
    struct ScanControl {
        /// __GFP_FS: filesystem shrinkers (dentries, inodes) will do work.
        var mayEnterFS: Bool
        /// __GFP_IO and free swap: anon pages can be swapped out.
        var maySwap: Bool
        /// current_is_kswapd(): only kswapd may write dirty file pages
        /// (pageout), and in 4.0 only in a ZONE_DIRTY zone; direct reclaim
        /// never does.
        var isKswapd: Bool
    }

    /// What one reclaim pass did.
    struct ShrinkResult {
        var scanned = 0
        var reclaimed = 0
        /// 4.0: the pass ends in a HZ/10 sleep (direct reclaim's
        /// wait_iff_congested, kswapd's congestion_wait).
        var congested = false
    }

    /// 4.0 wait_iff_congested(zone, BLK_RW_ASYNC, HZ/10) in direct reclaim.
    static let reclaimCongestionTicks = Units.hz / 10

    /// Direct reclaim in the allocating task for a round that still wants
    /// `pages`. In the kernel each allocation that misses the watermark runs
    /// its own pass of nr_to_reclaim = SWAP_CLUSTER_MAX (32) pages, and the
    /// pages one pass frees serve the allocations after it; a round stands
    /// for `pages` such allocations, so it runs max(1, ceil(pages / 32))
    /// passes, as one walk down the priorities 12 to 0 with that many times
    /// 32 pages as its target (docs/kernel.md §5.1, §14 D32). It touches
    /// only what the gfp mask allows (NOFS cannot shrink fs slab, NOIO cannot
    /// swap; dirty file pages wait for kswapd and the flushers). Scanning
    /// more than 1.5 times the target without reaching it wakes the flushers
    /// (do_try_to_free_pages' writeback_threshold, per pass, so scaled by the
    /// passes). Returns the pages freed and, under 2015 rules, whether the
    /// walk slept in wait_iff_congested.
    /// try_to_free_pages / do_try_to_free_pages, mm/vmscan.c (v4.0, v6.13).
    mutating func tryToFreePages(gfp: GFPFlags, order: Int, pages: Int) -> (reclaimed: Int, congested: Bool) {
        let sc = ScanControl(mayEnterFS: gfp.contains(.fs),
                             maySwap: gfp.contains(.io) && zone.counters.swapFree > 0,
                             isKswapd: false)
        let passes = Kernel.directReclaimPasses(pages: pages)
        let target = passes * Kernel.swapClusterMax
        let protection = reclaimProtection(from: CgroupTree.rootID, lowReclaim: false)
        var pass = shrinkNode(target: target, sc, protection: protection)
        if pass.reclaimed == 0 && protection?.lowSkipped == true {
            // "Untapped cgroup reserves? Don't OOM, retry." with
            // sc->memcg_low_reclaim (4.0: sc->may_thrash).
            let again = shrinkNode(target: target, sc, protection: reclaimProtection(from: CgroupTree.rootID, lowReclaim: true))
            pass.scanned += again.scanned
            pass.reclaimed = again.reclaimed
            pass.congested = pass.congested || again.congested
        }
        stats.scannedDirect += pass.scanned
        stats.reclaimedDirect += pass.reclaimed
        reclaim.directReclaimedTotal += pass.reclaimed
        // Scanned 1.5 x nr_to_reclaim (each pass's) without getting it: wake the flushers.
        if pass.reclaimed < target && pass.scanned > target * 3 / 2 {
            reclaim.flusherWoken = true
        }
        if pass.reclaimed > 0 {
            // Any node reclaim progress resets kswapd_failures (>= 4.12).
            kswapd.nodeReclaimed()
        } else {
            zone.pagesScanned += pass.scanned
        }
        return (pass.reclaimed, pass.congested)
    }

    /// The direct reclaim passes a round that still wants `pages` stands for:
    /// one per SWAP_CLUSTER_MAX pages, at least one (docs/kernel.md §14 D32).
    static func directReclaimPasses(pages: Int) -> Int {
        Swift.max(1, (pages + Kernel.swapClusterMax - 1) / Kernel.swapClusterMax)
    }

    /// Scans the LRU lists and slab priority by priority until `target` pages
    /// are freed. The cgroups `protection` skips keep their page cache and
    /// their tasks' anon pages (file reclaim scans the rest of the file LRU,
    /// swap-out passes their tasks by); a cgroup above its protection is
    /// reclaimed like any other (apply_proportional_protection's smaller
    /// scan is not modelled).
    /// shrink_node / shrink_node_memcgs (v6.13), shrink_zone (v4.0), shrink_slab, mm/vmscan.c.
    mutating func shrinkNode(target: Int, _ sc: ScanControl, protection: ReclaimProtection? = nil) -> ShrinkResult {
        var result = ShrinkResult()
        result.reclaimed = sc.maySwap || zone.counters.swapTotal > 0 ? claimSwapWritten(target) : 0
        let protectedFile = protectedPageCache(protection)
        var priority = Kernel.defPriority
        while priority >= 0 && result.reclaimed < target {
            let file = zone.counters.fileLRU
            let fileScan = Swift.max(0, file - protectedFile) >> priority
            if fileScan > 0 {
                result.scanned += fileScan
                // Of the pages scanned, the clean ones can be freed; dirty ones
                // are only tagged for reclaim (and written by kswapd, 4.0).
                let clean = Kernel.mulDiv(fileScan, zone.counters.fileClean, file)
                let dirty = Kernel.mulDiv(fileScan, zone.counters.fileDirty, file)
                let underWriteback = Kernel.mulDiv(fileScan, zone.counters.fileWriteback, file)
                let r = Swift.min(clean, result.reclaimed < target ? target - result.reclaimed : 0)
                zone.counters.fileClean -= r
                freePages(r)
                memcgUnchargeReclaimedFile(r, fileBefore: file, protectedFile: protectedFile, skip: protection?.skip)
                result.reclaimed += r
                if shrinkInactiveList(taken: fileScan, dirty: dirty, writeback: underWriteback, sc) {
                    result.congested = true
                }
                if dirty > 0 && kswapdWritesFilePages(sc) { folioStartWriteback(dirty) }
            }
            if sc.mayEnterFS && result.reclaimed < target {
                let slabScan = zone.counters.slabReclaimable >> priority
                if slabScan > 0 {
                    result.scanned += slabScan
                    let r = Swift.min(slabScan, target - result.reclaimed)
                    zone.counters.slabReclaimable -= r
                    freePages(r)
                    result.reclaimed += r
                }
            }
            if sc.maySwap && result.reclaimed < target {
                let anonScan = getScanCount(priority: priority)
                if anonScan > 0 {
                    result.scanned += anonScan
                    // Written, not yet freed: the pages come back to the free
                    // list when the disk finishes (endPageWriteback).
                    pageoutAnon(Swift.min(anonScan, target - result.reclaimed), skip: protection?.skip)
                }
            }
            priority -= 1
        }
        return result
    }

    /// What shrink_inactive_list concludes from the file pages it took from
    /// the LRU tail (`taken`, of which `dirty` dirty and not queued for I/O
    /// and `writeback` under writeback; the model's lists have no order, so
    /// the tail is the lists' mix). Returns true if the caller sleeps HZ/10.
    /// [4.0] Sets ZONE_WRITEBACK when all were under writeback, ZONE_CONGESTED
    /// when the dirty ones sit on a congested device, ZONE_DIRTY when all were
    /// dirty and unqueued; kswapd meeting writeback pages in a ZONE_WRITEBACK
    /// zone (nr_immediate) sleeps in congestion_wait(HZ/10); direct reclaim
    /// sleeps in wait_iff_congested(HZ/10) while the zone is ZONE_CONGESTED
    /// and the device congested. [6.13] No zone flags and no such sleeps: all
    /// dirty and unqueued wakes the flushers (wakeup_flusher_threads,
    /// WB_REASON_VMSCAN), which write the pages; the cgroup v1 throttle is
    /// not modelled.
    /// shrink_inactive_list / shrink_page_list, mm/vmscan.c (v4.0, v6.13).
    mutating func shrinkInactiveList(taken: Int, dirty: Int, writeback: Int, _ sc: ScanControl) -> Bool {
        guard policy.era == .v2015 else {
            if dirty > 0 && dirty == taken { reclaim.flusherWoken = true }
            return false
        }
        // nr_immediate counts the pages flagged while ZONE_WRITEBACK was set.
        let immediate = sc.isKswapd && zone.flags.writeback && writeback > 0
        if writeback > 0 && writeback == taken { zone.flags.writeback = true }
        if dirty > 0 && diskCongested { zone.flags.congested = true }
        if dirty > 0 && dirty == taken { zone.flags.dirty = true }
        if sc.isKswapd { return immediate }
        return zone.flags.congested && diskCongested
    }

    /// pageout() of a dirty file page from reclaim: [4.0] kswapd only, in a
    /// ZONE_DIRTY zone ("kswapd will start writing pages from reclaim
    /// context"); [6.13] never: XFS and ext4 have no ->writepage, so
    /// shrink_folio_list reactivates the folio and the flushers write it.
    /// shrink_page_list, mm/vmscan.c (v4.0); shrink_folio_list / pageout,
    /// mm/vmscan.c (v6.13).
    func kswapdWritesFilePages(_ sc: ScanControl) -> Bool {
        sc.isKswapd && policy.era == .v2015 && zone.flags.dirty
    }

    /// Anon pages scanned at `priority`, weighed by vm.swappiness against
    /// page cache (anon_prio = swappiness, file_prio = 200 - swappiness).
    /// With swappiness 0, anon is scanned only when page cache is nearly gone
    /// (4.0: file + free <= high, SCAN_ANON; 6.13: file_is_tiny).
    /// get_scan_count, mm/vmscan.c (v4.0, v6.13).
    func getScanCount(priority: Int) -> Int {
        let swappiness = machine.swappiness
        if swappiness == 0 {
            return zone.counters.fileLRU + zone.counters.free <= zone.watermarks.high ? zone.counters.anon >> priority : 0
        }
        return (zone.counters.anon >> priority) * swappiness / Swift.max(1, 200 - swappiness)
    }

    /// Starts writing up to `n` anon pages to swap, as far as the disk queue
    /// has room, taking them task by task from a cursor that stands in for the
    /// anon LRU. Each page becomes a swap entry of its task at once (the
    /// PTEs now point at swap) and stays in RAM, under writeback, until the
    /// disk finishes it; only then is it freed. Returns the pages started.
    /// shrink_folio_list -> add_to_swap -> pageout -> swap_writepage,
    /// mm/vmscan.c, mm/page_io.c (v4.0: shrink_page_list).
    @discardableResult
    mutating func pageoutAnon(_ n: Int, skip: [Bool]? = nil) -> Int {
        let room = machine.writebackPagesPerTick * Kernel.writebackQueueDepth - zone.counters.writeback
        var left = Swift.min(n, zone.counters.swapFree, Swift.max(0, room))
        var done = 0
        var visited = 0
        while left > 0 && visited < taskTable.tasks.count {
            if reclaim.anonCursor >= taskTable.tasks.count { reclaim.anonCursor = 0 }
            let i = reclaim.anonCursor
            let take = skip?[taskTable.tasks[i].cgroup] == true ? 0 : pageoutTaskAnon(i, left)
            left -= take
            done += take
            if left > 0 {
                reclaim.anonCursor += 1
                visited += 1
            }
        }
        return done
    }

    /// wakeup_kswapd, mm/vmscan.c (the rules are in `Kswapd.wake`).
    mutating func wakeKswapd() {
        kswapd.wake(balanced: zone.counters.free >= zone.watermarks.high)
    }

    /// One tick of kswapd(): the `Kswapd` machine says whether it runs
    /// (woken, nap over, zone not balanced); `balancePgdat` does the work.
    /// [4.0] A running kswapd that finds the zone balanced clears
    /// ZONE_CONGESTED and ZONE_DIRTY before it goes to sleep: balance_pgdat's
    /// scan for the highest zone that needs work ("If balanced, clear the
    /// dirty and congested flags"). A sleeping or napping kswapd runs no
    /// balance_pgdat, so the flags stay set, however much memory is free,
    /// until kswapd next runs.
    /// kswapd / kswapd_try_to_sleep / balance_pgdat, mm/vmscan.c (v4.0, v6.13).
    mutating func kswapdTick() {
        let balanced = zone.counters.free >= zone.watermarks.high
        let wasRunning = kswapd.state == .running
        let action = kswapd.tick(now: tick, balanced: balanced)
        // Running, out of any congestion_wait, and balanced: the machine went
        // from balance_pgdat to kswapd_try_to_sleep's nap.
        if policy.era == .v2015 && balanced && wasRunning && kswapd.state == .napping {
            zone.flags.clearCongestion()
        }
        guard action == .balance else { return }
        balancePgdat()
    }

    /// balance_pgdat(): reclaim toward the high watermark at a bounded rate,
    /// with full rights (it shrinks fs slab, swaps, and in 4.0 writes dirty
    /// file pages in a ZONE_DIRTY zone), and
    /// tell the machine how it went. [4.0] After the pass ZONE_WRITEBACK is
    /// cleared, and ZONE_CONGESTED and ZONE_DIRTY too when the zone is
    /// reclaimable and at the high watermark (kswapd_shrink_zone: "If a zone
    /// reaches its high watermark, consider it to be no longer congested").
    /// With oom_invocation=kswapd the OOM killer runs here.
    /// balance_pgdat / kswapd_shrink_zone, mm/vmscan.c (v4.0, v6.13).
    mutating func balancePgdat() {
        let want = Swift.min(machine.kswapdPagesPerTick, Swift.max(Kernel.swapClusterMax, zone.watermarks.high - zone.counters.free))
        let sc = ScanControl(mayEnterFS: true, maySwap: zone.counters.swapFree > 0, isKswapd: true)
        // kswapd never takes memory.low's reserve: balance_pgdat has no
        // second pass (v4.0: its scan_control never sets may_thrash).
        let pass = shrinkNode(target: want, sc, protection: reclaimProtection(from: CgroupTree.rootID, lowReclaim: false))
        let reclaimed = pass.reclaimed
        stats.scannedKswapd += pass.scanned
        stats.reclaimedKswapd += reclaimed
        if policy.era == .v2015 {
            // kswapd_shrink_zone clears ZONE_WRITEBACK after each pass, and
            // ZONE_CONGESTED and ZONE_DIRTY if the pass left the zone
            // reclaimable and at the high watermark (v4.0).
            zone.flags.writeback = false
            if zoneReclaimable() && zone.counters.free >= zone.watermarks.high { zone.flags.clearCongestion() }
            if pass.congested { kswapd.congestionWait(now: tick) }
        }
        let next = kswapd.balanced(reclaimed: reclaimed, invokesOOMKiller: policy.oomInvocation == .kswapd,
                                   belowMin: zone.counters.free <= zone.watermarks.min, backsOff: policy.era == .modern)
        if next == .invokeOOMKiller {
            var oc = oomControl(gfp: .kernel, order: 0)
            _ = outOfMemory(&oc, invoker: nil)
        }
    }

    /// Moves dirty pages to writeback, as far as the disk queue has room.
    mutating func folioStartWriteback(_ n: Int) {
        let room = machine.writebackPagesPerTick * Kernel.writebackQueueDepth - zone.counters.writeback
        let k = Swift.min(n, zone.counters.fileDirty, Swift.max(0, room))
        guard k > 0 else { return }
        zone.counters.fileDirty -= k
        zone.counters.writeback += k
    }

    /// The disk does `writeback_rate` pages of I/O a tick. Swap-in reads go
    /// first (a task waits for each); the rest finishes writeback, file and
    /// swap in proportion: written page cache becomes clean, and an anon page
    /// written to swap is freed (end_page_writeback; the swap-cache folio
    /// then leaves memory).
    /// end_page_writeback, mm/filemap.c.
    mutating func endPageWriteback() {
        let rate = machine.writebackPagesPerTick
        let reads = Swift.min(reclaim.swapReadBacklog, rate)
        reclaim.swapReadBacklog -= reads
        let done = Swift.min(zone.counters.writeback, rate - reads)
        guard done > 0 else { return }
        let file = Kernel.mulDiv(done, zone.counters.fileWriteback, zone.counters.writeback)
        let swap = done - file
        zone.counters.writeback -= done
        zone.counters.swapWriteback -= swap
        zone.counters.fileClean += file
        freePages(swap)
        reclaim.swapWrittenUncounted += swap
    }

    /// Pages whose swap write has finished since the last pass: in the kernel
    /// end_page_writeback rotates such a folio to the inactive tail
    /// (folio_rotate_reclaimable) and the next shrink_folio_list frees it and
    /// counts it in nr_reclaimed. The model freed them at completion and
    /// lets the next pass count up to `target` of them.
    /// folio_rotate_reclaimable, mm/swap.c; shrink_folio_list, mm/vmscan.c.
    mutating func claimSwapWritten(_ target: Int) -> Int {
        let n = Swift.min(target, reclaim.swapWrittenUncounted)
        reclaim.swapWrittenUncounted -= n
        return n
    }

    /// The flusher threads: write back when dirty pages pass the background
    /// threshold, or when direct reclaim asked (wb_workfn / wakeup_flusher_threads).
    /// wb_workfn / wakeup_flusher_threads, fs/fs-writeback.c.
    mutating func wbWorkfn() {
        guard zone.counters.fileDirty > 0 else {
            reclaim.flusherWoken = false
            return
        }
        let dirtyable = zone.counters.free + zone.counters.fileLRU
        if reclaim.flusherWoken || zone.counters.fileDirty * 100 > dirtyable * Kernel.dirtyBackgroundRatio {
            folioStartWriteback(machine.writebackPagesPerTick)
        }
    }

    /// vm.dirty_ratio: writers are paused above this share of dirtyable memory.
    static let dirtyRatio = 20
    /// The longest balance_dirty_pages() pause, MAX_PAUSE (HZ/5).
    static let maxDirtyPauseTicks = Units.hz / 5

    /// balance_dirty_pages(): before a writer dirties more page cache, if dirty
    /// and writeback pages exceed vm.dirty_ratio of dirtyable memory (free plus
    /// page cache), kick the flushers and pause the writer (at most HZ/5) so
    /// the disk, not the writer, sets the pace. Returns the pause in ticks, or
    /// nil when the writer may go on. balance_dirty_pages, mm/page-writeback.c.
    mutating func balanceDirtyPages() -> Int? {
        let dirty = zone.counters.fileDirty + zone.counters.writeback
        let dirtyable = zone.counters.free + zone.counters.fileLRU
        guard dirty * 100 > dirtyable * Kernel.dirtyRatio else { return nil }
        reclaim.flusherWoken = true
        return Kernel.maxDirtyPauseTicks
    }

    /// a * b / c without overflow, for a <= c (a share of a list).
    static func mulDiv(_ a: Int, _ b: Int, _ c: Int) -> Int {
        guard c > 0, a > 0, b > 0 else { return 0 }
        return c.dividingFullWidth(a.multipliedFullWidth(by: b)).quotient
    }
}
