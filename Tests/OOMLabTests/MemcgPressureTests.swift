import Testing
@testable import OOMLab
@testable import OOMLabKernel

/// memory.pressure: PSI per cgroup, over the cgroup's whole subtree, from
/// the same per-tick counts as /proc/pressure/memory (docs/memcg.md §10).
/// The runs check every invariant after every tick, among them that the
/// cgroups' counts add up to the machine's.
@Suite("Memcg pressure: memory.pressure per cgroup")
struct MemcgPressureTests {
    /// /jobs/report is throttled by memory.high (its sleeps are memory
    /// stalls); /jobs/web computes and never stalls; /other is idle.
    static let yaml = """
        seed: 1
        machine: {ram: 2GiB, swap: 0}
        policy: {era: modern}
        cgroups:
          version: v2
          /jobs/report: {memory.high: 64MiB}
          /jobs/web: {}
          /other: {}
        tasks:
          - {pid: 1, name: init, uid: 0, anon: 1MiB, program: [{sleep: 1h}]}
          - pid: 10
            name: report
            cgroup: /jobs/report
            anon: 60MiB
            program:
              - repeat: forever
                body: [{alloc: 4MiB}, {sleep: 5}]
          - pid: 11
            name: web
            cgroup: /jobs/web
            program:
              - repeat: forever
                body: [{compute: 100}]
          - {pid: 12, name: cron, cgroup: /other, program: [{sleep: 1h}]}
        """

    static func run(ticks: Int) throws -> Kernel {
        var k = Kernel(scenario: try ScenarioLoader.parse(yaml: yaml, file: "t.yaml"))
        try Lab.run(&k, ticks: ticks)
        return k
    }

    @Test func eachCgroupFeelsItsOwnSubtreesStalls() throws {
        let k = try Self.run(ticks: 2000)
        func psi(_ path: String) throws -> PSIAverages {
            try #require(k.memcg.pressure(try MemcgKernelTests.id(k, path)))
        }
        let report = try psi("/jobs/report"), web = try psi("/jobs/web"), jobs = try psi("/jobs"), other = try psi("/other")
        #expect(k.memcg.tree[try MemcgKernelTests.id(k, "/jobs/report")].events.high > 0, "report was throttled")
        #expect(report.someAvg10 > 0, "report's throttle sleeps are memory stalls")
        #expect(report.fullAvg10 == report.someAvg10, "report is the cgroup's only task: some is full")
        #expect(web.someAvg10 == 0 && web.fullAvg10 == 0, "web never stalls")
        #expect(other.someAvg10 == 0, "an idle cgroup")
        // /jobs sees report's stalls while web runs: SOME, never FULL.
        #expect(jobs.someAvg10 == report.someAvg10)
        #expect(jobs.fullAvg10 < jobs.someAvg10)
        // The machine's: web keeps a task running, so it is not FULL either.
        #expect(k.psi.someAvg10 == report.someAvg10)
        #expect(k.psi.fullAvg10 < k.psi.someAvg10)
        // What the status and the panel read.
        #expect(k.cgroupStatus(try MemcgKernelTests.id(k, "/jobs/report"))?.pressure == report)
        #expect(k.cgroupStatus(CgroupTree.rootID)?.pressure == nil)
    }

    @Test("a cgroup made during the run gets pressure, and the counts stay whole")
    func mkdirDuringTheRun() throws {
        var k = Kernel(scenario: try ScenarioLoader.parse(yaml: Self.yaml, file: "t.yaml"))
        try Lab.run(&k, ticks: 300)
        try k.createCgroup(CgroupPath.parse("/late", at: .init(file: "", line: 1, column: 1)))
        try k.checkInvariants()
        try Lab.run(&k, ticks: 300)
        let late = try #require(k.memcg.pressure(try MemcgKernelTests.id(k, "/late")))
        #expect(late.someAvg10 == 0 && late.fullAvg10 == 0, "no task in it: no stalls")
        #expect(late.periodTicks > 0, "its averages are kept from the mkdir on")
        // From no cgroups at all: the first mkdir turns the accounting on.
        var plain = Kernel(scenario: Lab.scenario(Lab.machine(ramMiB: 64), era: .modern, [Lab.hog(10, mib: 8)]))
        try Lab.run(&plain, ticks: 50)
        #expect(plain.memcg.tickCounts.isEmpty)
        try plain.createCgroup(CgroupPath.parse("/a", at: .init(file: "", line: 1, column: 1)))
        try plain.checkInvariants()
        try Lab.run(&plain, ticks: 50)
        #expect(plain.memcg.tickCounts.count == 2)
    }
}
