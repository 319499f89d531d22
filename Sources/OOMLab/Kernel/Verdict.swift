/// How a run ended, with the tick its condition began and a one-line reason
/// that names the pids and locks involved.
public struct Verdict: Equatable, Sendable {
    public enum Kind: String, CaseIterable, Equatable, Sendable {
        /// No OOM kill and nothing diagnosed.
        case ok
        /// Memory ran out, something was killed or reaped, and the system moved on.
        case recovered
        /// An OOM victim cannot exit and blocks every further kill (TIF_MEMDIE stall).
        case stall
        /// Tasks spin in the allocator with no forward progress anywhere.
        case livelock
        /// A cycle of tasks each waiting for a lock another holds.
        case deadlock
        /// The kernel panicked (panic_on_oom, or nothing left to kill).
        case panic
    }
    public var kind: Kind
    public var tick: Int
    public var reason: String
    public init(kind: Kind, tick: Int, reason: String) {
        self.kind = kind
        self.tick = tick
        self.reason = reason
    }
}
