import Testing
@testable import OOMLab
@testable import OOMLabKernel

/// What `import-report` writes always loads and passes `oomlab check`, or the
/// import fails with a reason: for every fixture and for damaged copies of
/// each (the task table removed, the victim's row removed, half the rows
/// removed, a row repeated, a number out of range).
@Suite("import-report: a scenario that loads and checks, or a reason")
struct ImportRoundTripTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var label: String
        var text: String
        var testDescription: String { label }
    }

    static func isRow(_ line: Substring) -> Bool { ReportExtremesTests.isRow(ReportText.message(line)) }

    static var cases: [Case] {
        var out: [Case] = []
        for name in ReportFixtures.names {
            let text = ReportFixtures.text(name)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let victim = (try? OOMReportParser().parse(text))?.kernelSelectedPid
            func keep(_ label: String, _ filter: (Int, Substring) -> Bool) {
                let kept = lines.enumerated().filter { filter($0.offset, $0.element) }.map(\.element)
                out.append(Case(label: "\(name) \(label)", text: kept.joined(separator: "\n")))
            }
            out.append(Case(label: name, text: text))
            keep("without the table") { _, l in !isRow(l) && !ReportText.message(l).hasPrefix("[ pid ]") }
            keep("without the victim's row") { _, l in !(isRow(l) && rowPid(l) == victim) }
            keep("without every other row") { n, l in !isRow(l) || n % 2 == 0 }
            if let first = lines.firstIndex(where: { isRow($0) }) {
                var doubled = lines
                doubled.insert(lines[first], at: first + 1)
                out.append(Case(label: "\(name) with a row repeated", text: doubled.joined(separator: "\n")))
                var huge = lines
                huge[first] = Substring(String(lines[first]).replacingOccurrences(of: " 0 ", with: " 1099511627776 "))
                out.append(Case(label: "\(name) with a huge number", text: huge.joined(separator: "\n")))
            }
        }
        return out
    }

    static func rowPid(_ line: Substring) -> Int? {
        let m = ReportText.message(line)
        guard let close = m.firstIndex(of: "]") else { return nil }
        return Int(m[m.index(after: m.startIndex)..<close].filter { $0 != " " })
    }

    @Test("imported, loaded back, checked", arguments: cases)
    func roundTrip(_ c: Case) throws {
        let report: OOMReport
        do {
            report = try OOMReportParser().parse(c.text)
        } catch {
            #expect(error.line != nil || !error.message.isEmpty)
            return
        }
        let yaml: String
        do {
            yaml = try ReportImporter.importable(from: report)
        } catch {
            // A refusal names what is missing or wrong.
            #expect(error.message.hasPrefix("cannot import: "), "\(c.label): \(error)")
            return
        }
        let loaded = try ScenarioLoader.parse(yaml: yaml, file: "imported.yaml")
        let results = ScenarioCheck.run(loaded)
        #expect(!results.isEmpty, "\(c.label): no expectation")
        for r in results { #expect(r.passed, "\(c.label): \(r.message)") }
    }

    @Test("the reasons are worded for the user", arguments: [
        ("a invoked oom-killer: gfp_mask=0x201da, order=0, oom_score_adj=0\nMem-Info:\n"
         + "Out of memory: Killed process 10 (big) total-vm:4000kB, anon-rss:2000kB, file-rss:0kB\n",
         "cannot import: the report has no task table (vm.oom_dump_tasks=0?), so there are no tasks to simulate"),
        ("a invoked oom-killer: gfp_mask=0x201da, order=0, oom_score_adj=0\n"
         + "[ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name\n"
         + "[  11]     0    11     1000      500       3        0             0 small\n"
         + "Out of memory: Kill process 10 (big) score 9 or sacrifice child\n",
         "cannot import: the kernel's victim 10 (big) has no row in the task table"),
        ("a invoked oom-killer: gfp_mask=0x201da, order=0, oom_score_adj=0\n"
         + "[ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name\n"
         + "[  10]     0    10     1000      500       3        0             0 big\n"
         + "[  10]     0    10     1000      500       3        0             0 big\n"
         + "Out of memory: Kill process 10 (big) score 9 or sacrifice child\n",
         "cannot import: pid 10 has two rows in the task table (lines 3 and 4)"),
        ("a invoked oom-killer: gfp_mask=0x201da, order=13, oom_score_adj=0\n"
         + "[ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name\n"
         + "[  10]     0    10     1000      500       3        0             0 big\n"
         + "Out of memory: Kill process 10 (big) score 9 or sacrifice child\n",
         "cannot import: the allocation is order 13; the simulator's buddy allocator goes to order 10"),
    ])
    func reasons(text: String, expected: String) throws {
        let report = try OOMReportParser().parse(text)
        #expect(throws: ReportError(expected)) { try ReportImporter.importable(from: report) }
    }
}
