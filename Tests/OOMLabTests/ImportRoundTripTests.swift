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

    /// A task table row: "[ pid ]" and at least four numbers after it (a
    /// mail's "[2]" footnote is not one).
    static func isRow(_ line: Substring) -> Bool {
        let m = ReportText.message(line)
        guard ReportExtremesTests.isRow(m), let close = m.firstIndex(of: "]") else { return false }
        return m[m.index(after: close)...].split(separator: " ").filter { Int($0) != nil }.count >= 4
    }

    static var cases: [Case] {
        var out: [Case] = []
        for name in ReportFixtures.names {
            let text = ReportFixtures.text(name)
            // Damage is done to the lines as the parser sees them (mail
            // quoting, quoted-printable and wraps undone: ReportRepair), so
            // that a quoted fixture's rows are found and damaged too.
            let lines = ReportRepair(text).lines.map(\.raw)
            let victim = (try? OOMReportParser().parse(text))?.kernelSelectedPid
            func keep(_ label: String, _ filter: (Int, Substring) -> Bool) {
                let kept = lines.enumerated().filter { filter($0.offset, $0.element) }.map(\.element)
                guard kept.count < lines.count else { return }   // nothing to remove: no case
                out.append(Case(label: "\(name) \(label)", text: kept.joined(separator: "\n")))
            }
            out.append(Case(label: name, text: text))
            // Both eras' headers: "[ pid ]   uid ..." and "Tasks state (memory
            // values in pages):" then "[  pid  ]   uid ...".
            keep("without the table") { _, l in !isRow(l) && !isTableHeader(l) }
            keep("without the victim's row") { _, l in !(isRow(l) && rowPid(l) == victim) }
            keep("without every other row") { n, l in !isRow(l) || n % 2 == 0 }
            if let first = lines.firstIndex(where: { isRow($0) }) {
                var doubled = lines
                doubled.insert(lines[first], at: first + 1)
                out.append(Case(label: "\(name) with a row repeated", text: doubled.joined(separator: "\n")))
                // The row's last number before the name (oom_score_adj or
                // oom_adj): 2^40 is past -1000...1000, 17 digits past any count.
                for (label, value) in [("a huge number", "1099511627776"), ("a 17-digit number", "99999999999999999")] {
                    var huge = lines
                    huge[first] = Substring(replacingLastNumber(in: lines[first], with: value))
                    out.append(Case(label: "\(name) with \(label)", text: huge.joined(separator: "\n")))
                }
                // rss (after uid, tgid and total_vm in every era's table) out of range.
                var rss = lines
                rss[first] = Substring(replacingNumber(3, in: lines[first], with: "99999999999999999"))
                out.append(Case(label: "\(name) with a 17-digit rss", text: rss.joined(separator: "\n")))
            }
        }
        return out
    }

    static func isTableHeader(_ line: Substring) -> Bool {
        let m = ReportText.message(line)
        return m.hasPrefix("Tasks state") || (m.first == "[" && m.contains("pid") && m.contains("uid") && m.hasSuffix("name"))
    }

    /// The row with its `index`-th number after "[ pid ]" (0: uid)
    /// replaced; the log prefix before the row (a timestamp) is kept.
    static func replacingNumber(_ index: Int, in line: Substring, with value: String) -> String {
        let m = ReportText.message(line)   // a slice of `line`
        guard let close = m.firstIndex(of: "]") else { return String(line) }
        var words = m[m.index(after: close)...].split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        let numbers = words.indices.filter { Int(words[$0]) != nil }
        guard index >= 0, index < numbers.count else { return String(line) }
        words[numbers[index]] = value
        return String(line[..<m.startIndex]) + String(m[...close]) + words.joined(separator: " ") + String(line[m.endIndex...])
    }

    static func replacingLastNumber(in line: Substring, with value: String) -> String {
        let m = ReportText.message(line)
        guard let close = m.firstIndex(of: "]") else { return String(line) }
        let count = m[m.index(after: close)...].split(separator: " ").filter { Int($0) != nil }.count
        return replacingNumber(count - 1, in: line, with: value)
    }

    @Test("every damaged copy differs from its fixture (no damage that changes nothing)")
    func damageIsReal() {
        let originals = Dictionary(uniqueKeysWithValues: ReportFixtures.names.map { ($0, ReportFixtures.text($0)) })
        for c in Self.cases where c.label.contains(" with a") || c.label.hasSuffix(" without the table") {
            guard let name = originals.keys.first(where: { c.label.hasPrefix($0 + " ") }), let original = originals[name] else { continue }
            let repaired = ReportRepair(original).lines.map(\.raw).joined(separator: "\n")
            #expect(c.text != repaired, "\(c.label) is the fixture unchanged")
        }
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
