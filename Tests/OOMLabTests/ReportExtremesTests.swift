import Testing
@testable import OOMLab
@testable import OOMLabKernel

/// Every number a report holds, replaced by one far outside any real
/// machine's (18 digits, or negative): reading, explaining and importing the
/// report either works or fails with an error that names the line. Never an
/// arithmetic trap.
@Suite("Reports with numbers out of range: located errors, never a trap")
struct ReportExtremesTests {
    struct Mutation: CustomTestStringConvertible, Sendable {
        var fixture: String
        var line: Int
        var text: String
        var testDescription: String { "\(fixture):\(line)" }
        /// The line the mutation changed (kept: splitting `text` again for
        /// every mutation made building the cases quadratic).
        var changedLine: String
    }

    /// The numbers of a line's message (not of its timestamp), as ranges.
    static func numberRanges(_ line: String) -> [Range<String.Index>] {
        let message = ReportText.message(Substring(line))
        var out: [Range<String.Index>] = []
        var i = message.startIndex
        while i < message.endIndex {
            guard message[i].isASCII, message[i].isNumber else { i = message.index(after: i); continue }
            let start = i
            while i < message.endIndex, message[i].isASCII, message[i].isNumber { i = message.index(after: i) }
            out.append(start..<i)
        }
        return out
    }

    /// "[ 1554]  ..." (a task table row).
    static func isRow(_ m: Substring) -> Bool {
        guard m.first == "[", let close = m.firstIndex(of: "]") else { return false }
        let inner = m[m.index(after: m.startIndex)..<close].filter { $0 != " " }
        return !inner.isEmpty && inner.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// For each fixture, every line but the task table's rows (of which the
    /// first and the victim's), each number in it made huge, then negative.
    static func mutations(of name: String) -> [Mutation] {
        var out: [Mutation] = []
        do {
            let text = ReportFixtures.text(name)
            let report = try? OOMReportParser().parse(text)
            let keep = Set([report?.table?.rows.first?.line, report?.table?.rows.first { $0.pid == report?.kernelSelectedPid }?.line]
                .compactMap { $0 })
            // The table cut to those two rows, so that each case reads fast.
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
                .filter { n, line in !Self.isRow(ReportText.message(line)) || keep.contains(n + 1) }
                .map { String($0.element) }
            for (n, line) in lines.enumerated() {
                for (k, range) in numberRanges(line).enumerated() {
                    // Negative only for a line's first two numbers: a sign
                    // is read the same way wherever it is, and the cases cost time.
                    for replacement in ["999999999999999999", "-" + line[range]].prefix(k < 2 ? 2 : 1) {
                        var changed = lines
                        changed[n] = line.replacingCharacters(in: range, with: replacement)
                        out.append(Mutation(fixture: name, line: n + 1, text: changed.joined(separator: "\n"), changedLine: changed[n]))
                    }
                }
            }
        }
        // The mail-archive fixtures hold hundreds of lines of Mem-Info and
        // slab dumps; every 1-in-k case (k fixed per fixture, so the same
        // cases each run) keeps each under 40 cases (the shipped ones under
        // 400). The header's and the kept rows' cases are all kept: a number
        // out of range there is an error, which the test expects.
        let most = isMailArchive(name) ? 40 : 400
        let (always, sampled) = out.reduce(into: ([Mutation](), [Mutation]())) { parts, m in
            if Self.isErrorLine(m.changedLine[...]) { parts.0.append(m) } else { parts.1.append(m) }
        }
        guard sampled.count > most else { return out }
        let k = (sampled.count + most - 1) / most
        return always + sampled.enumerated().filter { $0.offset % k == 0 }.map(\.element)
    }

    /// Fixtures 100 and up come from mail archives (see the fixtures' INDEX.md).
    static func isMailArchive(_ name: String) -> Bool {
        name.prefix(3).allSatisfy(\.isNumber) && Int(name.prefix(3))! >= 100
    }

    /// The oom-killer header with its numbers (`order=` on the same line, not
    /// wrapped away) and the task table's rows: a number out of range there is
    /// an error (elsewhere, on Mem-Info lines, a warning).
    static func isErrorLine(_ line: Substring) -> Bool {
        let message = ReportText.message(line)
        return message.contains("invoked oom-killer:") && message.contains("order=") || isRow(message)
    }

    @Test("each fixture with one number out of range", arguments: ReportFixtures.names)
    func outOfRange(_ name: String) throws {
        let all = Self.mutations(of: name)
        // Fixtures 150 on are excerpts of a post, some a line or two long
        // (167 has no number outside rows it cannot read): their own count.
        let excerpt = Int(name.prefix(3)).map { $0 >= 150 } ?? false
        #expect(excerpt || all.count > 10)
        var errors = 0
        for m in all {
            do {
                let reports = try OOMReportParser().parseAll(m.text)
                for r in reports {
                    let e = ReportExplainer.explain(r)
                    _ = e.text() + e.json()
                    _ = ReportExplainer.explain(r, era: .named(r.kernelVersion == nil ? "2.6.32" : "modern"))
                    // Both forms built, without the run `.auto` would make to choose.
                    _ = ReportImporter.scenario(from: r, memcgForm: .cgroup)
                    _ = ReportImporter.scenario(from: r, memcgForm: .machine)
                }
            } catch {
                errors += 1
                // The error names the line that was changed (or, for a row
                // that breaks the table's totals, the table's header).
                #expect(error.line != nil, "\(m.testDescription): \(error)")
            }
        }
        // A header or table row number out of range is an error; a fixture
        // with neither (a paste of the kill line alone) may see only warnings.
        if all.contains(where: { Self.isErrorLine($0.changedLine[...]) }) { #expect(errors > 0) }
    }

    @Test("a number out of range is an error naming the value, the range and the line", arguments: [
        ("[ 1554]     0  1554    10000 999999999999999999      0      0        12             0 a",
         "line 3: rss 999999999999999999 is out of range (0 to 1099511627776 pages): "),
        ("[ 1554]     0  1554    10000 1000      0      0        12             2000 a",
         "line 3: oom_score_adj 2000 is out of range (-1000 to 1000): "),
        ("[99999999]     0  1554    10000 1000      0      0        12             0 a",
         "line 3: pid 99999999 is out of range (0 to 4194304): "),
    ])
    func rowValue(row: String, expected: String) throws {
        let text = """
            a invoked oom-killer: gfp_mask=0x201da, order=0, oom_score_adj=0
            [ pid ]   uid  tgid total_vm      rss nr_ptes nr_pmds swapents oom_score_adj name
            \(row)
            Out of memory: Kill process 1554 (a) score 1 or sacrifice child
            """
        #expect(throws: ReportError.self) { try OOMReportParser().parseAll(text) }
        do {
            _ = try OOMReportParser().parseAll(text)
        } catch {
            #expect(error.description == expected + row)
        }
    }

    @Test("header numbers: order, kernel version, zone sizes, buddy block, page size", arguments: [
        ("a invoked oom-killer: gfp_mask=0x201da, order=64, oom_score_adj=0", "line 1: order 64 is out of range (0 to 20): "),
        ("a invoked oom-killer: gfp_mask=0x201da, order=0, oom_score_adj=5000", "line 1: oom_score_adj 5000 is out of range (-1000 to 1000): "),
        ("CPU: 0 PID: 7 Comm: a Not tainted 999999999999999999.1.0 #1", "line 3: kernel version 999999999999999999 is out of range (0 to 65535): "),
        ("999999999999999999 pages RAM", "line 3: pages RAM 999999999999999999 is out of range (0 to 1099511627776 pages): "),
    ])
    func headerValue(line: String, expected: String) throws {
        let header = "a invoked oom-killer: gfp_mask=0x201da, order=0, oom_score_adj=0\nMem-Info:\n"
        let text = (line.contains("invoked") ? line + "\nMem-Info:\n" : header + line + "\n")
            + "Out of memory: Kill process 1 (a) score 1 or sacrifice child\n"
        do {
            _ = try OOMReportParser().parseAll(text)
            Issue.record("no error for \(line)")
        } catch {
            #expect(error.description == expected + line)
        }
    }

    /// A zone line only describes the watermarks, and real kernels print
    /// impossible ones (a managed-page underflow printed min:99395541895224kB,
    /// fixture 143): the zone is left out with a located warning, the report kept.
    @Test("a zone line with a number out of range is left out with a warning")
    func zoneOutOfRange() throws {
        let line = "Node 0 DMA32 free:999999999999999999kB min:1kB low:1kB high:1kB"
        let r = try OOMReportParser().parse("a invoked oom-killer: gfp_mask=0x201da, order=0, oom_score_adj=0\nMem-Info:\n"
            + line + "\nOut of memory: Kill process 1 (a) score 1 or sacrifice child\n")
        #expect(r.memInfo.zones.isEmpty)
        #expect(r.warnings == ["line 3: free 999999999999999999 is out of range (0 to 1099511627776 kB): " + line
            + "; the zone line is left out"])
        #expect(r.kernelSelectedPid == 1)
    }

    @Test("a buddy list's smallest block decides the page size only if it is a real page size")
    func buddyBlock() throws {
        let text = "Mem-Info:\nNode 0 DMA: 1*999999999999999999kB 2*8kB = 20kB\nOut of memory: Killed process 1 (a) total-vm:4kB\n"
        let r = try OOMReportParser().parse(text)
        #expect(r.pageSize == 4096)
        #expect(r.pageSizeSource == .assumed)
    }
}
