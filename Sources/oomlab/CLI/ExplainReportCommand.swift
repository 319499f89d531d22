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

    @OptionGroup var selection: ReportSelection

    @Option(help: "Output format: text or json.")
    var format: ReportFormat = .text

    func run() throws {
        let (reports, report) = try selection.load()
        let explanation = ReportExplainer.explain(report, era: try ReportCommandSupport.era(selection.era),
                                                  earlier: Array(reports.prefix(selection.index - 1)))
        switch format {
        case .text: print(explanation.text(reportCount: reports.count), terminator: "")
        case .json: print(explanation.json(), terminator: "")
        }
    }
}
