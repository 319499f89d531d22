import ArgumentParser
import OOMLab
import OOMLabKernel

/// `oomlab import-report FILE [-o SCENARIO.yaml] [--index N] [--era ERA] [--memcg-form FORM]`:
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

    @Option(help: ArgumentHelp(
        "How a memory cgroup OOM becomes a scenario: auto, cgroup or machine.",
        discussion: "cgroup: a cgroups: block with the cgroup at the report's limit and usage, its tasks in it, on a "
            + "machine larger than the limit, where the simulated kernel's memcg OOM killer chooses inside the cgroup. "
            + "machine: the cgroup's limit is the machine's RAM. auto (the default): cgroup where its run ends as the "
            + "report did, else machine, with a note on stderr saying why (a kernel before 3.12 could OOM-kill in "
            + "any memcg charge; the simulated kernels kill only from a page fault)."))
    var memcgForm: ReportImporter.MemcgForm = ReportImporter.defaultMemcgForm

    func run() throws {
        let report = try selection.load().chosen
        for w in report.warnings { CLI.warn("\(selection.displayName): \(w)") }
        let era = try ReportCommandSupport.era(selection.era)
        // Refuses (exit 1, with the reason) what would not load or check.
        let scenario: Scenario
        do {
            let imported = try ReportImporter.importableForm(from: report, era: era, memcgForm: memcgForm)
            scenario = imported.scenario
            if let why = imported.fallback {
                CLI.note("\(selection.displayName): imported as a machine whose RAM is the cgroup's limit, "
                         + "as in the cgroup form \(why)")
            }
        } catch {
            throw CLIError.failure("\(selection.displayName): \(error)")
        }
        // The scenario checked (loaded back from its YAML, equal to the one built).
        try ScenarioOutput.emit(scenario, to: output, force: force)
    }
}

extension ReportImporter.MemcgForm: ExpressibleByArgument {}
