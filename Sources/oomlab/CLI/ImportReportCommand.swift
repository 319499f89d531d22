import ArgumentParser
import OOMLab
import OOMLabKernel

/// `oomlab import-report FILE [-o SCENARIO.yaml] [--index N] [--era ERA]`:
/// a kernel OOM report as a scenario whose expectation is the kernel's victim.
struct ImportReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-report",
        abstract: "Turn a kernel OOM report into a scenario."
    )

    @OptionGroup var selection: ReportSelection

    @Flag(help: "With -o: replace an existing file.")
    var force = false

    @Option(name: .shortAndLong, help: "Write the scenario to this YAML file (default: standard output).")
    var output: String?

    func run() throws {
        let report = try selection.load().chosen
        for w in report.warnings { CLI.warn("\(selection.displayName): \(w)") }
        let era = try ReportCommandSupport.era(selection.era)
        // Refuses (exit 1, with the reason) what would not load or check.
        do {
            _ = try ReportImporter.importable(from: report, era: era)
        } catch {
            throw CLIError.failure("\(selection.displayName): \(error)")
        }
        try ScenarioOutput.emit(ReportImporter.scenario(from: report, era: era), to: output, force: force)
    }
}
