/// A tick worth jumping to: something the kernel or oomlab's detectors
/// reported, a narration cue, or a user action. `[` and `]` in the TUI move
/// between them; the history graph draws them.
public struct Marker: Equatable, Sendable {
    public enum Kind: String, CaseIterable, Equatable, Sendable {
        /// The OOM killer killed a task (oom_kill_process).
        case oomKill = "oom kill"
        /// The OOM reaper reaped a victim's memory (__oom_reap_task_mm).
        case reap
        /// oomlab's detector: a victim that cannot exit while the killer waits.
        case victimStall = "victim stall"
        /// oomlab's detector: tasks loop in the allocator without being served.
        case livelock
        /// oomlab's detector: a lock cycle.
        case deadlock
        /// khungtaskd reported a task (check_hung_uninterruptible_tasks).
        case hungTask = "hung task"
        /// The kernel panicked.
        case panic
        /// A narration cue of the scenario.
        case cue
        /// The user acted (a timeline entry).
        case userAction = "user action"
    }

    public var tick: Int
    public var kind: Kind
    /// The task concerned, when there is one.
    public var pid: Int?

    public init(tick: Int, kind: Kind, pid: Int? = nil) {
        self.tick = tick
        self.kind = kind
        self.pid = pid
    }
}

/// What marker detection needs from the kernel before a step: a few counts,
/// so recording a run never copies the kernel to compare states.
struct MarkerProbe {
    var kills: Int
    var reaped: Int
    var stall: (pid: Int, since: Int)?
    var livelockSince: Int?
    var deadlockTick: Int?
    var hungTaskWarningsLeft: Int
    var panicked: Bool

    init(_ k: Kernel) {
        kills = k.oom.kills.count
        reaped = k.reaper.reaped.count
        stall = k.detectors.diagnoses.stall
        livelockSince = k.detectors.diagnoses.livelock?.since
        deadlockTick = k.detectors.diagnoses.deadlock?.tick
        hungTaskWarningsLeft = k.detectors.hungTaskWarningsLeft
        panicked = k.panicVerdict != nil
    }

    /// The markers of the step from the probed state to `k`.
    func markers(after k: Kernel) -> [Marker] {
        var found: [Marker] = []
        for kill in k.oom.kills.dropFirst(kills) { found.append(Marker(tick: kill.tick, kind: .oomKill, pid: kill.pid)) }
        for pid in k.reaper.reaped.dropFirst(reaped) { found.append(Marker(tick: k.tick, kind: .reap, pid: pid)) }
        // Diagnoses are dated from when their condition began; the marker
        // stands where oomlab noticed them, where the log says so.
        if let s = k.detectors.diagnoses.stall, s.pid != stall?.pid || s.since != stall?.since {
            found.append(Marker(tick: k.tick, kind: .victimStall, pid: s.pid))
        }
        if let since = k.detectors.diagnoses.livelock?.since, since != livelockSince {
            found.append(Marker(tick: k.tick, kind: .livelock))
        }
        if let d = k.detectors.diagnoses.deadlock, d.tick != deadlockTick {
            found.append(Marker(tick: d.tick, kind: .deadlock, pid: d.pids.first))
        }
        if k.detectors.hungTaskWarningsLeft < hungTaskWarningsLeft { found.append(Marker(tick: k.tick, kind: .hungTask)) }
        if k.panicVerdict != nil && !panicked { found.append(Marker(tick: k.tick, kind: .panic)) }
        for cue in k.cues where cue.tick == k.tick && !panicked { found.append(Marker(tick: k.tick, kind: .cue)) }
        return found
    }
}
