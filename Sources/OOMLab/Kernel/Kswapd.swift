/// kswapd0, the node's background reclaimer (mm/vmscan.c kswapd()).
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
    public internal(set) var state: State = .sleeping
    var napUntil = 0
    /// Consecutive balance_pgdat runs that reclaimed nothing (pgdat->kswapd_failures).
    public internal(set) var failures = 0
    /// Consecutive rounds without progress, for oom_invocation=kswapd.
    public internal(set) var noProgressRounds = 0
    /// Pages reclaimed by kswapd, ever.
    public internal(set) var reclaimedTotal = 0

    /// MAX_RECLAIM_RETRIES: kswapd_failures at which kswapd backs off (>= 4.12).
    static let maxFailures = Kernel.maxReclaimRetries
    /// kswapd_try_to_sleep's nap, HZ/10.
    static let napTicks = Units.hz / 10
    /// With oom_invocation=kswapd: consecutive no-progress rounds below min
    /// before kswapd invokes the OOM killer (MAX_RECLAIM_RETRIES, as the
    /// allocator's own rule in >= 4.7).
    public static let oomRounds = Kernel.maxReclaimRetries
}

/// The OOM reaper thread (mm/oom_kill.c oom_reaper()), v4.6+.
public struct OOMReaper: Equatable, Sendable {
    /// Victims waiting to be reaped, in order.
    public internal(set) var queue: [Int] = []
    /// Attempts made on the victim at the head of the queue.
    public internal(set) var attempts = 0
    /// Tick of the next attempt.
    var nextAttemptTick = 0

    /// MAX_OOM_REAP_RETRIES.
    static let maxAttempts = 10
    /// schedule_timeout_idle(HZ/10) between attempts.
    static let retryTicks = Units.hz / 10
    /// OOM_REAPER_DELAY (2*HZ, since 5.18): the victim gets time to exit first.
    static let modernDelayTicks = 2 * Units.hz
}

/// One dmesg-style line. `oomlab` marks lines that are the simulator's own
/// diagnosis rather than the kernel's words.
public struct Event: Equatable, Sendable {
    public var tick: Int
    public var text: String
    public var kind: Kind

    /// How a narration cue reads in the log.
    public static let cuePrefix = "oomlab: cue: "
    /// A scenario's narration, not something the kernel did.
    public var isCue: Bool { kind == .oomlab && text.hasPrefix(Event.cuePrefix) }

    public enum Kind: String, Equatable, Sendable {
        /// A line the kernel would print.
        case kernel
        /// oomlab's own diagnosis or narration ("oomlab: ...").
        case oomlab
        /// A change made by the user (policy switch, added task).
        case user
    }

    public init(tick: Int, text: String, kind: Kind = .kernel) {
        self.tick = tick
        self.text = text
        self.kind = kind
    }

    /// `[   12.340000] text`, as dmesg prints it.
    public var dmesgLine: String {
        let ms = Units.ms(ticks: tick)
        let seconds = String(ms / 1000)
        let micros = String((ms % 1000) * 1000)
        let fraction = String(repeating: "0", count: 6 - micros.count) + micros
        let padded = String(repeating: " ", count: Swift.max(0, 5 - seconds.count)) + seconds
        return "[\(padded).\(fraction)] \(text)"
    }
}

/// An OOM kill, for summaries and `oom_kills` in JSON.
public struct OOMKill: Equatable, Sendable {
    public var tick: Int
    public var pid: Int
    public var name: String
    public var points: Int
    /// The task whose allocation invoked the OOM killer, or "kswapd0".
    public var invokedBy: String
}
