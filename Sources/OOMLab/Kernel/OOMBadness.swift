/// The rules of oom_badness() that changed between kernel releases. The
/// simulator uses two of them (`Era.badnessRules`); the report importer picks
/// the one matching a report's kernel version. docs/kernel.md §6.3, §10.3.
public struct BadnessRules: Equatable, Sendable {
    public enum RootDiscount: Equatable, Sendable {
        /// 4.17 and later: no discount.
        case none
        /// 3.14-4.16: CAP_SYS_ADMIN tasks lose 3% of their points.
        case threePercent
        /// 3.5-3.13: CAP_SYS_ADMIN tasks get 30 taken off oom_score_adj before scaling.
        case adjMinus30
        /// Before 3.5: score normalised to 0..1000, root gets -30, clamp [1, 1000].
        case legacyNormalized
    }
    public var rootDiscount: RootDiscount
    /// Before 5.9 a killable task scores at least 1; from 5.9 it may go negative.
    public var clampToOne: Bool
    /// From 5.3 an equal score later in the scan replaces the chosen task;
    /// before, the first one scanned keeps the lead.
    public var laterTieWins: Bool

    public init(rootDiscount: RootDiscount, clampToOne: Bool, laterTieWins: Bool) {
        self.rootDiscount = rootDiscount
        self.clampToOne = clampToOne
        self.laterTieWins = laterTieWins
    }

    /// v4.0 (the 2015 debate).
    public static let v4_0 = BadnessRules(rootDiscount: .threePercent, clampToOne: true, laterTieWins: false)
    /// v6.x.
    public static let v6 = BadnessRules(rootDiscount: .none, clampToOne: false, laterTieWins: true)
}

extension Era {
    public var badnessRules: BadnessRules { self == .v2015 ? .v4_0 : .v6 }
}

/// The inputs oom_badness() reads from one task, in pages.
public struct BadnessInput: Equatable, Sendable {
    public var rss: Int
    public var swapEntries: Int
    public var pageTablePages: Int
    public var oomScoreAdj: Int
    /// Holds CAP_SYS_ADMIN (uid 0 outside a container).
    public var isRoot: Bool
    /// -1000, a kernel thread, or (modern) an mm with MMF_OOM_SKIP.
    public var unkillable: Bool

    public init(rss: Int, swapEntries: Int, pageTablePages: Int, oomScoreAdj: Int,
                isRoot: Bool, unkillable: Bool = false) {
        self.rss = rss
        self.swapEntries = swapEntries
        self.pageTablePages = pageTablePages
        self.oomScoreAdj = oomScoreAdj
        self.isRoot = isRoot
        self.unkillable = unkillable
    }
}

public enum OOMScoreAdj {
    /// OOM_SCORE_ADJ_MIN: never chosen.
    public static let min = -1000
    /// OOM_SCORE_ADJ_MAX.
    public static let max = 1000
}

/// oom_badness(): how much memory killing the task would free, adjusted by
/// oom_score_adj. nil means the task is never chosen (the kernel returns 0 in
/// 4.0 and LONG_MIN from 5.9).
/// `totalPages` is RAM plus swap for a global OOM (the memcg limit for memcg).
/// oom_badness, mm/oom_kill.c.
public func oomBadness(_ t: BadnessInput, totalPages: Int, rules: BadnessRules) -> Int? {
    if t.unkillable || t.oomScoreAdj == OOMScoreAdj.min { return nil }
    var points = t.rss + t.swapEntries + t.pageTablePages
    var adj = t.oomScoreAdj
    switch rules.rootDiscount {
    case .none:
        break
    case .threePercent:
        if t.isRoot { points -= points * 3 / 100 }
    case .adjMinus30:
        if t.isRoot { adj -= 30 }
    case .legacyNormalized:
        // 2.6.36-3.4: points = rss+swap+ptes normalised to 1000 of totalpages,
        // root -30, then adj added directly, clamped to [1, 1000].
        guard totalPages > 0 else { return nil }
        var p = points * 1000 / totalPages
        if t.isRoot { p -= 30 }
        p += adj
        return Swift.min(Swift.max(p, 1), 1000)
    }
    points += adj * (totalPages / 1000)
    if rules.clampToOne { return points > 0 ? points : 1 }
    return points
}

/// /proc/PID/oom_score as the era prints it. 4.0: badness * 1000 / totalpages
/// (0 for unkillable). >= 5.9: (1000 + badness * 1000 / totalpages) * 2 / 3.
/// proc_oom_score, fs/proc/base.c.
public func procOOMScore(_ t: BadnessInput, totalPages: Int, rules: BadnessRules) -> Int {
    guard totalPages > 0, let badness = oomBadness(t, totalPages: totalPages, rules: rules) else { return 0 }
    if rules.clampToOne {
        return badness * 1000 / totalPages
    }
    return (1000 + badness * 1000 / totalPages) * 2 / 3
}

/// The score the kill line prints: chosen_points * 1000 / totalpages
/// ("Kill process N (comm) score S or sacrifice child", before 5.1).
public func reportedOOMScore(points: Int, totalPages: Int) -> Int {
    totalPages > 0 ? points * 1000 / totalPages : 0
}

extension BadnessRules {
    /// The oom_badness() rules of a given kernel release (docs/kernel.md §10.3):
    /// before 3.5 the normalised 0..1000 score; 3.5-3.13 root loses 30 of adj;
    /// 3.14-4.16 root loses 3% of points; 4.17 on, no discount. A killable task
    /// scores at least 1 before 5.9. From 5.3 an equal later task wins the tie.
    /// oom_badness and select_bad_process / oom_evaluate_task, mm/oom_kill.c.
    public static func forKernel(major: Int, minor: Int) -> BadnessRules {
        let v = major * 1000 + minor
        let root: RootDiscount
        switch v {
        case ..<3005: root = .legacyNormalized
        case ..<3014: root = .adjMinus30
        case ..<4017: root = .threePercent
        default: root = .none
        }
        return BadnessRules(rootDiscount: root, clampToOne: v < 5009, laterTieWins: v >= 5003)
    }
}
