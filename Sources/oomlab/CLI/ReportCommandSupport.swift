import ArgumentParser
import Foundation
import OOMLab
import OOMLabKernel

/// What the report commands share: reading the file, choosing the report,
/// and the one place that words their errors. A failure prints one line on
/// stderr and exits 1; bad arguments are usage errors (exit 64).
enum ReportCommandSupport {
    /// The reports in FILE; exits 1 with "oomlab: FILE: ..." if it cannot be read.
    static func reports(in path: String) throws -> [OOMReport] {
        do {
            return try OOMReportParser().parseAll(ReportFile.text(of: path))
        } catch {
            throw fail("\(path): \(error)")
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

    /// Prints "oomlab: MESSAGE" on stderr; the caller throws the result.
    static func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("oomlab: \(message.escapingControlCharacters)\n".utf8))
        return ExitCode.failure
    }

    static func warn(_ message: String) {
        FileHandle.standardError.write(Data("oomlab: warning: \(message.escapingControlCharacters)\n".utf8))
    }
}

enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// The arguments every report command takes: the file, which report in it,
/// and the kernel rules to read it with.
struct ReportSelection: ParsableArguments {
    @Argument(help: "A kernel OOM report as pasted from dmesg, journalctl or /var/log/messages.")
    var file: String

    @Option(help: "Which report of the file (1 = the first).")
    var index: Int = 1

    @Option(help: "Kernel rules to read the report with instead of its own: a release (3.10, 4.0, 5.8) or 2015 / modern.")
    var era: String?

    func validate() throws {
        _ = try ReportCommandSupport.era(era)
        guard index >= 1 else { throw ValidationError("--index must be 1 or more") }
    }

    /// Every report in the file, and the chosen one.
    func load() throws -> (all: [OOMReport], chosen: OOMReport) {
        let reports = try ReportCommandSupport.reports(in: file)
        return (reports, try ReportCommandSupport.report(reports, index: index, path: file))
    }
}
