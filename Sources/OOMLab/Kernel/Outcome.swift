/// How a run's outcome unfolded: every change of verdict kind, in order, and
/// the allocations the OOM killer's victims are meant to unblock.
///
/// A kind is dated from when its condition began, which is not always when
/// oomlab could tell: a victim is only diagnosed as stalled after
/// `Kernel.victimStallTicks` without exiting, and a task as livelocked after
/// `Kernel.livelockTicks` without its allocation being served. When such a
/// diagnosis comes, the "pending" it turns out to have been is rewritten
/// (`record(_:since:now:)`), and the change keeps the tick it was noticed at, so
/// the history says both "stalled since 2.16 s" and "diagnosed at 7.16 s".
public struct Outcome: Equatable, Sendable {
    public struct Change: Equatable, Sendable {
        /// When the condition began.
        public var tick: Int
        public var kind: Verdict.Kind
        /// When oomlab could tell (equal to `tick` unless a diagnosis backdated it).
        public var noticed: Int
    }

    /// An allocation that was in progress when a victim was chosen: the kill
    /// is meant to serve it. It stops waiting when it gets pages, ends
    /// (served or failed back to its caller), or its task exits.
    struct Waiter: Equatable, Sendable {
        var pid: Int
        var startedTick: Int
        /// The tick of the kill it waits on.
        var since: Int
    }

    /// Every change of kind, oldest first; the first is `ok` at tick 0.
    public private(set) var changes: [Change] = [Change(tick: 0, kind: .ok, noticed: 0)]
    var waiters: [Waiter] = []
    /// OOM victims that have neither exited nor been reaped, by pid.
    var victims: [Int] = []
    /// The tick the last live OOM victim exited or was reaped.
    public internal(set) var lastVictimGoneTick: Int?

    public var kind: Verdict.Kind { changes[changes.count - 1].kind }
    /// The outstanding victim chosen first, if any.
    public var oldestVictim: Int? { victims.first }
    public var current: Change { changes[changes.count - 1] }

    /// Records a change to `kind`, whose condition began at `since` (at or
    /// before `now`). A backdated stall or livelock replaces the "pending"
    /// entries it covers; it never rewrites any other kind, so when another
    /// kind stands in the way it begins `now`, when that one ended.
    mutating func record(_ kind: Verdict.Kind, since: Int, now: Int) {
        if kind.isStuck {
            while changes.count > 1, let last = changes.last, last.kind == .pending, last.tick >= since {
                changes.removeLast()
            }
        }
        let last = changes[changes.count - 1]
        if last.kind == kind { return }
        changes.append(Change(tick: last.tick <= since ? since : now, kind: kind, noticed: now))
    }

    /// Ticks spent in stall, livelock or deadlock, up to `now`.
    public func stuckTicks(upTo now: Int) -> Int {
        ticks(upTo: now) { $0.isStuck }
    }

    /// Ticks spent in kinds matching `match`, up to `now`.
    public func ticks(upTo now: Int, where match: (Verdict.Kind) -> Bool) -> Int {
        var total = 0
        for (n, c) in changes.enumerated() where match(c.kind) {
            let end = n + 1 < changes.count ? changes[n + 1].tick : now
            total += Swift.max(0, end - c.tick)
        }
        return total
    }

    /// The tick of the first change away from `ok`, if any.
    public var troubleTick: Int? { changes.count > 1 ? changes[1].tick : nil }

    /// The tick the run last became `recovered`, if that is where it stands.
    public var recoveredTick: Int? { kind == .recovered ? current.tick : nil }
}

extension Verdict.Kind {
    /// Stall, livelock and deadlock: the system cannot make progress on its own.
    public var isStuck: Bool { self == .stall || self == .livelock || self == .deadlock }
}
