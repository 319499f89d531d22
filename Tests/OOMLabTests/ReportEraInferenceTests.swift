import Testing
@testable import OOMLab
@testable import OOMLabKernel

/// Era inference without a release line (ReportEraClues.swift): each format
/// the kernel printed differently bounds the release, the bounds are
/// intersected, and the explanation names the clues that decided.
@Suite("Era from the report's formats when no release is printed")
struct ReportEraInferenceTests {
    /// A memory cgroup OOM whose two tasks both have oom_score_adj -998 in a
    /// 256 MiB cgroup: every task's badness is negative under the 5.9+ rules
    /// and clamped to 1 before, so the era decides the victim.
    static func negativeBadnessReport(killLines: [String]) -> String {
        """
        stress invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=-998
        memory: usage 262144kB, limit 262144kB, failcnt 10
        Tasks state (memory values in pages):
        [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name
        [    100]  1000   100     2000     1000    40960        0          -998 small
        [    200]  1000   200    60000    50000   409600        0          -998 big

        """ + killLines.joined(separator: "\n") + "\n"
    }

    static let modernKill = [
        "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/pod,task_memcg=/pod,task=big,pid=200,uid=1000",
        "Memory cgroup out of memory: Killed process 200 (big) total-vm:240000kB, anon-rss:200000kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:400kB oom_score_adj:-998",
    ]
    static let sacrificeKill = [
        "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/pod,task_memcg=/pod,task=small,pid=100,uid=1000",
        "Memory cgroup out of memory: Kill process 100 (small) score 1 or sacrifice child",
        "Killed process 100 (small) total-vm:8000kB, anon-rss:4000kB, file-rss:0kB, shmem-rss:0kB",
    ]

    @Test("all-negative badness: the 5.4+ kill line means the bigger task, the sacrifice line the first scanned")
    func negativeBadnessPicksByEra() throws {
        let modern = try OOMReportParser().parse(Self.negativeBadnessReport(killLines: Self.modernKill))
        let older = try OOMReportParser().parse(Self.negativeBadnessReport(killLines: Self.sacrificeKill))
        let m = ReportExplainer.explain(modern), o = ReportExplainer.explain(older)
        // The clues: 5.4+ (pgtables:/oom_score_adj: in the kill line) versus 5.0 (oom-kill: is
        // 5.0 on, "or sacrifice child" before 5.1).
        #expect(!m.era.rules.clampToOne && m.era.kernel.atLeast(5, 9))
        #expect(o.era.rules.clampToOne && !o.era.kernel.atLeast(5, 1) && o.era.kernel.atLeast(5, 0))
        #expect(m.era.clues.contains("\"pgtables:\"/\"oom_score_adj:\" in the kill line"))
        #expect(o.era.clues.contains("the \"... or sacrifice child\" line"))
        // Every task is negative under 5.9+, 1 under the clamp.
        #expect(m.ranking.allSatisfy { ($0.points ?? 0) < 0 })
        #expect(o.ranking.allSatisfy { $0.points == 1 })
        #expect(m.modelChoice?.pid == 200 && m.agree)
        #expect(o.modelChoice?.pid == 100 && o.agree)
        // Read with the other era's rules, each picks the other task.
        let swapped = ReportExplainer.explain(modern, era: o.era)
        #expect(swapped.modelChoice?.pid == 100 && !swapped.agree)
        // explain-report says which clue decided.
        #expect(m.text().contains("decided by"))
        #expect(m.text().contains("Edward Chron"))
        #expect(o.text().contains("bbbe48029720"))
    }

    /// The era a single kernel line implies.
    static func era(_ lines: String) throws -> ReportEra {
        ReportEra.infer(from: try OOMReportParser().parse(lines))
    }

    @Test("each clue bounds the release the way its kernel change did")
    func eachClue() throws {
        // oom-kill: summary, 5.0 on.
        let summary = try Self.era("oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=java,pid=7,uid=0\n")
        #expect(summary.kernel.atLeast(5, 0))
        #expect(summary.clues == ["the \"oom-kill:constraint=...\" summary line"])
        // "or sacrifice child", before 5.1.
        let select = try Self.era("Out of memory: Kill process 7 (java) score 900 or sacrifice child\n")
        #expect(!select.kernel.atLeast(5, 1) && select.rules.sacrificesChild)
        // UID: without pgtables:, exactly 5.3.
        let uid = try Self.era("Out of memory: Killed process 7 (java) total-vm:4kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB, UID:0\n")
        #expect(uid.kernel.major == 5 && uid.kernel.minor == 3)
        // A whole line ending at file-rss: before shmem-rss (4.5).
        let old = try Self.era("Killed process 7 (java) total-vm:4kB, anon-rss:4kB, file-rss:0kB\n")
        #expect(!old.kernel.atLeast(4, 5))
        // Table columns.
        let nrPmds = try Self.era("[ pid ]   uid  tgid total_vm      rss nr_ptes nr_pmds swapents oom_score_adj name\n[ 7]     0     7      100       50       4       3        0             0 java\nOut of memory: Kill process 7 (java) score 1 or sacrifice child\n")
        #expect(nrPmds.kernel.atLeast(4, 0) && !nrPmds.kernel.atLeast(4, 15))
        let cpu = try Self.era("[ pid ]   uid  tgid total_vm      rss cpu oom_adj oom_score_adj name\n[ 7]     0     7      100       50   0       0             0 java\nOut of memory: Kill process 7 (java) score 1 or sacrifice child\n")
        #expect(!cpu.kernel.atLeast(3, 6))
        // Nothing at all: said so.
        let none = try Self.era("Mem-Info:\nactive_anon:1 inactive_anon:0 isolated_anon:0\n")
        #expect(none.source.contains("no format clue"))
    }

    @Test("contradicting clues (a vendor backport) are set aside and named")
    func contradiction() throws {
        // nr_ptes without nr_pmds is 3.6-3.19; "UID:" in the kill line is 5.3+.
        let era = try Self.era("[ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name\n[ 7]     0     7      100       50       4        0             0 java\nOut of memory: Killed process 7 (java) total-vm:400kB, anon-rss:200kB, file-rss:0kB, shmem-rss:0kB, UID:0\n")
        #expect(era.kernel.atLeast(3, 6) && !era.kernel.atLeast(4, 0))
        #expect(era.source.contains("set aside"))
        #expect(era.source.contains("\"UID:\" in the kill line"))
    }

    @Test("a report without a CPU line takes the release its paste's other reports print")
    func releaseFromTheSamePaste() throws {
        let reports = try OOMReportParser().parseAll(ReportFixtures.named("150"))
        #expect(reports.count == 2)
        #expect(reports[0].kernelVersion?.release == "3.10.0-327.4.5.el7.x86_64")
        #expect(reports[0].kernelVersionFromReport == 2)
        let e = ReportExplainer.explain(reports[0])
        #expect(e.era.source == "kernel 3.10.0-327.4.5.el7.x86_64 (CPU line of report 2 in the same paste)")
        #expect(e.era.rules.rootDiscount == .adjMinus30)
    }
}
