import Testing
@testable import OOMLab
@testable import OOMLabKernel

/// Reports saved on Windows (CRLF) or old Macs (CR) read as the same report;
/// a /proc name holding "\r" stays one field; and a result that could not
/// compare the kernel's choice with the model's says so.
@Suite("Line ends of every kind; no claimed agreement without a comparison")
struct LineEndTests {
    @Test("a fixture with CRLF or lone CR line ends reads as with LF", arguments: ReportFixtures.names)
    func crlf(_ name: String) throws {
        let lf = ReportFixtures.text(name)
        let expected = try OOMReportParser().parseAll(lf)
        for end in ["\r\n", "\r"] {
            let converted = lf.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: end)
            let reports = try OOMReportParser().parseAll(converted)
            #expect(reports == expected, "\(name) with \(end == "\r" ? "CR" : "CRLF")")
        }
    }

    @Test("mixed line ends count lines as a reader would")
    func mixed() throws {
        let text = "a invoked oom-killer: gfp_mask=0x201da, order=0, oom_score_adj=0\r\n"
            + "[ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name\r"
            + "[  10]     0    10     1000      500       3        0             0 big\n"
            + "Out of memory: Kill process 10 (big) score 9 or sacrifice child\r\n"
        let r = try OOMReportParser().parse(text)
        #expect(r.table?.rows.map(\.name) == ["big"])
        #expect(r.table?.rows.first?.line == 3)
        #expect(r.selectLine?.line == 4)
    }

    @Test("a /proc status Name holding a carriage return stays one field")
    func procName() {
        let s = ProcReader.parseStatus("Name:\tevil\r\nUmask:\t0022\nUid:\t1000\t1000\t1000\t1000\nVmRSS:\t     400 kB\n")
        #expect(s.name == "evil\r")
        #expect(s.uid == 1000)
        #expect(s.rssKB == 400)
    }

    @Test("no task table: the explanation says it compared nothing")
    func noTable() throws {
        let text = "a invoked oom-killer: gfp_mask=0x201da, order=0, oom_score_adj=0\nMem-Info:\n"
        let e = ReportExplainer.explain(try OOMReportParser().parse(text))
        #expect(!e.compared)
        #expect(e.text().contains("\nagree: not compared (the report has no task table)\n"))
        #expect(!e.text().contains("agree: yes"))
        #expect(e.json().contains("\"agree\": null,"))
    }

    @Test("a table but no kill line: nothing to compare with")
    func noKernelChoice() throws {
        let text = "a invoked oom-killer: gfp_mask=0x201da, order=0, oom_score_adj=0\n"
            + "[ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name\n"
            + "[  10]     0    10     1000      500       3        0             0 big\n"
        let e = ReportExplainer.explain(try OOMReportParser().parse(text))
        #expect(!e.compared)
        #expect(e.text().contains("\nagree: not compared (the report does not say which task the kernel chose)\n"))
    }

    @Test("nothing killable on both sides is a comparison that agrees")
    func bothNone() throws {
        let e = ReportExplainer.explain(try OOMReportParser().parse(ReportFixtures.named("012")))
        #expect(e.compared && e.agree)
    }
}
