/// How a run stands (and, at its end, how it ended): the kind, the tick its
/// condition began, and a one-line reason that names the pids and locks
/// involved. `Kernel.outcome` keeps every change of kind.
public struct Verdict: Equatable, Sendable {
    public enum Kind: String, CaseIterable, Equatable, Sendable {
        /// No OOM kill and nothing diagnosed.
        case ok
        /// An OOM victim was chosen and has not exited or been reaped yet, or
        /// the allocations that waited on the kill have not been served yet.
        case pending
        /// Every victim is gone (exited or reaped) and the allocations that
        /// waited on the kills were served; or a stall or livelock cleared.
        case recovered
        /// An OOM victim cannot exit and blocks every further kill (TIF_MEMDIE stall).
        case stall
        /// Tasks loop in the allocator without their own allocations being served.
        case livelock
        /// A cycle of tasks each waiting for a lock another holds.
        case deadlock
        /// The kernel panicked (panic_on_oom, or nothing left to kill).
        case panic
    }
    public var kind: Kind
    public var tick: Int
    /// The kind and its time in a few words: "stall since 2.16 s",
    /// "recovered at 9.30 s after a 7.14 s stall".
    public var headline: String
    public var reason: String
    public init(kind: Kind, tick: Int, reason: String, headline: String? = nil) {
        self.kind = kind
        self.tick = tick
        self.reason = reason
        let at = Units.seconds(ms: Units.ms(ticks: tick)) + " s"
        switch kind {
        case .ok: self.headline = headline ?? "ok"
        case .recovered, .panic: self.headline = headline ?? "\(kind.rawValue) at \(at)"
        default: self.headline = headline ?? "\(kind.rawValue) since \(at)"
        }
    }
}
