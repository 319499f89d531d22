import ArgumentParser
import Foundation
import OOMLab
import OOMLabKernel

/// `oomlab check`: load, run and verify scenarios against their own
/// expectations. One line per check; exit 1 on any miss or load error.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run scenarios and verify their expect and expect_with blocks.",
        discussion: """
            Each argument is a file or a preset name; with none, every preset in the \
            search path is checked. A session file (timeline: and at:) is checked on its \
            replayed run: its user actions are applied at their ticks first (expect_with \
            variants replay them too). Prints one line per check (ok or FAIL, with the \
            file:line:column of the expectation that failed) and exits 1 if any check \
            fails or any file does not load.
            """
    )

    @Argument(help: "Scenario or session files, or preset names (default: all presets).")
    var scenarios: [String] = []

    /// Where a target's session comes from.
    enum Source: Sendable {
        case preset(path: String)
        case argument(String)
    }

    func run() throws {
        let library = PresetSearchPath.library
        var targets: [(label: String, source: Source)] = []
        if scenarios.isEmpty {
            let entries = library.list()
            if entries.isEmpty { throw CLIError.failure("no presets found (looked in \(library.directories.joined(separator: ", ")))") }
            for e in entries { targets.append((e.name, .preset(path: e.path))) }
        } else {
            for arg in scenarios { targets.append((arg, .argument(arg))) }
        }
        // The runs are independent: check them on every core, then print in
        // the order given, so the output does not depend on the schedule.
        let reports = ParallelMap.run(targets) { CheckCommand.check(label: $0.label, source: $0.source) }
        var failures = 0
        var passes = 0
        for report in reports {
            for line in report.lines { print(line) }
            passes += report.passes
            failures += report.failures
        }
        print("\(passes) passed, \(failures) failed")
        if failures > 0 { throw ExitCode(1) }
    }

    /// One target's lines and counts.
    struct Report: Sendable {
        var lines: [String] = []
        var passes = 0
        var failures = 0
    }

    static func check(label: String, source: Source) -> Report {
        var report = Report()
        let scenario: Scenario
        let results: [ScenarioCheck.Result]
        do {
            let session: Session
            switch source {
            case .preset(let path): session = try SessionLoader.load(path: path)
            case .argument(let arg): session = try SessionLoader.load(path: PresetSearchPath.library.resolve(arg))
            }
            scenario = session.scenario
            results = try ScenarioCheck.run(session)
        } catch {
            report.lines.append(("FAIL \(label): \(error)").escapingControlCharacters)
            report.failures += 1
            return report
        }
        if results.isEmpty {
            report.lines.append(("FAIL \(scenario.name): no expect block to check").escapingControlCharacters)
            report.failures += 1
        }
        for r in results {
            let variant = r.variant.isEmpty ? "" : " [\(r.variant)]"
            if r.passed {
                report.passes += 1
                report.lines.append(("ok   \(scenario.name)\(variant): \(r.message)").escapingControlCharacters)
            } else {
                report.failures += 1
                let at = r.check.location.map { "\($0): " } ?? ""
                report.lines.append(("FAIL \(at)\(scenario.name)\(variant): \(r.message)").escapingControlCharacters)
            }
        }
        return report
    }
}
