import ArgumentParser
import OOMLab

/// `oomlab import-report FILE [-o SCENARIO.yaml] [--index N] [--era ERA]`:
/// a kernel OOM report as a scenario whose expectation is the kernel's victim.
struct ImportReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-report",
        abstract: "Turn a kernel OOM report into a scenario."
    )

    @Argument(help: "A kernel OOM report as pasted from dmesg, journalctl or /var/log/messages.")
    var file: String

    @Flag(help: "With -o: replace an existing file.")
    var force = false

    @Option(name: .shortAndLong, help: "Write the scenario to this YAML file (default: standard output).")
    var output: String?

    @Option(help: "Which report of the file (1 = the first).")
    var index: Int = 1

    @Option(help: "Kernel rules to read the report with: a release (3.10, 4.0, 5.8) or 2015 / modern.")
    var era: String?

    func validate() throws {
        _ = try ReportCommandSupport.era(era)
        guard index >= 1 else { throw ValidationError("--index must be 1 or more") }
    }

    func run() throws {
        let reports = try ReportCommandSupport.reports(in: file)
        let report = try ReportCommandSupport.report(reports, index: index, path: file)
        for w in report.warnings { ReportCommandSupport.warn("\(file): \(w)") }
        let scenario = ReportImporter.scenario(from: report, era: try ReportCommandSupport.era(era))
        try ScenarioOutput.emit(scenario, to: output, force: force)
    }
}
