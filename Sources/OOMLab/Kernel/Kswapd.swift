/// kswapd0, the node's background reclaimer (mm/vmscan.c kswapd()), as a
/// state machine: its methods say what kswapd does, the kernel does it
/// (shrinks the lists, invokes the OOM killer) and reports back.
public struct Kswapd: Equatable, Sendable {
    public enum State: String, Equatable, Sendable {
        /// Sleeping until an allocation misses the low watermark.
        case sleeping
        /// Reclaiming toward the high watermark (balance_pgdat).
        case running
        /// kswapd_try_to_sleep's short nap (HZ/10) after reaching high.
        case napping
        /// Modern: kswapd_failures >= MAX_RECLAIM_RETRIES; only direct
        /// reclaim progress revives it.
        case backedOff = "backed off"
    }
    public private(set) var state: State = .sleeping
    private(set) var napUntil = 0
    /// 4.0: congestion_wait(BLK_RW_ASYNC, HZ/10) inside balance_pgdat: kswapd
    /// stays running but does nothing until this tick.
    private(set) var congestedUntil = 0
    /// Consecutive balance_pgdat runs that reclaimed nothing (pgdat->kswapd_failures).
    public private(set) var failures = 0
    /// Consecutive rounds without progress, for oom_invocation=kswapd.
    public private(set) var noProgressRounds = 0
    /// Pages reclaimed by kswapd, ever.
    public private(set) var reclaimedTotal = 0

    /// MAX_RECLAIM_RETRIES: kswapd_failures at which kswapd backs off (>= 4.12).
    static let maxFailures = Kernel.maxReclaimRetries
    /// kswapd_try_to_sleep's nap, HZ/10.
    static let napTicks = Units.hz / 10
    /// 4.0 shrink_inactive_list's congestion_wait(BLK_RW_ASYNC, HZ/10).
    static let congestionWaitTicks = Units.hz / 10
    /// With oom_invocation=kswapd: consecutive no-progress rounds below min
    /// before kswapd invokes the OOM killer (MAX_RECLAIM_RETRIES, as the
    /// allocator's own rule in >= 4.7).
    public static let oomRounds = Kernel.maxReclaimRetries

    /// What kswapd does this tick.
    enum Action: Equatable {
        /// Nothing: asleep, napping or backed off.
        case none
        /// balance_pgdat: reclaim, then report with `balanced(reclaimed:...)`.
        case balance
    }

    /// What came of a balance_pgdat run.
    enum AfterBalance: Equatable {
        case none
        /// oom_invocation=kswapd: no progress for `oomRounds` rounds below
        /// min, kswapd calls out_of_memory.
        case invokeOOMKiller
        /// kswapd_failures reached MAX_RECLAIM_RETRIES: kswapd stops (modern).
        case backedOff
    }

    /// wakeup_kswapd(): nothing to do if the zone is balanced (free >= high)
    /// or, modern, if kswapd has failed MAX_RECLAIM_RETRIES times in a row.
    /// wakeup_kswapd, mm/vmscan.c.
    mutating func wake(balanced: Bool) {
        if balanced || state == .backedOff { return }
        state = .running
    }

    /// One tick of kswapd()'s loop: wake from a nap, or go to sleep with the
    /// zone balanced (free >= high), or balance it.
    /// kswapd / kswapd_try_to_sleep, mm/vmscan.c.
    mutating func tick(now: Int, balanced: Bool) -> Action {
        switch state {
        case .sleeping, .backedOff:
            return .none
        case .napping:
            guard now >= napUntil else { return .none }
            state = balanced ? .sleeping : .running
            if state == .sleeping { return .none }
        case .running:
            guard now >= congestedUntil else { return .none }
        }
        if balanced {
            state = .napping
            napUntil = now + Kswapd.napTicks
            noProgressRounds = 0
            return .none
        }
        return .balance
    }

    /// Counts a balance_pgdat run's result and says what follows from it:
    /// with oom_invocation=kswapd, the OOM killer after `oomRounds` rounds
    /// without progress below min; in the modern era, backing off after
    /// MAX_RECLAIM_RETRIES failures. balance_pgdat, mm/vmscan.c.
    mutating func balanced(reclaimed: Int, invokesOOMKiller: Bool, belowMin: Bool, backsOff: Bool) -> AfterBalance {
        reclaimedTotal += reclaimed
        if reclaimed > 0 {
            failures = 0
            noProgressRounds = 0
        } else {
            failures += 1
            noProgressRounds += 1
        }
        if invokesOOMKiller {
            guard noProgressRounds >= Kswapd.oomRounds && belowMin else { return .none }
            noProgressRounds = 0
            return .invokeOOMKiller
        }
        guard backsOff && failures >= Kswapd.maxFailures else { return .none }
        state = .backedOff
        return .backedOff
    }

    /// 4.0 shrink_inactive_list: kswapd met pages it had flagged for
    /// immediate reclaim still under writeback (nr_immediate) while the zone
    /// is ZONE_WRITEBACK: "pages are cycling through the LRU faster than they
    /// are written", congestion_wait(BLK_RW_ASYNC, HZ/10).
    /// shrink_inactive_list, mm/vmscan.c (v4.0).
    mutating func congestionWait(now: Int) {
        congestedUntil = now + Kswapd.congestionWaitTicks
    }

    /// Reclaim progress anywhere on the node (direct reclaim) resets
    /// kswapd_failures and revives a backed-off kswapd (>= 4.12).
    /// shrink_node, mm/vmscan.c.
    mutating func nodeReclaimed() {
        failures = 0
        if state == .backedOff { state = .sleeping }
    }
}
