import OOMLabKernel

/// Why the kernel chose its victim, recomputed: every task of a report's
/// table scored by the era's oom_badness with its parts, the model's choice
/// (select_bad_process over the table in scan order with the era's tie rule)
/// beside the kernel's, and, when they differ, what the report does not show
/// that explains it. docs/kernel.md §6, §10.3.
public struct ReportExplanation: Equatable, Sendable {
    public var report: OOMReport
    public var era: ReportEra
    public var constraint: OOMReport.Constraint
    /// oom_badness's scale: the OOM's totalpages, nil when the report does not tell.
    public var totalPages: Int?
    /// How totalPages was found ("RAM 262047 - reserved 9138 + swap 65535").
    public var totalPagesSource: String
    /// Every task, highest points first (unkillable last), ties in scan order.
    public var ranking: [RankedTask]
    /// The task the kernel selected (the "Kill process" line before 5.1).
    public var kernelChoice: Choice?
    /// The task that died, when it differs from the selected one (a sacrificed child).
    public var kernelKilled: Choice?
    public var modelChoice: Choice?
    /// Whether the kernel's choice could be compared with the model's: the
    /// report has a task table and says what the kernel chose (a victim, or
    /// "no killable processes"). When not, `agree` is false and the outputs
    /// say "not compared" instead of claiming either.
    public var compared: Bool
    /// Why nothing was compared, when `compared` is false.
    public var notComparedBecause: String?
    public var agree: Bool
    /// The score the kernel printed for its choice and the model's for the same task.
    public var printedScore: Int?
    public var modelScore: Int?
    /// Why the choices differ, or what limits the comparison; empty when
    /// there is nothing to say.
    public var reasons: [String]
    /// How the OOM ended: a kill, or not (panic_on_oom, nothing killable).
    public var outcome: Outcome = .kill

    public enum Outcome: String, Equatable, Sendable {
        /// The kernel chose a victim and killed it.
        case kill
        /// vm.oom_kill_allocating_task=1: the allocating task died, no scan.
        case allocatingTask = "oom_kill_allocating_task"
        /// vm.panic_on_oom: "Kernel panic - not syncing: Out of memory:
        /// {system-wide,compulsory} panic_on_oom is enabled"; no victim.
        /// check_panic_on_oom, mm/oom_kill.c.
        case panicOnOOM = "panic_on_oom"
        /// "Out of memory and no killable processes...": a global OOM then
        /// panics; a memcg OOM fails the charge instead. out_of_memory, mm/oom_kill.c.
        case noKillable = "no killable processes"
        /// The report does not show how it ended.
        case unknown
    }

    public struct Choice: Equatable, Sendable {
        public var pid: Int
        /// Empty when the paste ends inside the kill line's name.
        public var name: String

        /// "946 (sshd)", or "946 (name cut off in the paste)".
        public var shown: String { "\(pid) (\(name.isEmpty ? "name cut off in the paste" : name))" }
    }
}

/// One task of the ranking, with the parts of its badness (pages).
public struct RankedTask: Equatable, Sendable {
    public var pid: Int
    public var name: String
    public var uid: Int
    public var rss: Int
    public var swapents: Int
    public var pgtables: Int
    public var oomScoreAdj: Int
    /// oom_score_adj * (totalpages / 1000), as added to the points.
    public var adjTerm: Int
    /// What the root discount took off (0 when none applies).
    public var rootDiscount: Int
    /// oom_badness; nil when the task is never chosen.
    public var points: Int?
    /// Why the task cannot be chosen ("oom_score_adj -1000").
    public var excluded: String?
    /// Position in the task table (the kernel's scan order).
    public var scanIndex: Int
}

public enum ReportExplainer {
    /// Explains `report`. `era` overrides the inferred one; `earlier` are the
    /// reports before it in the same file (a victim of those may still be
    /// exiting, or already reaped).
    public static func explain(_ report: OOMReport, era: ReportEra? = nil,
                               earlier: [OOMReport] = []) -> ReportExplanation {
        let era = era ?? ReportEra.infer(from: report)
        let rows = report.table?.rows ?? []
        var reasons: [String] = []
        let (total, totalSource) = totalPages(report, era: era)
        let container = isContainer(report)

        let reaped: [Int: Int] = Dictionary(
            earlier.flatMap { r in r.reapedPids.map { ($0, r.index) } }, uniquingKeysWith: { a, _ in a })
        let ranking = rank(rows, report: report, era: era, totalPages: total ?? 0,
                           rootIsAdmin: !container, reaped: era.kernel.atLeast(4, 6) ? reaped : [:])
        let model = selectBadProcess(ranking, rules: era.rules)

        var kernel: ReportExplanation.Choice?
        var killed: ReportExplanation.Choice?
        let byPid = Dictionary(rows.map { ($0.pid, $0) }, uniquingKeysWith: { a, _ in a })
        if let s = report.selectLine {
            kernel = .init(pid: s.pid, name: s.comm)
            if let k = report.killedLine, k.pid != s.pid {
                if byPid[s.pid] == nil, byPid[k.pid] != nil, k.comm == s.comm {
                    // 3.x memcg OOMs scan threads: the select line names a thread.
                    reasons.append("the kernel's scan named thread \(s.pid); \"Killed process\" names its "
                                   + "thread group leader \(k.pid), the same victim")
                    kernel = .init(pid: k.pid, name: k.comm)
                } else {
                    let child = ReportExplanation.Choice(pid: k.pid, name: k.comm)
                    killed = child
                    reasons.append("the kernel selected \(ReportExplanation.Choice(pid: s.pid, name: s.comm).shown) "
                                   + "and killed its child \(child.shown) "
                                   + "instead (sacrifice child, before 5.1); the model compares the selection")
                }
            }
        } else if let k = report.killedLine {
            kernel = .init(pid: k.pid, name: k.comm)
        } else if let s = report.summary, let pid = s.pid {
            kernel = .init(pid: pid, name: s.comm ?? "")
        }

        var modelChoice = model.map { ReportExplanation.Choice(pid: $0.pid, name: $0.name) }
        if report.killedAllocatingTask, let inv = report.invoking, let k = kernel {
            reasons.append("vm.oom_kill_allocating_task=1: the kernel killed the allocating task "
                           + "\(k.pid) (\(inv.comm)) without scanning the tasks")
            if let m = modelChoice, m.pid != k.pid {
                reasons.append("with a scan the model would pick \(m.pid) (\(m.name))")
            }
            modelChoice = k
        }
        var notCompared: String?
        var outcome = ReportExplanation.Outcome.kill
        if report.panicOnOOM && kernel == nil {
            outcome = .panicOnOOM
            let scope = report.panicMessage?.contains("compulsory") == true
                ? "vm.panic_on_oom=2 (compulsory: even a memcg or cpuset OOM panics)"
                : "vm.panic_on_oom=1 (system-wide OOMs panic)"
            reasons.append("the kernel panicked without choosing a victim: \(scope)"
                           + (modelChoice.map { "; without panic_on_oom the model would kill \($0.pid) (\($0.name))" } ?? ""))
            modelChoice = nil
        } else if report.noKillableProcesses && kernel == nil {
            outcome = .noKillable
            if report.constraint == .memcg && !report.panicOnOOM {
                reasons.append("memcg OOM with nothing killable: the kernel failed the charge (the allocating task gets "
                               + "-ENOMEM or loops in the fault path); no panic")
            }
        } else if report.killedAllocatingTask {
            outcome = .allocatingTask
        } else if kernel == nil {
            outcome = .unknown
        }
        if outcome == .panicOnOOM {
            // Nothing to compare: the kernel's choice is the panic, which no badness decides.
        } else if report.killedAllocatingTask, report.table == nil, let inv = report.invoking, let k = kernel {
            // No scan and no table: the allocating task is the choice.
            if let pid = inv.pid { modelChoice = .init(pid: pid, name: inv.comm) }
            else { notCompared = "the report does not show the allocating task's pid (no CPU line)" }
            _ = k
        } else if report.table == nil {
            notCompared = "the report has no task table"
        } else if kernel == nil && !report.noKillableProcesses {
            notCompared = "the report does not say which task the kernel chose"
        }
        let agree = notCompared == nil && modelChoice?.pid == kernel?.pid

        // The printed score (before 5.1) against the model's for the same task.
        var printed: Int?
        var modelScore: Int?
        if let s = report.selectLine?.score, let k = kernel, let t = ranking.first(where: { $0.pid == k.pid }),
           let points = t.points {
            printed = s
            if era.rules.rootDiscount == .legacyNormalized {
                modelScore = points
            } else if let total, total > 0 {
                modelScore = reportedOOMScore(points: points, totalPages: total)
            }
        }

        reasons += notes(report, era: era, total: total, ranking: ranking, container: container)
        if !agree && notCompared == nil {
            reasons += whyDiffer(report, era: era, kernel: kernel, model: modelChoice, ranking: ranking,
                                 total: total, earlier: earlier, container: container, rows: rows)
        } else if let p = printed, let m = modelScore, p != m {
            reasons.append("the kernel printed score \(p), the model computes \(m)"
                           + (report.table?.format == .cpuOomAdj || report.table?.format == .oomAdjOnly
                              ? " (this table does not show page tables or swap entries, which the kernel counted)"
                              : ""))
        }

        let sorted = ranking.sorted { a, b in
            switch (a.points, b.points) {
            case let (x?, y?): return x != y ? x > y : a.scanIndex < b.scanIndex
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a.scanIndex < b.scanIndex
            }
        }
        return ReportExplanation(report: report, era: era, constraint: report.constraint, totalPages: total,
                                 totalPagesSource: totalSource, ranking: sorted, kernelChoice: kernel,
                                 kernelKilled: killed, modelChoice: modelChoice,
                                 compared: notCompared == nil, notComparedBecause: notCompared, agree: agree,
                                 printedScore: printed, modelScore: modelScore, reasons: reasons, outcome: outcome)
    }

    // MARK: - totalpages

    /// The OOM's totalpages (docs/kernel.md §10.3). Global: RAM pages minus
    /// reserved plus total swap pages. Memcg v1: min(limit + swap, memsw
    /// limit); v2: limit + min(swap.max, swap); the host's swap is not in a
    /// memcg report, so it counts as 0 there.
    /// constrained_alloc, mm/oom_kill.c; mem_cgroup_get_max, mm/memcontrol.c.
    static func totalPages(_ r: OOMReport, era: ReportEra) -> (Int?, String) {
        let ps = r.pageSize
        if r.constraint == .memcg {
            if let limit = r.memcg?.limitKB, limit < MemcgReport.unlimitedKB {
                let pages = limit * 1024 / ps
                return (pages, "memory cgroup limit \(limit)kB = \(pages) pages (the host's swap is not shown; "
                        + "taken as 0)")
            }
            if let ram = r.memInfo.ramPages {
                let t = ram - (r.memInfo.reservedPages ?? 0) + (r.memInfo.totalSwapKB ?? 0) * 1024 / ps
                return (t, "memcg limit not shown; the machine's RAM and swap used instead")
            }
        } else if let ram = r.memInfo.ramPages {
            let reserved = r.memInfo.reservedPages ?? 0
            let swap = (r.memInfo.totalSwapKB ?? 0) * 1024 / ps
            return (ram - reserved + swap, "RAM \(ram) - reserved \(reserved) + swap \(swap) pages")
        }
        // Not shown: recover it from the score the kernel printed for its victim.
        if let s = r.selectLine, let score = s.score, score > 0,
           let row = r.table?.rows.first(where: { $0.pid == s.pid }), row.oomScoreAdj == 0,
           era.rules.rootDiscount != .legacyNormalized {
            var points = row.rss + (row.swapents ?? 0) + row.pageTablePages(pageSize: ps)
            if era.rules.rootDiscount == .threePercent, row.uid == 0 { points -= points * 3 / 100 }
            let high = points * 1000 / score
            let low = points * 1000 / (score + 1) + 1
            if low <= high {
                let t = (low + high) / 2
                return (t, "not shown; estimated from the printed score \(score) of \(s.pid): \(low)-\(high) pages")
            }
        }
        return (nil, "not shown")
    }

    /// uid 0 inside a container usually lacks CAP_SYS_ADMIN, so it gets no
    /// root discount (docs/kernel.md §10.3).
    static func isContainer(_ r: OOMReport) -> Bool {
        let names = [r.memcg?.path, r.summary?.taskMemcg, r.summary?.oomMemcg, r.summary?.cpuset, r.cpuset]
            .compactMap { $0?.lowercased() }
        let markers = ["kubepods", "docker", "containerd", "cri-o", "crio-", "libpod", "lxc", "machine.slice"]
        if names.contains(where: { n in markers.contains(where: { n.contains($0) }) }) { return true }
        // docker/k8s v1 cpusets are named by a 64-hex container id.
        if let c = r.cpuset, c.count >= 64, c.allSatisfy(\.isHexDigit) { return true }
        return false
    }

    // MARK: - oom_badness and select_bad_process

    static func rank(_ rows: [TaskRow], report: OOMReport, era: ReportEra, totalPages: Int,
                     rootIsAdmin: Bool, reaped: [Int: Int]) -> [RankedTask] {
        let rules = era.rules
        return rows.enumerated().map { i, row in
            let pgtables = row.pageTablePages(pageSize: report.pageSize)
            let swap = row.swapents ?? 0
            let isRoot = row.uid == 0 && rootIsAdmin
            var excluded: String?
            if row.oomScoreAdj <= OOMScoreAdj.min { excluded = "oom_score_adj -1000" }
            else if row.pid == 1 { excluded = "init (pid 1)" }
            else if let k = reaped[row.pid] { excluded = "reaped after report \(k) (MMF_OOM_SKIP)" }
            let input = BadnessInput(rss: row.rss, swapEntries: swap, pageTablePages: pgtables,
                                     oomScoreAdj: row.oomScoreAdj, isRoot: isRoot, unkillable: excluded != nil)
            // The simulated kernel's oom_badness, parts and all: the root
            // discount and the adj term are not recomputed here.
            let parts = oomBadnessParts(input, totalPages: totalPages, rules: rules)
            let points = parts.points, adjTerm = parts.adjTerm, discount = parts.rootDiscount
            return RankedTask(pid: row.pid, name: row.name, uid: row.uid, rss: row.rss, swapents: swap,
                              pgtables: pgtables, oomScoreAdj: row.oomScoreAdj, adjTerm: adjTerm,
                              rootDiscount: discount, points: points, excluded: excluded, scanIndex: i)
        }
    }

    /// The task select_bad_process would choose, scanning in table order:
    /// the highest points; on a tie the first keeps the lead before 5.3 and
    /// the later one wins from 5.3. select_bad_process / oom_evaluate_task, mm/oom_kill.c.
    public static func selectBadProcess(_ tasks: [RankedTask], rules: BadnessRules) -> RankedTask? {
        var chosen: RankedTask?
        for t in tasks.sorted(by: { $0.scanIndex < $1.scanIndex }) {
            guard let p = t.points else { continue }
            if oomEvaluateReplaces(p, chosen: chosen?.points, rules: rules) { chosen = t }
        }
        return chosen
    }

    // MARK: - What to say

    static func notes(_ r: OOMReport, era: ReportEra, total: Int?, ranking: [RankedTask], container: Bool) -> [String] {
        var out = r.warnings
        if r.table == nil && !r.noKillableProcesses { out.append("the report has no task table") }
        for k in [r.selectLine, r.killedLine].compactMap({ $0 }) where k.nameCut {
            out.append("the kill line on line \(k.line) was cut before the task's name: pid \(k.pid) is the kernel's, its name is not in the paste")
        }
        if r.table?.format == .oomAdjOnly {
            out.append("this kernel (before 2.6.36) scored tasks by total_vm, CPU time, nice and children, "
                       + "which oomlab does not model; the ranking uses the 2.6.36 rules")
        }
        if total == nil, ranking.contains(where: { $0.oomScoreAdj != 0 && $0.excluded == nil }) {
            out.append("totalpages is not shown, so oom_score_adj could not be weighted")
        }
        if container, era.rules.rootDiscount != .none, ranking.contains(where: { $0.uid == 0 }) {
            out.append("uid 0 in a container lacks CAP_SYS_ADMIN: no root discount applied")
        }
        if r.constraint == .cpuset || r.constraint == .mempolicy {
            out.append("\(r.constraint.rawValue) constraint: the kernel's totalpages is the allowed nodes' memory, "
                       + "which the report does not show; the whole machine's is used")
        }
        return out
    }

    static func whyDiffer(_ r: OOMReport, era: ReportEra, kernel: ReportExplanation.Choice?,
                          model: ReportExplanation.Choice?, ranking: [RankedTask], total: Int?,
                          earlier: [OOMReport], container: Bool, rows: [TaskRow]) -> [String] {
        var out: [String] = []
        guard let k = kernel else {
            if r.noKillableProcesses {
                out.append("the kernel found no killable process, the model would pick \(model.map { "\($0.pid)" } ?? "none")")
            } else {
                out.append("the report shows no kill: the kernel may have found a victim already exiting "
                           + "(task_will_free_mem) or the report was cut before the kill line")
            }
            return out
        }
        guard ranking.contains(where: { $0.pid == k.pid }) else {
            if r.table?.truncated == true {
                out.append("the task table is truncated: the kernel's victim \(k.pid) (\(k.name)) is not in the part shown")
            } else if r.table == nil {
                out.append("the report has no task table to rank")
            } else {
                out.append("the kernel's victim \(k.pid) (\(k.name)) is not in the task table (state not shown)")
            }
            return out
        }
        guard let m = model else {
            out.append("the model finds nothing killable, but the kernel killed \(k.pid)")
            return out
        }
        if let prior = earlier.last(where: { $0.kernelSelectedPid == m.pid || $0.killedLine?.pid == m.pid }) {
            out.append("\(m.pid) (\(m.name)) was already the victim of report \(prior.index) and was still exiting "
                       + "(victim already dying): the kernel passes over or waits for a dying victim")
        }
        // Would another reading of what the report leaves open reproduce the kernel's choice?
        let byPid = Dictionary(rows.map { ($0.pid, $0) }, uniquingKeysWith: { a, _ in a })
        let reaped: [Int: Int] = [:]
        if era.rules.rootDiscount != .none, rows.contains(where: { $0.uid == 0 }) {
            let alt = rank(rows, report: r, era: era, totalPages: total ?? 0, rootIsAdmin: container, reaped: reaped)
            if selectBadProcess(alt, rules: era.rules)?.pid == k.pid {
                out.append(container
                           ? "if uid 0 held CAP_SYS_ADMIN (root discount applied) the model agrees"
                           : "if uid 0 lacked CAP_SYS_ADMIN (no root discount, as in a container) the model agrees")
            }
        }
        for other in ["3.4", "3.10", "4.0", "4.19", "5.4", "6.1"] {
            guard let e = ReportEra.named(other), e.rules != era.rules else { continue }
            let alt = rank(rows, report: r, era: e, totalPages: total ?? 0, rootIsAdmin: !container, reaped: reaped)
            if selectBadProcess(alt, rules: e.rules)?.pid == k.pid {
                out.append("under the \(e.label) rules the model agrees (era stated as \(era.label): \(era.source))")
                break
            }
        }
        if r.constraint == .memcg {
            out.append("memcg constraint: the kernel scanned only the cgroup's tasks with the cgroup's limit as "
                       + "totalpages; the limit's swap share depends on the host's swap, not shown")
        }
        if let kt = byPid[k.pid], kt.oomScoreAdj > 0 || ranking.contains(where: { $0.oomScoreAdj != 0 }), total == nil {
            out.append("totalpages is not shown, so the oom_score_adj weights are unknown")
        }
        out.append("state not shown in the report can explain it: \(m.pid) (\(m.name)) may have been exiting, "
                   + "in vfork, already an OOM victim or reaped (MMF_OOM_SKIP), any of which makes the kernel pass it over")
        return out
    }
}
