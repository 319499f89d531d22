import Foundation
import Testing
@testable import OOMLab

/// The gathered pastes (fixtures 100 and up: mailing-list archives, then
/// GitHub issues, Q&A sites and blogs from 150): each is read as pasted,
/// the kernel's own victim of every report in it must be what INDEX.md
/// records from its kill line, and the explained report must agree with the
/// kernel or fail to for the reason INDEX.md states. A fixture without an
/// INDEX row fails (nothing is skipped silently).
@Suite("Real pastes from mailing-list archives, issue trackers and forums (Fixtures/oom-reports/INDEX.md)")
struct ReportCorpusTests {
    struct Entry: Sendable, CustomTestStringConvertible {
        var file: String
        /// The kernel's victim of each report in the file; nil = none.
        var victims: [Int?]
        var explained: Int
        var verdict: String
        var testDescription: String { file }
    }

    /// The rows of INDEX.md's mail-archive table.
    static let entries: [Entry] = {
        let index = ReportFixtures.text("INDEX.md")
        return index.split(separator: "\n").compactMap { line -> Entry? in
            let cells = line.split(separator: "|", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            // "", #, file, source, kernel, scope, paste, victims, explained, verdict, ""
            guard cells.count == 11, let n = Int(cells[1]), n >= 100 else { return nil }
            let victims = cells[7].split(separator: ";").map { part -> Int? in
                Int(part.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "")
            }
            return Entry(file: cells[2].trimmingCharacters(in: CharacterSet(charactersIn: "`")), victims: victims,
                         explained: Int(cells[8]) ?? 0, verdict: cells[9])
        }
    }()

    @Test("every mail-archive fixture has an INDEX row")
    func indexed() {
        let files = ReportFixtures.names.filter { ($0.prefix(3).allSatisfy(\.isNumber)) && Int($0.prefix(3))! >= 100 }
        #expect(files.count >= 64)
        #expect(Set(files) == Set(Self.entries.map(\.file)))
    }

    @Test("the kernel's victims as its kill lines name them; the verdict INDEX.md states", arguments: entries)
    func verdict(_ entry: Entry) throws {
        let reports = try OOMReportParser().parseAll(ReportFixtures.text(entry.file))
        let choices = reports.indices.map { i in
            ReportExplainer.explain(reports[i], earlier: Array(reports.prefix(i))).kernelChoice?.pid
        }
        #expect(choices == entry.victims)
        let index = OOMReportParser.explainedIndex(reports)
        #expect(index == entry.explained)
        let r = reports[index - 1]
        let e = ReportExplainer.explain(r, earlier: Array(reports.prefix(index - 1)))
        switch entry.verdict {
        case "agrees":
            #expect(e.agree && e.compared)
            #expect(e.modelChoice?.pid == e.kernelChoice?.pid)
        case "agrees (no killable processes)":
            #expect(e.agree && e.outcome == .noKillable && e.modelChoice == nil)
        case "cannot be decided: no task table in the paste":
            #expect(r.table == nil)
            #expect(!e.compared && !e.agree)
        case let v where v.hasPrefix("cannot be decided: the kernel found no killable task"):
            #expect(e.outcome == .noKillable && !e.agree && e.modelChoice != nil)
        case let v where v.hasPrefix("differs: patched kernel"):
            #expect(e.compared && !e.agree)
            #expect(r.kernelVersion?.release.contains("next") == true)
        case let v where v.hasPrefix("cannot be decided: oom_kill_allocating_task"):
            // The kernel killed the allocating task without a scan; the paste
            // does not show which task that was (no CPU line).
            #expect(r.killedAllocatingTask && r.invoking?.pid == nil)
            #expect(!e.compared && !e.agree)
        case let v where v.hasPrefix("cannot be decided: the kill line is in another report"):
            #expect(r.table != nil && e.kernelChoice == nil)
            #expect(!e.compared && !e.agree)
        case let v where v.hasPrefix("cannot be decided: task-table rows without their header"):
            #expect(r.table == nil && e.kernelChoice == nil)
            #expect(!e.compared && !e.agree)
        default:
            Issue.record("unknown verdict '\(entry.verdict)' for \(entry.file)")
        }
    }

    @Test("what the reader undid, per paste class")
    func repairs() throws {
        func repairs(_ prefix: String) throws -> [String] {
            try OOMReportParser().parseAll(ReportFixtures.named(prefix)).first?.repairs ?? []
        }
        // Quoted-printable inside two levels of quoting, with a table header and row hard-wrapped.
        let qp = try repairs("111")
        #expect(qp.contains { $0.hasPrefix("quoted-printable decoded: ") })
        #expect(qp.contains("mail quoting removed from 150 lines (up to 2 levels of \">\")"))
        // Line 73: "kmem: usage 200kB, limit" + "9007199254740988kB, failcnt 0" (MemcgReport).
        #expect(qp.contains { $0.hasPrefix("10 hard-wrapped lines rejoined") })
        let r = try OOMReportParser().parse(ReportFixtures.named("111"))
        #expect(r.table?.columns.count == 11)
        #expect(r.table?.rows.map(\.name) == ["dd"])
        // A "Killed process" line wrapped twice by a mail client (fixture 132).
        let wrapped = try OOMReportParser().parseAll(ReportFixtures.named("132"))
        #expect(wrapped[0].killedLine?.comm == "(sd-pam)")
        #expect(wrapped[0].killedLine?.totalVMKB == 173972)
        #expect(wrapped[1].invoking?.order == 0)
        // An unquoted original and its quoted reply read the same report.
        let original = try OOMReportParser().parse(ReportFixtures.named("136"))
        let quoted = try OOMReportParser().parse(ReportFixtures.named("137"))
        #expect(original.table?.rows.map { [$0.pid, $0.rss, $0.oomScoreAdj] } == quoted.table?.rows.map { [$0.pid, $0.rss, $0.oomScoreAdj] })
        #expect(original.killedLine?.pid == 19289 && quoted.killedLine?.pid == 19289)
        // /dev/kmsg records with caller ids (fixture 120).
        let kmsg = try OOMReportParser().parse(ReportFixtures.named("120"))
        #expect(kmsg.invoking?.comm == "dumpsys")
    }
}
