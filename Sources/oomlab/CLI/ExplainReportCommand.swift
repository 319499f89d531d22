import ArgumentParser
import OOMLab

/// `oomlab explain-report FILE [--format text|json] [--era ERA] [--index N]`:
/// every task of a kernel OOM report ranked by the era's oom_badness, the
/// model's choice beside the kernel's, and why they differ when they do.
struct ExplainReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain-report",
        abstract: "Rank a kernel OOM report's tasks by oom_badness and compare with the kernel's choice."
    )

    @Argument(help: "A kernel OOM report as pasted from dmesg, journalctl or /var/log/messages.")
    var file: String

    @Option(help: "Output format: text or json.")
    var format: ReportFormat = .text

    @Option(help: "Kernel rules to apply instead of the report's: a release (3.10, 4.0, 5.8) or 2015 / modern.")
    var era: String?

    @Option(help: "Which report of the file (1 = the first).")
    var index: Int = 1

    func validate() throws {
        _ = try ReportCommandSupport.era(era)
        guard index >= 1 else { throw ValidationError("--index must be 1 or more") }
    }

    func run() throws {
        let reports = try ReportCommandSupport.reports(in: file)
        let report = try ReportCommandSupport.report(reports, index: index, path: file)
        let explanation = ReportExplainer.explain(report, era: try ReportCommandSupport.era(era),
                                                  earlier: Array(reports.prefix(index - 1)))
        switch format {
        case .text: print(explanation.text(reportCount: reports.count), terminator: "")
        case .json: print(explanation.json(), terminator: "")
        }
    }
}
