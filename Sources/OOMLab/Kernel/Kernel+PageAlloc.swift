/// The page allocator: the fast path, the era's slow path, and what the
/// caller does with a NULL. One round of the slow path per tick, which is
/// about the kernel's cadence (a reclaim pass, then up to HZ/50 of waiting).
extension Kernel {
    /// PAGE_ALLOC_COSTLY_ORDER: orders above it are allowed to fail.
    static let costlyOrder = 3
    /// SWAP_CLUSTER_MAX: direct reclaim's nr_to_reclaim.
    static let swapClusterMax = 32
    /// MAX_RECLAIM_RETRIES (>= 4.7; mm/internal.h): the allocator's rounds
    /// without progress, and kswapd's failures before it backs off. The
    /// one definition; Kswapd's constants refer to it.
    static let maxReclaimRetries = 16
    /// XFS prints its warning every 100th failed try (fs/xfs/kmem.c).
    static let kmemAllocWarnEvery = 100
    /// congestion_wait(BLK_RW_ASYNC, HZ/50) in kmem_alloc; wait_iff_congested(HZ/50) in the slow path.
    static let congestionWaitTicks = Units.hz / 50
    /// reclaim_throttle(VMSCAN_THROTTLE_NOPROGRESS): one jiffy (>= 5.16).
    static let noProgressThrottleTicks = 1

    /// The result of one round of the allocator for one request.
    enum AllocRound: Equatable {
        case got(Int, SlowpathOutcome)
        /// Nothing this round; the allocator loops (after sleeping `sleep` ticks).
        case retry(sleep: Int, SlowpathOutcome)
        /// The allocator returns NULL.
        case failed(SlowpathOutcome)
    }

    /// What an allocation asks of the allocator in this era. XFS's kmem_alloc
    /// loop is 4.0's; 6.x XFS has none (fs/xfs/kmem.c is gone) and asks the
    /// allocator for __GFP_NOFAIL inside memalloc_nofs_save(), so under
    /// modern rules `retry: kmem_alloc` is a NOFS | __GFP_NOFAIL request that
    /// the page allocator loops on itself, and XFS prints nothing.
    func effectiveSpec(_ spec: AllocSpec) -> AllocSpec {
        guard policy.era == .modern, spec.retry == .kmemAlloc else { return spec }
        var s = spec
        s.gfp = s.gfp.subtracting(.fs).union(.nofail)
        s.retry = .allocator
        return s
    }

    /// A round that will be tried again, by the cgroup's charge loop or the
    /// allocator's: counted, kept on the task, and slept on when the round
    /// asked for a sleep (the backoff in try_charge_memcg and
    /// __alloc_pages_slowpath), mm/memcontrol.c, mm/page_alloc.c.
    private mutating func retryLater(_ i: Int, _ progress: inout AllocationProgress, sleep: Int,
                                     _ outcome: SlowpathOutcome) -> StepResult {
        progress.tries += 1
        progress.lastRound = outcome
        progress.looping = true
        taskTable.tasks[i].allocation = progress
        if sleep > 0 { block(i, .allocatorBackoff(until: tick + sleep, reason: outcome.rawValue)) }
        return .yield
    }

    /// Runs the current `alloc` op (or a transaction's reservation) for one tick.
    /// The request's size and rate are in whole 2^order blocks (AllocSpec.pagesInBlocks, .pagesPerRound).
    /// __alloc_pages (get_page_from_freelist, then __alloc_pages_slowpath), mm/page_alloc.c.
    mutating func allocOp(_ i: Int, spec requested: AllocSpec, charge: Charge) -> StepResult {
        // `if let` on the field alone: `allocation?.spec ?? ...` made the
        // optimizer copy the whole Task for every alloc op.
        let spec: AllocSpec
        if let a = taskTable.tasks[i].allocation { spec = a.spec } else { spec = effectiveSpec(requested) }
        if taskTable.tasks[i].allocation == nil {
            let pages = spec.pagesInBlocks
            // A request that one round's fast path serves whole ends in this
            // call, so its progress record would be made only to be dropped:
            // take the pages as allocPagesRound's get_page_from_freelist at
            // the low watermark would (takeFree), and charge them. A dirtying
            // write goes the long way (balance_dirty_pages may pause it first).
            if pages <= spec.pagesPerRound && charge != .target(.fileDirty) && zone.counters.free - zone.watermarks.low >= pages
                && memcgChargeFast(i, pages, charge) {
                zone.counters.free -= pages
                chargePages(i, pages, to: charge)
                if chargesMemcg(i, charge) && memcgThrottleOverHigh(i, nrPages: pages) {
                    advance(i)
                    return .yield
                }
                return .next
            }
            taskTable.tasks[i].allocation = AllocationProgress(
                spec: spec, charge: charge, remaining: pages, tries: 0, noProgressLoops: 0,
                pagesReclaimed: 0, startedTick: tick, lastGrantTick: tick, lastRound: nil)
        }
        guard var progress = taskTable.tasks[i].allocation else { return .next }
        if charge == .target(.fileDirty), let pause = balanceDirtyPages() {
            block(i, .dirtyThrottle(until: tick + pause))
            return .yield
        }
        let want = Swift.min(progress.remaining, spec.pagesPerRound)
        var charged = 0
        if chargesMemcg(i, charge) {
            // The cgroup is charged before the zone is asked (try_charge_memcg
            // runs in mem_cgroup_charge, before the page is taken).
            switch tryChargeMemcg(i, pages: want, order: spec.order, gfp: spec.gfp,
                                  userFault: isUserFault(charge, gfp: spec.gfp), loop: &progress.memcgLoop) {
            case .charged:
                charged = want
                progress.memcgLoop = MemcgChargeLoop()
            case .retry(let sleep, let outcome):
                return retryLater(i, &progress, sleep: sleep, outcome)
            case .failed:
                return memcgChargeFailed(i, progress, charge)
            }
        }
        let round = allocPages(i, want: want, order: spec.order, gfp: spec.gfp,
                                    loop: spec.retry != .once, progress: &progress)
        switch round {
        case .got(let n, _): memcgCancelCharge(i, charged - n)
        case .retry, .failed: memcgCancelCharge(i, charged)
        }
        switch round {
        case .got(let n, let outcome):
            chargePages(i, n, to: charge)
            let throttled = charged > 0 && memcgThrottleOverHigh(i, nrPages: n)
            progress.remaining -= n
            progress.lastGrantTick = tick
            progress.lastRound = outcome
            progress.looping = false
            // The allocations this round stood for were served; the rest of
            // the request are new allocations, whose should_reclaim_retry
            // count starts at 0, as each page fault's does in the kernel.
            progress.noProgressLoops = 0
            if progress.remaining <= 0 {
                taskTable.tasks[i].allocation = nil
                // Throttled on its way back to user space: the op is done,
                // the sleep takes the rest of the turn.
                if throttled { advance(i); return .yield }
                return .next
            }
            taskTable.tasks[i].allocation = progress
            // The rest of the request waits out the sleep reclaim took
            // (4.0 wait_iff_congested in shrink_inactive_list).
            if outcome == .reclaimCongested {
                block(i, .allocatorBackoff(until: tick + Kernel.reclaimCongestionTicks, reason: outcome.rawValue))
            }
            return .yield
        case .retry(let sleep, let outcome):
            return retryLater(i, &progress, sleep: sleep, outcome)
        case .failed(let outcome):
            progress.tries += 1
            progress.lastRound = outcome
            if spec.retry == .kmemAlloc {
                progress.looping = true
                taskTable.tasks[i].allocation = progress
                kmemAllocFailed(i, spec: spec, tries: progress.tries)
                return .yield
            }
            taskTable.tasks[i].allocation = nil
            // warn_alloc(): __GFP_NOWARN, then __ratelimit(&nopage_rs) with
            // the default 10 per 5 s (mm/page_alloc.c).
            if !spec.gfp.contains(.nowarn) && panicVerdict == nil {
                let (allowed, suppressed) = printk.nopageRatelimit.allow(at: tick)
                if let suppressed { log(suppressed) }
                if allowed {
                    log("\(taskTable.tasks[i].name): page allocation failure: order:\(spec.order), mode:\(spec.gfp.hex(era: policy.era))"
                        + (policy.era == .modern ? ", nodemask=(null)" : ""))
                }
            }
            return .next
        }
    }

    /// XFS kmem_alloc (4.0): `if (!(++retries % 100)) xfs_err(...);
    /// congestion_wait(BLK_RW_ASYNC, HZ/50);` and try again, forever. Only
    /// 4.0 rules run this loop (`effectiveSpec`); one already under way when
    /// the era is switched goes on as it began, printing 4.0's message with
    /// the mode in plain hex as 4.0 printed it.
    /// kmem_alloc, fs/xfs/kmem.c (v4.0).
    mutating func kmemAllocFailed(_ i: Int, spec: AllocSpec, tries: Int) {
        if tries % Kernel.kmemAllocWarnEvery == 0 {
            // kmem_flags_convert() adds __GFP_NOWARN: XFS prints its own warning.
            let mode = spec.gfp.union(.nowarn)
            log("XFS: possible memory allocation deadlock in kmem_alloc (mode:\(mode.plainHex(era: .v2015)))")
        }
        block(i, .congestionWait(until: tick + Kernel.congestionWaitTicks))
    }

    /// One pass of __alloc_pages_nodemask for `want` pages in 2^order blocks:
    /// the fast path at the low watermark, then the era's slow path.
    /// __alloc_pages_nodemask / __alloc_pages_slowpath, mm/page_alloc.c.
    mutating func allocPages(_ i: Int, want: Int, order: Int, gfp: GFPFlags, loop: Bool,
                                  progress: inout AllocationProgress) -> AllocRound {
        let chunk = 1 << order
        // The request stands for want/2^order separate allocations: those the
        // fast path cannot serve go on down the slow path in the same round.
        // Fast path: get_page_from_freelist at ALLOC_WMARK_LOW.
        var got = getPageFromFreelist(want, chunk: chunk, .wmarkLow)
        if got == want { return .got(got, .fastPath) }

        // Slow path.
        if gfp.contains(.kswapdReclaim) { wakeKswapd() }
        let own = gfpToAllocFlags(gfp)
        got += getPageFromFreelist(want - got, chunk: chunk, own)
        if got == want { return .got(got, .fastPath) }
        // retry: a reserve grant replaces the flags from here on (6.13
        // ALLOC_OOM for every thread of a victim; 4.0 ALLOC_NO_WATERMARKS for
        // the TIF_MEMDIE thread, __alloc_pages_high_priority).
        let reserve = reserveFlags(gfp, victim: isOOMVictim(i))
        let alloc = reserve ?? own
        if reserve != nil {
            got += getPageFromFreelist(want - got, chunk: chunk, alloc)
            if got == want { return .got(got, .fastPath) }
        }
        if !gfp.allowsBlocking { return got > 0 ? .got(got, .fastPath) : .failed(.failed) }
        // 4.0: "victims don't loop": TIF_MEMDIE without __GFP_NOFAIL fails here.
        if policy.era == .v2015 && taskTable.tasks[i].memdie && !gfp.contains(.nofail) {
            return got > 0 ? .got(got, .fastPath) : .failed(.failed)
        }

        // Direct reclaim (PF_MEMALLOC for its duration, a PSI memstall).
        taskTable.tasks[i].inDirectReclaim = true
        // The round's allocations still unserved each run their own pass (§14 D32).
        let (reclaimed, congested) = tryToFreePages(gfp: gfp, order: order, pages: want - got)
        progress.pagesReclaimed += reclaimed
        got += getPageFromFreelist(want - got, chunk: chunk, alloc)
        // 4.0: reclaim slept in wait_iff_congested(HZ/10) before these pages.
        if got > 0 { return .got(got, congested ? .reclaimCongested : .fastPath) }

        // Dave Chinner's reservations: draw on the transaction's reserve only
        // when normal allocation has failed.
        if policy.reservations, taskTable.tasks[i].reserved > 0, isInTransaction(i) {
            let take = Swift.min(want, taskTable.tasks[i].reserved) / chunk * chunk
            if take > 0 {
                taskTable.tasks[i].reserved -= take
                zone.counters.reservationPool -= take   // chargePages puts them where they belong
                return .got(take, .fastPath)
            }
        }
        if !loop { return .failed(.failed) }

        switch policy.era {
        case .v2015:
            let round = slowpathRetry2015(i, want: want, order: order, gfp: gfp,
                                          reclaimed: reclaimed, progress: progress)
            // Reclaim's wait_iff_congested(HZ/10) came first: a round that
            // goes on looping has slept at least that long.
            if congested, case .retry(let sleep, let outcome) = round {
                return .retry(sleep: Swift.max(sleep, Kernel.reclaimCongestionTicks),
                              sleep >= Kernel.reclaimCongestionTicks ? outcome : .reclaimCongested)
            }
            return round
        case .modern: return slowpathRetryModern(i, want: want, order: order, gfp: gfp,
                                                 reclaimed: reclaimed, progress: &progress)
        }
    }

    /// 4.0: should_alloc_retry, then __alloc_pages_may_oom when reclaim made no
    /// progress (zone_reclaimable() can fake progress for a long time), then
    /// wait_iff_congested(HZ/50). __alloc_pages_slowpath, mm/page_alloc.c (4.0).
    mutating func slowpathRetry2015(_ i: Int, want: Int, order: Int, gfp: GFPFlags,
                                    reclaimed: Int, progress: AllocationProgress) -> AllocRound {
        guard shouldAllocRetry(gfp: gfp, order: order, pagesReclaimed: progress.pagesReclaimed) else {
            return .failed(.failed)
        }
        let didSomeProgress = reclaimed > 0 || zoneReclaimable()
        var outcome = SlowpathOutcome.reclaimRetry
        if !didSomeProgress {
            let oom = allocPagesMayOOM(i, want: want, order: order, gfp: gfp)
            switch oom {
            case .got(let n, let o): return .got(n, o)
            case .noProgress: return .failed(.failed)
            case .progress(let o, let sleep):
                if sleep > 0 { return .retry(sleep: sleep, o) }
                outcome = o
            }
        }
        // wait_iff_congested(zone, BLK_RW_ASYNC, HZ/50): sleeps only while the
        // backing device is congested.
        return .retry(sleep: diskCongested ? Kernel.congestionWaitTicks : 0, outcome)
    }

    /// 4.0 should_alloc_retry(): NORETRY no; NOFAIL yes; order <= 3 yes (the
    /// de facto "too small to fail" rule); larger orders only with __GFP_REPEAT
    /// until 2^order pages were reclaimed.
    /// should_alloc_retry, mm/page_alloc.c (v4.0).
    func shouldAllocRetry(gfp: GFPFlags, order: Int, pagesReclaimed: Int) -> Bool {
        if gfp.contains(.noretry) { return false }
        if gfp.contains(.nofail) { return true }
        if order <= Kernel.costlyOrder { return true }
        if gfp.contains(.retryMayfail) && pagesReclaimed < (1 << order) { return true }
        return false
    }

    /// Modern: NORETRY and costly orders fail; should_reclaim_retry allows at
    /// most 16 rounds without progress; then __alloc_pages_may_oom, whose
    /// "progress" (a kill, or an abort while a victim lives) resets the count.
    /// __alloc_pages_slowpath, mm/page_alloc.c (6.13).
    mutating func slowpathRetryModern(_ i: Int, want: Int, order: Int, gfp: GFPFlags, reclaimed: Int,
                                      progress: inout AllocationProgress) -> AllocRound {
        let nofail = gfp.contains(.nofail)
        if gfp.contains(.noretry) || (order > Kernel.costlyOrder && !gfp.contains(.retryMayfail)) {
            return nofail ? nopageNofail(want: want, order: order) : .failed(.failed)
        }
        if shouldReclaimRetry(order: order, reclaimed: reclaimed, gfp: gfp, progress: &progress) {
            if reclaimed == 0 && considerReclaimThrottle(i) {
                return .retry(sleep: Kernel.noProgressThrottleTicks, .reclaimThrottled)
            }
            return .retry(sleep: 0, .reclaimRetryModern)
        }
        let oom = allocPagesMayOOM(i, want: want, order: order, gfp: gfp)
        switch oom {
        case .got(let n, let o):
            return .got(n, o)
        case .progress(let o, let sleep):
            // "Avoid allocations with no watermarks from looping endlessly":
            // an OOM victim that has had its ALLOC_OOM try gives up.
            // tsk_is_oom_victim(current): any thread of a victim process.
            if isOOMVictim(i) && !nofail { return .failed(.failed) }
            progress.noProgressLoops = 0
            return .retry(sleep: sleep, o)
        case .noProgress:
            return nofail ? nopageNofail(want: want, order: order) : .failed(.failed)
        }
    }

    /// consider_reclaim_throttle() at the end of direct reclaim that freed
    /// nothing down to priority 1: reclaim_throttle(VMSCAN_THROTTLE_NOPROGRESS)
    /// sleeps one jiffy, unless skip_throttle_noprogress() (kswapd has failed
    /// MAX_RECLAIM_RETRIES times, or write-pending pages are at most half of
    /// the reclaimable ones: they will throttle when they reach the LRU tail)
    /// or the caller is a kernel thread (never throttled: it may be what
    /// reclaim waits for). The HZ/10 VMSCAN_THROTTLE_WRITEBACK sleep is
    /// kswapd's (shrink_node), not the allocator's; 4.7-5.15 had a HZ/10
    /// congestion_wait in should_reclaim_retry, removed by 132b0d21d21f (5.16).
    /// In the model the sleep follows the retry decision, so a round that
    /// goes on to the OOM killer does not sleep first.
    /// consider_reclaim_throttle / reclaim_throttle / skip_throttle_noprogress, mm/vmscan.c (6.13).
    func considerReclaimThrottle(_ i: Int) -> Bool {
        if taskTable.tasks[i].kthread { return false }
        if kswapd.failures >= Kswapd.maxFailures { return false }
        let writePending = zone.counters.fileDirty + zone.counters.writeback
        return 2 * writePending > zoneReclaimablePages
    }

    /// nopage for __GFP_NOFAIL (6.13): one try with ALLOC_MIN_RESERVE (half
    /// of min), then cond_resched() and retry: it never returns NULL.
    /// __alloc_pages_slowpath (nopage: __alloc_pages_cpuset_fallback), mm/page_alloc.c (v6.13).
    mutating func nopageNofail(want: Int, order: Int) -> AllocRound {
        let n = getPageFromFreelist(want, chunk: 1 << order, .minReserve)
        return n > 0 ? .got(n, .fastPath) : .retry(sleep: 0, .reclaimRetryModern)
    }

    /// should_reclaim_retry(): count rounds without progress (any reclaim
    /// resets it for orders <= 3); give up after MAX_RECLAIM_RETRIES; otherwise
    /// retry only if the zone could pass min if everything reclaimable were freed.
    /// should_reclaim_retry, mm/page_alloc.c (v6.13).
    func shouldReclaimRetry(order: Int, reclaimed: Int, gfp: GFPFlags, progress: inout AllocationProgress) -> Bool {
        if reclaimed > 0 && order <= Kernel.costlyOrder {
            progress.noProgressLoops = 0
        } else {
            progress.noProgressLoops += 1
        }
        if progress.noProgressLoops > Kernel.maxReclaimRetries { return false }
        let available = zone.counters.free + zoneReclaimablePages
        return available - ((1 << order) - 1) > zone.watermarks.min
    }

    enum MayOOM: Equatable {
        case got(Int, SlowpathOutcome)
        /// *did_some_progress = 1: the caller loops (after `sleep` ticks).
        case progress(SlowpathOutcome, sleep: Int)
        /// *did_some_progress = 0: the caller gives up.
        case noProgress
    }

    /// __alloc_pages_may_oom(): take the OOM lock (or sleep a jiffy and
    /// pretend progress), try once more at the high watermark, skip the kill
    /// for the cases the era skips, else out_of_memory().
    /// __alloc_pages_may_oom, mm/page_alloc.c.
    mutating func allocPagesMayOOM(_ i: Int, want: Int, order: Int, gfp: GFPFlags) -> MayOOM {
        if policy.oomInvocation == .kswapd {
            // Dave Chinner's proposal: the allocator never kills; it waits for
            // kswapd (which holds no locks) to decide.
            return .progress(.oomDeferredToKswapd, sleep: 1)
        }
        if oom.lockHolder != nil {
            // Trylock failed: schedule_timeout_uninterruptible(1), progress = 1.
            return .progress(.oomLockContended, sleep: 1)
        }
        let chunk = 1 << order
        // Last chance at ALLOC_WMARK_HIGH, to catch memory a parallel kill freed.
        let n = getPageFromFreelist(want, chunk: chunk, .wmarkHigh)
        if n > 0 { return .got(n, .fastPath) }
        let nofail = gfp.contains(.nofail)
        // "The OOM killer does not needlessly kill tasks for lowmem": a
        // request limited to ZONE_DMA or ZONE_DMA32 (high_zoneidx below
        // ZONE_NORMAL) never kills; with did_some_progress 0 it fails.
        let lowmem = !gfp.intersection([.dma, .dma32]).isEmpty
        switch policy.era {
        case .v2015:
            if !nofail {
                if order > Kernel.costlyOrder { return .noProgress }
                if lowmem { return .noProgress }
                if !gfp.contains(.fs) { return .progress(.oomSkippedNoFS, sleep: 0) }
                if gfp.contains(.thisnode) { return .noProgress }
            }
        case .modern:
            if order > Kernel.costlyOrder { return .noProgress }
            if gfp.contains(.retryMayfail) || gfp.contains(.thisnode) { return .noProgress }
            if lowmem { return .noProgress }
        }
        var oc = oomControl(gfp: gfp, order: order)
        let outcome = outOfMemory(&oc, invoker: i)
        if policy.era == .modern && nofail {
            // __alloc_pages_cpuset_fallback with ALLOC_NO_WATERMARKS.
            let n = getPageFromFreelist(want, chunk: chunk, .noWatermarks)
            if n > 0 { return .got(n, outcome) }
        }
        if panicVerdict != nil { return .noProgress }
        // 4.0 forces progress for NOFAIL (WARN_ON_ONCE); out_of_memory returns true otherwise.
        let sleep = outcome == .oomKilled && policy.era == .v2015 ? 1 : 0
        return .progress(outcome, sleep: sleep)
    }

    /// Takes up to `want` pages in 2^order blocks while each block leaves the
    /// free count at or above the watermark `flags` name (free - (2^order - 1)
    /// > mark before each), without looping over blocks.
    /// get_page_from_freelist / zone_watermark_fast, mm/page_alloc.c.
    mutating func getPageFromFreelist(_ want: Int, chunk: Int, _ flags: AllocFlags) -> Int {
        let room = zone.counters.free - watermark(flags)
        guard room >= chunk, want >= chunk else { return 0 }
        // chunk is 2^order: shifts, not an idiv each (tens of cycles).
        let order = chunk.trailingZeroBitCount
        let blocks = Swift.min(want >> order, room >> order)
        let n = blocks * chunk
        zone.counters.free -= n
        return n
    }

    /// Moves pages just taken from the free list to where they belong.
    mutating func chargePages(_ i: Int, _ n: Int, to charge: Charge) {
        switch charge {
        case .reservation:
            taskTable.tasks[i].reserved += n
            zone.counters.reservationPool += n
        case .swapIn:
            // A swapped page comes back: its swap entry is freed as its new
            // page is mapped (do_swap_page -> swap_free). A page the reaper
            // or an exit already dropped faults in as a fresh anon page.
            // The pages are the mm's: a thread's land on its mm owner's entry.
            let mm = taskTable.mmOwner(i)
            let back = Swift.min(n, taskTable.tasks[mm].swapEntries)
            taskTable.tasks[mm].swapEntries -= back
            zone.counters.swapUsed -= back
            memcgUnchargeSwap(mm, back)
            taskTable.tasks[mm].anon += n
            zone.counters.anon += n
            taskTable.tasks[i].touch?.faulted += n
            pteAlloc(mm)
        case .target(let target):
            switch target {
            case .anon:
                let mm = taskTable.mmOwner(i)
                taskTable.tasks[mm].anon += n
                zone.counters.anon += n
                pteAlloc(mm)
            case .kernel:
                taskTable.tasks[i].kernelPages += n
                zone.counters.slabUnreclaimable += n
            case .fileDirty:
                zone.counters.fileDirty += n
                if chargesMemcg(i, charge) { memcg.tree.notePageCache(taskTable.tasks[i].cgroup, n) }
            case .fileClean:
                zone.counters.fileClean += n
                if chargesMemcg(i, charge) { memcg.tree.notePageCache(taskTable.tasks[i].cgroup, n) }
            case .slabReclaimable: zone.counters.slabReclaimable += n
            case .slabUnreclaimable: zone.counters.slabUnreclaimable += n
            }
        }
    }

    /// Page tables follow the mapped size; the pages come from the free list
    /// as far as it has them (__pte_alloc is a GFP_KERNEL allocation too).
    /// `i` is the mm's owner (`mmOwner`).
    /// __pte_alloc / __pmd_alloc, mm/memory.c.
    mutating func pteAlloc(_ i: Int) {
        let need = Kernel.pageTablePages(mapped: taskTable.tasks[i].totalVM) - taskTable.tasks[i].pageTables
        let n = Swift.min(Swift.max(0, need), zone.counters.free)
        guard n > 0 else { return }
        zone.counters.free -= n
        taskTable.tasks[i].pageTables += n
        zone.counters.pageTables += n
    }
}

extension AllocSpec {
    /// The request in whole 2^order blocks, at least one.
    var pagesInBlocks: Int { ((Swift.max(pages, 1) + (1 << order) - 1) >> order) << order }

    /// What one round (one tick) asks for: the rate in whole blocks, at
    /// least one block. Shifts where `/ chunk * chunk` compiled to two
    /// idivs (tens of cycles each) per alloc op; for a negative rate both
    /// forms give less than a block, so the result is the same.
    var pagesPerRound: Int { Swift.max(1 << order, (ratePerTick >> order) << order) }
}
