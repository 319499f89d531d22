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
    /// Before 5.1 the chosen task's child with its own mm and the highest
    /// badness could be killed instead ("... or sacrifice child").
    public var sacrificesChild: Bool

    public init(rootDiscount: RootDiscount, clampToOne: Bool, laterTieWins: Bool, sacrificesChild: Bool? = nil) {
        self.rootDiscount = rootDiscount
        self.clampToOne = clampToOne
        self.laterTieWins = laterTieWins
        // Every release with the 5.3 tie rule is past 5.1; the older ones sacrificed children.
        self.sacrificesChild = sacrificesChild ?? !laterTieWins
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

/// oom_badness() with its parts, as `explain-report` shows them: the memory
/// (rss + swap entries + page tables, pages), what the root discount took off,
/// the oom_score_adj term, and the points. The simulated kernel and the
/// report importer both score through here, so the formula and the root
/// discount exist once.
public struct BadnessParts: Equatable, Sendable {
    /// rss + swap entries + page-table pages (before 3.5: that, normalised to 0..1000).
    public var memory: Int
    /// What the root (CAP_SYS_ADMIN) discount took off, in the points' unit.
    public var rootDiscount: Int
    /// oom_score_adj * (totalpages / 1000) (before 3.5: oom_score_adj itself).
    public var adjTerm: Int
    /// oom_badness; nil when the task is never chosen.
    public var points: Int?
}

/// oom_badness(): how much memory killing the task would free, adjusted by
/// oom_score_adj, with its parts. `points` is nil when the task is never
/// chosen (the kernel returns 0 in 4.0 and LONG_MIN from 5.9).
/// `totalPages` is RAM plus swap for a global OOM (the memcg limit for memcg).
/// oom_badness, mm/oom_kill.c.
public func oomBadnessParts(_ t: BadnessInput, totalPages: Int, rules: BadnessRules) -> BadnessParts {
    let memory = t.rss + t.swapEntries + t.pageTablePages
    let scale = totalPages / 1000
    let never = t.unkillable || t.oomScoreAdj == OOMScoreAdj.min
    switch rules.rootDiscount {
    case .legacyNormalized:
        // 2.6.36-3.4: points = rss+swap+ptes normalised to 1000 of totalpages,
        // root -30, then adj added directly, clamped to [1, 1000].
        guard totalPages > 0 else {
            return BadnessParts(memory: memory, rootDiscount: 0, adjTerm: t.oomScoreAdj, points: nil)
        }
        let normalised = memory * 1000 / totalPages
        let discount = t.isRoot ? 30 : 0
        let points = Swift.min(Swift.max(normalised - discount + t.oomScoreAdj, 1), 1000)
        return BadnessParts(memory: normalised, rootDiscount: discount, adjTerm: t.oomScoreAdj,
                            points: never ? nil : points)
    case .none, .threePercent, .adjMinus30:
        var discount = 0
        if t.isRoot && rules.rootDiscount == .threePercent { discount = memory * 3 / 100 }
        if t.isRoot && rules.rootDiscount == .adjMinus30 { discount = 30 * scale }
        let adjTerm = t.oomScoreAdj * scale
        var points = memory - discount + adjTerm
        if rules.clampToOne && points <= 0 { points = 1 }
        return BadnessParts(memory: memory, rootDiscount: discount, adjTerm: adjTerm, points: never ? nil : points)
    }
}

/// oom_badness()'s points alone. oom_badness, mm/oom_kill.c.
public func oomBadness(_ t: BadnessInput, totalPages: Int, rules: BadnessRules) -> Int? {
    oomBadnessParts(t, totalPages: totalPages, rules: rules).points
}

/// oom_evaluate_task()'s comparison: whether a task with `points` replaces
/// the one chosen so far. Higher wins; an equal score wins from 5.3 (the scan
/// keeps "points == chosen_points" candidates later in the list) and loses
/// before. Both the simulated kernel's select_bad_process and the importer's
/// scan of a report's table decide here. oom_evaluate_task, mm/oom_kill.c.
public func oomEvaluateReplaces(_ points: Int, chosen: Int?, rules: BadnessRules) -> Bool {
    guard let chosen else { return true }
    return points > chosen || (points == chosen && rules.laterTieWins)
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

/// One kernel release that changed how the OOM killer chooses its victim.
/// `BadnessRules.changes` is the one table of them: `forKernel` applies the
/// changes up to a release, and the report importer's era labels
/// ("3.14-4.16") are the spans between them. docs/kernel.md §10.3.
public struct BadnessRuleChange: Sendable {
    public var major: Int
    public var minor: Int
    /// What changed, in the kernel's terms.
    public var change: String
    /// The mainline commit's title (or the code it changed), for a reader to find it.
    public var commit: String
    let apply: @Sendable (inout BadnessRules) -> Void
}

extension BadnessRules {
    /// The rules of 2.6.36, the first rss-based oom_badness.
    static let base = BadnessRules(rootDiscount: .legacyNormalized, clampToOne: true, laterTieWins: false,
                                   sacrificesChild: true)

    /// Every release that changed a rule, oldest first. mm/oom_kill.c history.
    public static let changes: [BadnessRuleChange] = [
        BadnessRuleChange(major: 3, minor: 5, change: "points in pages, not 0..1000; CAP_SYS_ADMIN tasks get 30 taken off oom_score_adj",
                          commit: "\"mm, oom: normalize oom scores to oom_score_adj scale only for userspace\"",
                          apply: { $0.rootDiscount = .adjMinus30 }),
        BadnessRuleChange(major: 3, minor: 14, change: "the CAP_SYS_ADMIN bonus becomes 3% of the task's own points",
                          commit: "\"mm, oom: base root bonus on current usage\"",
                          apply: { $0.rootDiscount = .threePercent }),
        BadnessRuleChange(major: 4, minor: 17, change: "no CAP_SYS_ADMIN bonus",
                          commit: "\"mm, oom: remove 3% bonus for CAP_SYS_ADMIN processes\"",
                          apply: { $0.rootDiscount = .none }),
        BadnessRuleChange(major: 5, minor: 1, change: "no \"or sacrifice child\": the chosen task itself dies",
                          commit: "\"mm, oom: remove 'prefer children over parent' heuristic\"",
                          apply: { $0.sacrificesChild = false }),
        // d49ad9355420 ("mm, oom: prefer thread group leaders for display
        // purposes", 2012) skipped an equal score while the chosen task is a
        // thread-group leader, which a process's first thread is. Tetsuo
        // Handa's "mm: oom: Remove thread group leader check in
        // oom_evaluate_task()" (linux-mm 2019-06-18) removed that test; Michal
        // Hocko asked for it to be folded into the memcg patch named here, an
        // mm-tree patch of the 5.3 merge window (docs/kernel.md §15).
        BadnessRuleChange(major: 5, minor: 3, change: "an equal score later in the scan replaces the chosen task",
                          commit: "\"mm: memcontrol: use CSS_TASK_ITER_PROCS at mem_cgroup_scan_tasks()\"",
                          apply: { $0.laterTieWins = true }),
        BadnessRuleChange(major: 5, minor: 9, change: "points may go negative (no clamp to 1); unkillable is LONG_MIN",
                          commit: "\"mm, oom: make the calculation of oom badness more accurate\"",
                          apply: { $0.clampToOne = false }),
    ]

    /// The oom_badness() and selection rules of a kernel release: `changes`
    /// up to it applied to 2.6.36's. oom_badness, oom_evaluate_task, mm/oom_kill.c.
    public static func forKernel(major: Int, minor: Int) -> BadnessRules {
        var rules = base
        for c in changes where (c.major, c.minor) <= (major, minor) { c.apply(&rules) }
        return rules
    }

    /// The releases sharing `major.minor`'s rules, e.g. "3.14-4.16" or "5.9+".
    public static func span(major: Int, minor: Int) -> String {
        let from = changes.last { ($0.major, $0.minor) <= (major, minor) }.map { "\($0.major).\($0.minor)" } ?? "2.6.36"
        guard let next = changes.first(where: { ($0.major, $0.minor) > (major, minor) }) else { return from + "+" }
        // The release before the next change: 4.17 -> 4.16 (no change lands on an N.0).
        return "\(from)-\(next.major).\(next.minor - 1)"
    }
}
