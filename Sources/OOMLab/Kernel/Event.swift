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
    /// The victim's memory cgroup ("/" for the root): the oom-kill line's task_memcg.
    public var cgroup: CgroupPath = .root
    /// The cgroup whose memory.max the kill was for (oom_memcg=); nil for a global OOM.
    public var oomMemcg: CgroupPath? = nil
}
