import Testing
@testable import OOMLab
@testable import OOMLabKernel

/// `MemcgForm.cgroup`: a memcg report becomes a `cgroups:` block with the
/// report's limit and usage inside a larger machine. These tests check
/// what the scenario holds and that it loads and round-trips; they do not
/// run it (the simulated kernel's memcg OOM is another change).
@Suite("Importing a memcg report as a cgroup scenario")
struct ReportImporterCgroupTests {
    func imported(_ prefix: String, index: Int? = nil) throws -> Scenario {
        let report = try OOMReportParser().parse(ReportFixtures.named(prefix), index: index)
        return ReportImporter.scenario(from: report, memcgForm: .cgroup)
    }

    func path(_ s: String) throws -> CgroupPath { try CgroupPath.parse(s, at: SourceLocation(file: "t", line: 1, column: 1)) }

    @Test("5.15 v2 pod: the pod at its limit, the victim in its container, a machine 4 times the limit")
    func aksPod() throws {
        let s = try imported("029")
        let pod = try path("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod5931aa75_4603_4e65_b552_7c71cf55cfb5.slice")
        let container = try path(pod.description + "/cri-containerd-25a38b5b8d556d7983d975577f5ac75ebbcfb4b269e6deaa0a0440c1ffc969ca.scope")
        #expect(s.cgroups.version == .v2)
        #expect(s.cgroups.groups.map(\.path) == pod.lineage + [container])
        let spec = try #require(s.cgroups.group(pod))
        // 102400kB = 25600 pages; the table's rss (file pages counted in
        // every task that maps them) adds up to 29847: raised, and said so.
        #expect(spec.max == 29_847)
        #expect(s.description.contains("memory.max raised from 25600 to 29847 pages"))
        #expect(spec.swapMax == nil)  // swap limit 9007199254740988kB: max
        #expect(s.machine.ramPages == 4 * 29_847 && s.machine.slabUnreclaimablePages == 0)
        #expect(s.tasks.first { $0.pid == 183960 }?.cgroup == container)
        let others = s.tasks.filter { $0.pid != 183960 && $0.name != "memcg-other" }
        #expect(!others.isEmpty && others.allSatisfy { $0.cgroup == pod })
        #expect(s.initialCgroupCharges[pod]?.memory == 29_847 && !s.tasks.contains { $0.name == "memcg-other" })
        #expect(s.expect == Expectation(checks: [ExpectCheck(.killed([.pid(183960)]))]))
        #expect(s.description.contains("memory cgroup OOM: \(pod) with memory.max 29847 pages and usage 25600 pages"))
    }

    @Test("4.15 v1: the pod's memory.limit_in_bytes, the invoking task allocating past it")
    func k3sV1() throws {
        let s = try imported("031")
        let pod = try path("/kubepods/burstable/podbc001ffa-68fc-11e9-92d7-5ef9efd9374c")
        #expect(s.cgroups.version == .v1 && s.cgroups.group(pod)?.max == 32_234)   // 125952kB = 31488, raised to the rss
        // The stress task allocates past the limit, far below the machine's free memory.
        guard case .alloc(let a)? = s.tasks.first(where: { $0.pid == 32332 })?.program.first else {
            Issue.record("the invoking task does not allocate")
            return
        }
        // The room under the (raised) limit, 32234 - 31488 pages, and one round of 64 past it.
        #expect(a.pages == 746 + 64 && s.tasks.first { $0.pid == 32332 }?.cgroup == pod)
        #expect(a.pages < s.machine.ramPages - 2 * 32_234)
    }

    static let smallReport = """
        app invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0
        CPU: 0 PID: 200 Comm: app Not tainted 6.1.0 #1
        memory: usage 40960kB, limit 40960kB, failcnt 5
        swap: usage 0kB, limit 8192kB, failcnt 0
        Memory cgroup stats for /svc:
        anon 8388608
        Tasks state (memory values in pages):
        [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name
        [    100]  1000   100     4000     1000    40960       10             0 idle
        [    200]  1000   200     9000     3000    40960        0             0 app
        oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/svc,task_memcg=/svc/web,task=app,pid=200,uid=1000
        Memory cgroup out of memory: Killed process 200 (app) total-vm:36000kB, anon-rss:12000kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:40kB oom_score_adj:0

        """

    @Test("usage the table's rss does not account for is held by memcg-other, never a candidate; swap.max kept")
    func memcgOther() throws {
        let s = ReportImporter.scenario(from: try OOMReportParser().parse(Self.smallReport), memcgForm: .cgroup)
        let svc = try path("/svc"), web = try path("/svc/web")
        #expect(s.cgroups.groups.map(\.path) == [svc, web])
        #expect(s.cgroups.group(svc)?.max == 10_240 && s.cgroups.group(svc)?.swapMax == 2048)
        let other = try #require(s.tasks.first { $0.name == "memcg-other" })
        #expect(other.pid == 201 && other.oomScoreAdj == OOMScoreAdj.min && other.anonPages == 10_240 - 4000)
        #expect(other.cgroup == svc && s.tasks.first { $0.pid == 100 }?.cgroup == svc && s.tasks.first { $0.pid == 200 }?.cgroup == web)
        #expect(s.initialCgroupCharges[svc]?.memory == 10_240 && s.initialCgroupCharges[svc]?.swap == 10)
        guard case .alloc(let a)? = s.tasks.first(where: { $0.pid == 200 })?.program.first else {
            Issue.record("the invoking task does not allocate")
            return
        }
        #expect(a.pages == 64)   // at the limit already: one round past it
        #expect(s.machine.ramPages == 4 * 10_240)
        let yaml = ScenarioWriter.yaml(for: s)
        #expect(try ScenarioLoader.parse(yaml: yaml, file: "t.yaml") == s)
    }

    @Test("every memcg fixture's cgroup form loads back equal, with its limits", arguments: [
        "029", "031", "038", "102", "103", "107", "111", "119", "136", "137", "synthetic-3.10",
    ])
    func roundTrip(prefix: String) throws {
        let report = try OOMReportParser().parse(ReportFixtures.named(prefix))
        let (yaml, loaded) = try ReportImporter.loadable(from: report, memcgForm: .cgroup)
        #expect(loaded == ReportImporter.scenario(from: report, memcgForm: .cgroup))
        #expect(yaml.contains("cgroups:\n"))
        let limit = try #require(report.memcg?.memory).limitKB * 1024 / report.pageSize
        let domain = try #require(loaded.cgroups.groups.first { $0.path.description == report.memcg?.oomMemcg })
        #expect(try #require(domain.max) >= limit)
        #expect(loaded.machine.ramPages >= 4 * limit)
        #expect(loaded.tasks.filter { !$0.kthread }.allSatisfy { $0.cgroup.isDescendant(of: domain.path) })
    }

    @Test("an unlimited memory.max or no limit shown keeps the machine form, with a note")
    func keepsMachine() throws {
        let bpf = try imported("115")
        #expect(bpf.cgroups.isEmpty)
        #expect(bpf.description.contains("kept the machine form: the cgroup's memory.max is max: its limit did not cause this OOM"))
        let cut = try imported("116")
        #expect(cut.cgroups.isEmpty)
        #expect(cut.description.contains("kept the machine form: the report does not show the cgroup's limit"))
    }

    @Test("by default a memcg report imports in the cgroup form, and falls back to the machine form where that run cannot end as the report did")
    func defaultForm() throws {
        #expect(ReportImporter.defaultMemcgForm == .auto)
        let aks = try ReportImporter.importableForm(from: try ReportFixtures.report("029"))
        #expect(aks.form == .cgroup && aks.fallback == nil)
        #expect(!aks.scenario.cgroups.isEmpty)
        #expect(ScenarioCheck.run(aks.scenario).allSatisfy { $0.passed })
        // 3.10 OOM-killed in a GFP_KERNEL charge; the simulated kernels
        // (4.0's rules and later) kill only from a page fault.
        let old = try ReportImporter.importableForm(from: try ReportFixtures.report("synthetic-3.10"))
        #expect(old.form == .machine)
        #expect(old.scenario.cgroups.isEmpty)
        #expect(old.fallback == "the simulated run does not end as the report did: expected OOM kills [9252], got none")
        #expect(ScenarioCheck.run(old.scenario).allSatisfy { $0.passed })
        // A global OOM has no cgroup form to try.
        let global = try ReportImporter.importableForm(from: try ReportFixtures.report("027"))
        #expect(global.form == .machine && global.fallback == nil)
    }
}
