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

    @Flag(name: .shortAndLong, help: "Also say what was undone before reading (mail quoting, quoted-printable, hard wraps, line ends) and every warning.")
    var verbose = false

    func run() throws {
        let (reports, report, index) = try selection.load()
        let explanation = ReportExplainer.explain(report, era: try ReportCommandSupport.era(selection.era),
                                                  earlier: Array(reports.prefix(index - 1)))
        switch format {
        case .text:
            var page = explanation.text(reportCount: reports.count)
            if selection.index == nil, let why = OOMReportParser.whyExplained(reports, index: index) {
                page = "note: explaining report \(index): \(why)\n" + page
            }
            if verbose { page = explanation.repairsText() + page }
            print(page, terminator: "")
        case .json: print(explanation.json(), terminator: "")
        }
    }
}
