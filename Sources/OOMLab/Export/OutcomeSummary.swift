import OOMLabKernel

/// A run's outcome as `run` and `compare` print it: the verdict, its
/// history, and the totals. One place, so the two commands cannot disagree.
public struct OutcomeSummary: Equatable, Sendable {
    public var verdict: Verdict
    public var history: [Outcome.Change]
    /// Time spent in stall, livelock or deadlock.
    public var stalledTicks: Int
    /// First OOM kill to recovery (every victim gone, the waiting
    /// allocations served); nil unless the run ends recovered after a kill.
    public var recoveryTicks: Int?
    /// The first change away from ok.
    public var troubleTick: Int?
    public var recoveredTick: Int?
    /// Every OOM kill of the run, in order.
    public var killList: [OOMKill]
    public var firstKill: OOMKill? { killList.first }
    public var kills: Int { killList.count }

    public init(_ k: Kernel) {
        verdict = k.verdict
        history = k.outcome.changes
        stalledTicks = k.outcome.stuckTicks(upTo: k.tick)
        recoveredTick = k.outcome.recoveredTick
        troubleTick = k.outcome.troubleTick
        killList = k.oomKills
        if let r = recoveredTick, let first = firstKill { recoveryTicks = r - first.tick }
    }

    /// The `verdict` object of the JSON outputs.
    public var json: JSON {
        .object([
            ("kind", .string(verdict.kind.rawValue)),
            ("tick", .int(verdict.tick)),
            ("reason", .string(verdict.reason)),
            ("history", .array(history.map { c in
                .object([("tick", .int(c.tick)), ("kind", .string(c.kind.rawValue)), ("noticed_tick", .int(c.noticed))])
            })),
            ("stalled_ms", .int(Units.ms(ticks: stalledTicks))),
            ("recovery_ms", recoveryTicks.map { .int(Units.ms(ticks: $0)) } ?? .null),
        ])
    }

    /// The history as text lines, one change a line:
    /// "  2.16 s  stall (noticed at 7.16 s)".
    public var historyLines: [String] {
        history.map { c in
            var line = "  " + Units.seconds(ms: Units.ms(ticks: c.tick)).leftPad(8) + " s  " + c.kind.rawValue
            if c.noticed != c.tick { line += " (noticed at \(Units.seconds(ms: Units.ms(ticks: c.noticed))) s)" }
            return line
        }
    }

    /// "stalled 22.85 s; recovery 0.20 s after the first kill" or similar.
    public var totalsLine: String {
        var parts = ["stalled \(Units.seconds(ms: Units.ms(ticks: stalledTicks))) s"]
        if let r = recoveryTicks {
            parts.append("recovered \(Units.seconds(ms: Units.ms(ticks: r))) s after the first OOM kill")
        } else if firstKill != nil {
            parts.append("not recovered")
        }
        return parts.joined(separator: "; ")
    }
}


extension OOMKill {
    /// One entry of the `oom_kills` arrays of the JSON outputs.
    public var json: JSON {
        .object([("tick", .int(tick)), ("pid", .int(pid)), ("name", .string(name)),
                 ("points", .int(points)), ("invoked_by", .string(invokedBy))])
    }
}
