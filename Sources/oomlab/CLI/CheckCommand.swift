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
            file:line:column of the expectation that failed), or with --format json one \
            object listing every check, and exits 1 if any check fails or any file does \
            not load.
            """
    )

    @Argument(help: "Scenario or session files, or preset names (default: all presets).",
              completion: .custom { _, _, _ in ScenarioOptions.completions() })
    var scenarios: [String] = []

    @Option(help: "Output format: text (a line per check) or json.")
    var format: ReportFormat = .text

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
        let passes = reports.map(\.passes).reduce(0, +)
        let failures = reports.map(\.failures).reduce(0, +)
        switch format {
        case .text:
            for report in reports { for item in report.items { print(item.line) } }
            print("\(passes) passed, \(failures) failed")
        case .json:
            print(Self.json(reports).rendered())
        }
        if failures > 0 { throw ExitCode(1) }
    }

    /// One line of the result: a check that passed or failed, or a target
    /// that did not load (no scenario then).
    struct Item: Sendable {
        var target: String
        var scenario: String?
        var variant: String
        var passed: Bool
        var message: String
        var location: String?

        /// "ok   NAME [VARIANT]: MESSAGE" or "FAIL FILE:LINE:COL: NAME: MESSAGE".
        var line: String {
            let name = scenario ?? target
            let variant = variant.isEmpty ? "" : " [\(variant)]"
            let at = location.map { "\($0): " } ?? ""
            return ((passed ? "ok   " : "FAIL ") + at + name + variant + ": " + message).escapingControlCharacters
        }

        var json: JSON {
            .object([("target", .string(target)), ("scenario", scenario.map { .string($0) } ?? .null),
                     ("variant", .string(variant)), ("passed", .bool(passed)), ("message", .string(message)),
                     ("location", location.map { .string($0) } ?? .null)])
        }
    }

    /// One target's checks.
    struct Report: Sendable {
        var items: [Item] = []
        var passes: Int { items.filter(\.passed).count }
        var failures: Int { items.count - passes }
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
            report.items.append(Item(target: label, scenario: nil, variant: "", passed: false, message: "\(error)"))
            return report
        }
        if results.isEmpty {
            report.items.append(Item(target: label, scenario: scenario.name, variant: "", passed: false,
                                     message: "no expect block to check"))
        }
        for r in results {
            report.items.append(Item(target: label, scenario: scenario.name, variant: r.variant, passed: r.passed,
                                     message: r.message, location: r.passed ? nil : r.check.location.map { "\($0)" }))
        }
        return report
    }

    /// Every check for scripts (fields in docs/json.md).
    static func json(_ reports: [Report]) -> JSON {
        let items = reports.flatMap(\.items)
        return .object([("schema_version", .int(JSON.schemaVersion)), ("checks", .array(items.map(\.json))),
                        ("passed", .int(items.filter(\.passed).count)), ("failed", .int(items.filter { !$0.passed }.count))])
    }
}
