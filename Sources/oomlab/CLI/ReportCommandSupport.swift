import ArgumentParser
import Foundation
import OOMLab
import OOMLabKernel

/// What the report commands share: reading the file, choosing the report,
/// and the wording of their errors (`CLIError`: a failure is one line on
/// stderr and exit 1; bad arguments are usage errors, exit 64).
enum ReportCommandSupport {
    /// The reports in FILE; exits 1 with "oomlab: FILE: ..." if it cannot be read.
    static func reports(in path: String) throws -> [OOMReport] {
        let name = path == "-" ? "<stdin>" : path
        do {
            let text = path == "-" ? try ReportFile.standardInput() : try ReportFile.text(of: path)
            return try OOMReportParser().parseAll(text)
        } catch {
            throw CLIError.failure("\(name): \(error)")
        }
    }

    /// The report at 1-based `index`; an index past the end is a usage error.
    static func report(_ reports: [OOMReport], index: Int, path: String) throws -> OOMReport {
        guard index >= 1, index <= reports.count else {
            throw ValidationError("\(path): \(ReportError.badIndex(index, count: reports.count).message)")
        }
        return reports[index - 1]
    }

    /// --era: a kernel release or `2015` / `modern`.
    static func era(_ text: String?) throws -> ReportEra? {
        guard let text else { return nil }
        guard let era = ReportEra.named(text) else {
            throw ValidationError("unknown era '\(text)': expected a kernel release such as 3.10, 4.0 or 5.8, or 2015 or modern")
        }
        return era
    }

}

enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// The arguments every report command takes: the file, which report in it,
/// and the kernel rules to read it with.
struct ReportSelection: ParsableArguments {
    @Argument(help: ArgumentHelp(
        "A kernel OOM report as pasted from dmesg, journalctl, /var/log/messages or a mail; - reads standard input.",
        discussion: "Mail quoting, quoted-printable, hard wraps and log prefixes are undone before reading."))
    var file: String

    @Option(help: "Which report of the file (1 = the first). Default: the first with its \"invoked oom-killer\" header or a task table.")
    var index: Int?

    @Option(help: "Kernel rules to read the report with instead of its own: a release (3.10, 4.0, 5.8) or 2015 / modern.")
    var era: String?

    func validate() throws {
        _ = try ReportCommandSupport.era(era)
        if let index, index < 1 { throw ValidationError("--index must be 1 or more") }
    }

    /// The name the file is called by in messages.
    var displayName: String { file == "-" ? "<stdin>" : file }

    /// Every report in the file, the chosen one, and its 1-based index.
    func load() throws -> (all: [OOMReport], chosen: OOMReport, index: Int) {
        let reports = try ReportCommandSupport.reports(in: file)
        let chosen = index ?? OOMReportParser.explainedIndex(reports)
        return (reports, try ReportCommandSupport.report(reports, index: chosen, path: displayName), chosen)
    }
}
