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
