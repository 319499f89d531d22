import Foundation
import Testing
@testable import OOMLab
@testable import OOMLabKernel

@Suite("Explaining a report: the model's choice against the kernel's (docs/kernel.md §10.3)")
struct ReportExplainerTests {
    /// Every complete global and memcg report: (file prefix, kernel's victim, printed score if any).
    static let complete: [(String, Int?, Int?)] = [
        ("002", 23437, 303), ("004", 2935, 98), ("008", 996, nil), ("011", 18006, nil), ("012", nil, nil),
        ("016", 4821, 447), ("019", 2831, 57), ("027", 116, nil), ("029", 183960, nil), ("031", 32308, 1718),
        ("038", 4045, nil), ("039", 31995, 442), ("synthetic-3.10", 9252, 1144),
    ]

    @Test("the model chooses the kernel's victim", arguments: complete)
    func agrees(prefix: String, victim: Int?, score: Int?) throws {
        let e = ReportExplainer.explain(try ReportFixtures.report(prefix))
        #expect(e.kernelChoice?.pid == victim)
        #expect(e.modelChoice?.pid == victim)
        #expect(e.agree)
        #expect(e.printedScore == score)
        // The printed score is reproduced exactly wherever the table shows every input.
        if let score, prefix != "039" { #expect(e.modelScore == score) }
    }

    @Test("eras from the CPU line and from the formats")
    func eras() throws {
        let labels = try ["002", "004", "008", "011", "016", "019", "031", "039", "synthetic-3.10"].map {
            ReportEra.infer(from: try ReportFixtures.report($0)).label
        }
        #expect(labels == ["4.17-5.0", "3.14-4.16", "5.9+", "5.3-5.8", "3.14-4.16", "3.14-4.16", "3.14-4.16",
                           "2.6.36-3.4", "3.5-3.13"])
        #expect(BadnessRules.forKernel(major: 4, minor: 0) == .v4_0)
        #expect(BadnessRules.forKernel(major: 6, minor: 13) == .v6)
        #expect(BadnessRules.forKernel(major: 5, minor: 8) == BadnessRules(rootDiscount: .none, clampToOne: true, laterTieWins: true))
        #expect(BadnessRules.forKernel(major: 3, minor: 10).rootDiscount == .adjMinus30)
        #expect(BadnessRules.forKernel(major: 3, minor: 4).rootDiscount == .legacyNormalized)
        #expect(ReportEra.named("modern")?.rules == .v6)
        #expect(ReportEra.named("2015")?.rules == .v4_0)
        #expect(ReportEra.named("4.17")?.label == "4.17-5.0")
        #expect(ReportEra.named("banana") == nil)
    }

    @Test("4.0: mysqld is chosen for its swap entries, not the largest rss; parts of the badness")
    func parts() throws {
        let e = ReportExplainer.explain(try ReportFixtures.report("019"))
        #expect(e.totalPages == 262047 - 9138 + 65535)
        let top = try #require(e.ranking.first)
        #expect(top.pid == 2831 && top.points == 6457 + 11904 + 73)
        let root = try #require(e.ranking.first { $0.pid == 2853 })   // linode-longview, uid 0
        #expect(root.rootDiscount == (1524 + 2162 + 19) * 3 / 100)
        #expect(root.points == 1524 + 2162 + 19 - root.rootDiscount)
        let never = try #require(e.ranking.last)
        #expect(never.points == nil && never.excluded == "oom_score_adj -1000")
    }

    @Test("--era overrides the report's rules")
    func override() throws {
        let r = try ReportFixtures.report("019")
        let e = ReportExplainer.explain(r, era: ReportEra.named("modern"))
        #expect(e.era.label == "5.9+")
        #expect(e.ranking.first { $0.pid == 2853 }?.rootDiscount == 0)
        #expect(e.agree)
    }

    @Test("sacrifice child: the kernel selected one task and killed its child")
    func sacrificeChild() throws {
        let text = ReportFixtures.named("019").replacingOccurrences(
            of: "Killed process 2831 (mysqld) total-vm:343084kB",
            with: "Killed process 25014 (apache2) total-vm:166568kB")
        let e = ReportExplainer.explain(try OOMReportParser().parse(text))
        #expect(e.kernelChoice == .init(pid: 2831, name: "mysqld"))
        #expect(e.kernelKilled == .init(pid: 25014, name: "apache2"))
        #expect(e.agree)
        #expect(e.reasons.contains { $0.contains("sacrifice child") })
    }

    @Test("oom_kill_allocating_task: the kernel killed the allocating task without a scan")
    func allocatingTask() throws {
        let text = ReportFixtures.named("019")
            .replacingOccurrences(of: "Out of memory: Kill process 2831 (mysqld) score 57 or sacrifice child",
                                  with: "Out of memory (oom_kill_allocating_task): Kill process 26613 (apache2) score 26 or sacrifice child")
            .replacingOccurrences(of: "Killed process 2831 (mysqld)", with: "Killed process 26613 (apache2)")
        let r = try OOMReportParser().parse(text)
        #expect(r.killedAllocatingTask)
        let e = ReportExplainer.explain(r)
        #expect(e.kernelChoice?.pid == 26613 && e.modelChoice?.pid == 26613 && e.agree)
        #expect(e.reasons == ["vm.oom_kill_allocating_task=1: the kernel killed the allocating task 26613 (apache2) without scanning the tasks",
                              "with a scan the model would pick 2831 (mysqld)"])
    }

    @Test("when the choices differ the explanation names what the report does not show")
    func differ() throws {
        // The kernel's victim of report 1 is still listed in report 2 (it was exiting).
        let one = ReportFixtures.named("019")
        let two = one.replacingOccurrences(of: "Out of memory: Kill process 2831 (mysqld) score 57 or sacrifice child",
                                           with: "Out of memory: Kill process 25014 (apache2) score 50 or sacrifice child")
            .replacingOccurrences(of: "Killed process 2831 (mysqld)", with: "Killed process 25014 (apache2)")
        let all = try OOMReportParser().parseAll(one + two)
        let e = ReportExplainer.explain(all[1], earlier: [all[0]])
        #expect(!e.agree)
        #expect(e.modelChoice?.pid == 2831 && e.kernelChoice?.pid == 25014)
        #expect(e.reasons.contains("2831 (mysqld) was already the victim of report 1 and was still exiting "
                                   + "(victim already dying): the kernel passes over or waits for a dying victim"))
        #expect(e.reasons.last?.hasPrefix("state not shown in the report can explain it") == true)
    }

    @Test("JSON has exactly the documented keys")
    func json() throws {
        let e = ReportExplainer.explain(try ReportFixtures.report("031"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(e.json().utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["schema_version", "era", "era_source", "era_clues", "constraint", "memcg", "total_pages",
                                     "kernel_choice", "model_choice", "agree", "ranking"])
        #expect(object["era"] as? String == "3.14-4.16")
        #expect(object["constraint"] as? String == "memcg")
        #expect(object["total_pages"] as? Int == 31488)
        #expect(object["agree"] as? Bool == true)
        let kernel = try #require(object["kernel_choice"] as? [String: Any])
        #expect(kernel["pid"] as? Int == 32308 && kernel["name"] as? String == "stress")
        let ranking = try #require(object["ranking"] as? [[String: Any]])
        #expect(ranking.count == 6)
        #expect(Set(ranking[0].keys) == ["pid", "name", "points", "rss", "swapents", "pgtables", "oom_score_adj"])
        #expect(ranking[0]["points"] as? Int == 54124)
        #expect(ranking.last?["name"] as? String == "pause" && ranking.last?["points"] as? Int == 1)   // clamped to 1
        let modern = try #require(try JSONSerialization.jsonObject(
            with: Data(ReportExplainer.explain(try ReportFixtures.report("027")).json().utf8)) as? [String: Any])
        #expect((modern["ranking"] as? [[String: Any]])?.last?["points"] is NSNull)   // oom_score_adj -1000
    }

    @Test("the text page states era, totalpages, both choices and the ranking")
    func text() throws {
        let t = ReportExplainer.explain(try ReportFixtures.report("027")).text()
        let lines = t.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "report 1 of 1 (lines 1-68): stress-ng-vm (pid 116) invoked the OOM killer, "
                + "gfp_mask=0x440dc0(GFP_KERNEL_ACCOUNT|__GFP_COMP|__GFP_ZERO), order=0, oom_score_adj=1000")
        #expect(lines[1] == "era: 5.9+ rules (kernel 6.11.0-10669-g11a299a7933e-dirty (CPU line)): no root discount, "
                + "badness may be negative, a later equal score wins")
        #expect(lines[3] == "total pages: 2029656 (RAM 2097022 - reserved 67366 + swap 0 pages; page size 4 KiB, from the buddy list)")
        #expect(lines[4] == "kernel's choice: 116 (stress-ng-vm)")
        #expect(lines[5] == "model's choice:  116 (stress-ng-vm)")
        #expect(lines[6] == "agree: yes")
        #expect(lines[8] == "rank  pid  name           points      rss  swapents  pgtables    adj  adj term  root -")
        #expect(lines[9] == "   1  116  stress-ng-vm  4028217  1995298         0      3919   1000   2029000       0  <- kernel, model")
        #expect(lines[lines.count - 2] == "   -  115  stress-ng-vm        -      270         0        15  -1000  -2029000       0  never chosen: oom_score_adj -1000")
    }
}
