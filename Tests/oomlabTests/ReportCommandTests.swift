import Testing
@testable import oomlab

@Suite("Report commands")
struct ReportCommandTests {
    @Test("the report commands are registered")
    func registered() {
        let names = RootCommand.configuration.subcommands.map { $0.configuration.commandName }
        #expect(names.contains("import-report"))
        #expect(names.contains("explain-report"))
        #expect(names.contains("snapshot"))
    }
}

@Suite("Report command arguments")
struct ReportCommandArgumentTests {
    @Test("a bad --era or --index is a usage error (exit 64)")
    func usage() {
        for args in [["r.txt", "--era", "banana"], ["r.txt", "--index", "0"], ["r.txt", "--format", "xml"]] {
            do {
                _ = try ExplainReportCommand.parseAsRoot(args)
                Issue.record("\(args) parsed")
            } catch {
                #expect(ExplainReportCommand.exitCode(for: error).rawValue == 64, "\(args)")
            }
        }
        do {
            _ = try ExplainReportCommand.parseAsRoot(["r.txt", "--era", "banana"])
        } catch {
            #expect(ExplainReportCommand.message(for: error)
                    == "unknown era 'banana': expected a kernel release such as 3.10, 4.0 or 5.8, or 2015 or modern")
        }
    }

    @Test("--index past the last report is a usage error naming the count")
    func index() throws {
        #expect(throws: (any Error).self) {
            _ = try ReportCommandSupport.report([], index: 2, path: "r.txt")
        }
        do {
            _ = try ReportCommandSupport.report([], index: 2, path: "r.txt")
        } catch {
            #expect(ExplainReportCommand.exitCode(for: error).rawValue == 64)
            #expect(ExplainReportCommand.message(for: error) == "r.txt: report 2 does not exist: the file has 0 OOM reports")
        }
    }
}
