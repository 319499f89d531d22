import Testing
@testable import OOMLab
@testable import OOMLabKernel

@Suite("Importing a report as a scenario")
struct ReportImporterTests {
    @Test("4.0 global: machine, tasks, the allocating task and the kernel's victim")
    func global() throws {
        let s = ReportImporter.scenario(from: try ReportFixtures.report("019"))
        #expect(s.policy.era == .v2015)
        // The apache workers share pages and swap slots, which the table counts
        // once per task: the machine grows to hold them, and says so.
        #expect(s.machine.ramPages == 262047 + 12828)
        #expect(s.machine.kernelPages == 9138)
        #expect(s.machine.swapPages == 82077)
        #expect(s.description.contains("RAM raised from 262047 to 274875 pages"))
        #expect(s.description.contains("swap raised from 65535 to 82077 pages"))
        #expect(s.machine.minFreeKbytes == 60 + 3948)
        #expect(s.tasks.count == 80)
        #expect(s.tasks.map(\.pid) == s.tasks.map(\.pid).sorted())
        let mysqld = try #require(s.tasks.first { $0.pid == 2831 })
        #expect(mysqld.anonPages == 6457 && mysqld.swapPages == 11904 && mysqld.pageTablePages == 73 && mysqld.uid == 104)
        #expect(mysqld.program == ReportImporter.idleProgram)
        let apache = try #require(s.tasks.first { $0.pid == 26613 })
        guard case .alloc(let a)? = apache.program.first else {
            Issue.record("the invoking task does not allocate")
            return
        }
        #expect(a.gfp == .highuserMovable && a.order == 0 && a.target == .anon)
        #expect(s.expect == Expectation(checks: [ExpectCheck(.killed([.pid(2831)]))]))
        let used = s.tasks.map { $0.anonPages + ($0.pageTablePages ?? 0) }.reduce(0, +)
        #expect(used + s.machine.kernelPages + s.machine.fileCleanPages + s.machine.fileDirtyPages
                + s.machine.slabReclaimablePages + s.machine.slabUnreclaimablePages <= s.machine.ramPages)
    }

    @Test("memcg, machine form: the cgroup's limit is the machine; modern era after 4.17")
    func memcg() throws {
        let s = ReportImporter.scenario(from: try ReportFixtures.report("029"), memcgForm: .machine)
        #expect(s.policy.era == .modern)
        #expect(s.machine.kernelPages == 0 && s.machine.swapPages == 0)
        #expect(s.description.contains("the cgroup's limit (25600 pages) is the machine"))
        #expect(s.expect == Expectation(checks: [ExpectCheck(.killed([.pid(183960)]))]))
        #expect(s.tasks.first { $0.pid == 183960 }?.oomScoreAdj == 1000)
    }

    @Test("a kernel thread that invoked the OOM killer with no killable task: expect a panic")
    func kworker() throws {
        let s = ReportImporter.scenario(from: try ReportFixtures.report("012"))
        #expect(s.tasks.count == 1)
        #expect(s.tasks[0].kthread && s.tasks[0].pid == 7 && s.tasks[0].name == "kworker/u4:0")
        #expect(s.expect == Expectation(checks: [ExpectCheck(.verdict(.panic))]))
    }

    @Test("a page-fault OOM (gfp_mask=0) allocates as a page fault does")
    func pageFault() throws {
        let s = ReportImporter.scenario(from: try ReportFixtures.report("002"))
        guard case .alloc(let a)? = s.tasks.first(where: { $0.pid == 16719 })?.program.first else {
            Issue.record("the invoking task does not allocate")
            return
        }
        #expect(a.gfp == .highuserMovable)
        #expect(s.description.contains("pagefault_out_of_memory"))
    }

    @Test("every fixture imports, with the kernel's victim as the expectation", arguments: ReportExplainerTests.complete)
    func all(prefix: String, victim: Int?, score: Int?) throws {
        let s = ReportImporter.scenario(from: try ReportFixtures.report(prefix))
        if let victim {
            #expect(s.expect?.checks.first?.kind == .killed([.pid(victim)]))
            #expect(s.tasks.contains { $0.pid == victim })
        }
        #expect(s.tasks.filter { $0.program.first?.keyword == "alloc" }.count <= 1)
    }
}

@Suite("Running imported scenarios in the simulator")
struct ReportSimulationTests {
    @Test("the simulator's first OOM kill is the kernel's victim", arguments: ReportExplainerTests.complete)
    func reproduces(prefix: String, victim: Int?, score: Int?) throws {
        let s = ReportImporter.scenario(from: try ReportFixtures.report(prefix))
        var k = Kernel(scenario: s)
        var ticks = 0
        while k.oomKills.isEmpty && k.panicVerdict == nil && ticks < s.ticks {
            _ = k.step()
            ticks += 1
        }
        #expect(k.oomKills.first?.pid == victim, "\(prefix): after \(ticks) ticks, kills \(k.oomKills.map(\.pid)), panic \(k.panicVerdict?.reason ?? "-")")
    }

    @Test("an imported scenario passes its own expectations, as `oomlab check` runs them", arguments: ReportExplainerTests.complete)
    func checks(prefix: String, victim: Int?, score: Int?) throws {
        let s = ReportImporter.scenario(from: try ReportFixtures.report(prefix))
        let results = ScenarioCheck.run(s)
        #expect(!results.isEmpty)
        for r in results { #expect(r.passed, "\(prefix): \(r.message)") }
    }
}
