import Testing
@testable import OOMLab
@testable import OOMLabKernel

/// Issue 11 point 2: the importer ranks a report's tasks with the code the
/// simulated kernel uses. For every report with a task table in the
/// fixtures, a kernel is booted from the import and its own selection path
/// (select_bad_process over the tasks it booted, oom_badness of each) is
/// compared with the importer's ranking of the table's rows under the same
/// rules and the same totalpages: the points of every task and the choice
/// must be identical.
@Suite("One oom_badness: the booted kernel and the importer rank every fixture alike")
struct BadnessBothPathsTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var file: String
        var report: Int
        var testDescription: String { "\(file) report \(report)" }
    }

    /// Every report in the fixtures whose task table has rows.
    static let cases: [Case] = ReportFixtures.names.flatMap { name -> [Case] in
        guard let reports = try? OOMReportParser().parseAll(ReportFixtures.text(name)) else { return [] }
        return reports.indices.compactMap { i in
            (reports[i].table?.rows.isEmpty ?? true) ? nil : Case(file: name, report: i + 1)
        }
    }

    @Test("there are enough tables to make the comparison mean something")
    func enough() {
        #expect(Self.cases.count >= 25, "\(Self.cases.count) reports with a task table")
    }

    @Test("the simulator's two eras are releases of the one rules table")
    func erasAreReleases() {
        #expect(Era.v2015.badnessRules == BadnessRules.forKernel(major: 4, minor: 0))
        #expect(Era.modern.badnessRules == BadnessRules.forKernel(major: 6, minor: 13))
    }

    @Test("identical points for every task, and the same choice", arguments: cases)
    func samePointsSameChoice(_ c: Case) throws {
        let report = try OOMReportParser().parseAll(ReportFixtures.text(c.file))[c.report - 1]
        let rows = report.table?.rows ?? []
        // The machine form: every task of the table on one machine, as the
        // kernel's table lists them (the cgroup form adds a memcg-other task).
        let scenario = ReportImporter.scenario(from: report, memcgForm: .machine)
        let kernel = Kernel(scenario: scenario)
        let era = kernel.policy.era
        let rules = era.badnessRules
        let total = kernel.oomTotalPages

        // The kernel's path: its own badness input of each booted task.
        var kernelPoints: [Int: Int?] = [:]
        for (i, t) in kernel.tasks.enumerated() where t.isOOMCandidate {
            kernelPoints[t.pid] = oomBadness(kernel.processBadnessInput(i), totalPages: total, rules: rules)
        }
        // The importer's path: the report's rows, ranked as explain-report ranks them.
        let release = era == .v2015 ? KernelVersion(major: 4, minor: 0) : KernelVersion(major: 6, minor: 13)
        let ranking = ReportExplainer.rank(rows, report: report, era: ReportEra(kernel: release, source: "test"),
                                           totalPages: total, rootIsAdmin: true, reaped: [:])
        for task in ranking {
            // A row the kernel did not boot as a candidate (init, -1000) is one the importer excludes.
            guard let points = kernelPoints[task.pid] else {
                #expect(task.points == nil, "pid \(task.pid) (\(task.name)) is not a candidate in the kernel")
                continue
            }
            #expect(task.points == points, "pid \(task.pid) (\(task.name))")
        }
        let importerChoice = ReportExplainer.selectBadProcess(ranking, rules: rules)?.pid
        var kernelChoice: Int?
        var oc = kernel.oomControl(gfp: .kernel, order: 0)
        kernel.selectBadProcess(&oc)
        if case .task(let index) = oc.chosen { kernelChoice = kernel.tasks[index].pid }
        // Tasks the import adds (a kernel thread for an invoker without a row,
        // oomlab-pressure at -1000) are never candidates, so the choice is the same.
        #expect(kernelChoice == importerChoice)
    }
}
