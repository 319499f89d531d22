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

    func run() throws {
        let library = PresetSearchPath.library
        var targets: [(label: String, load: () throws -> Session)] = []
        if scenarios.isEmpty {
            let entries = library.list()
            if entries.isEmpty { throw CLI.fail(CLIError("no presets found (looked in \(library.directories.joined(separator: ", ")))")) }
            for e in entries { targets.append((e.name, { try SessionLoader.load(path: e.path) })) }
        } else {
            for arg in scenarios { targets.append((arg, { try ScenarioArgument.loadSession(arg) })) }
        }
        var failures = 0
        var passes = 0
        for target in targets {
            let scenario: Scenario
            let results: [ScenarioCheck.Result]
            do {
                let session = try target.load()
                scenario = session.scenario
                results = try ScenarioCheck.run(session)
            } catch {
                print(("FAIL \(target.label): \(error)").escapingControlCharacters)
                failures += 1
                continue
            }
            if results.isEmpty {
                print(("FAIL \(scenario.name): no expect block to check").escapingControlCharacters)
                failures += 1
            }
            for r in results {
                let variant = r.variant.isEmpty ? "" : " [\(r.variant)]"
                if r.passed {
                    passes += 1
                    print(("ok   \(scenario.name)\(variant): \(r.message)").escapingControlCharacters)
                } else {
                    failures += 1
                    let at = r.check.location.map { "\($0): " } ?? ""
                    print(("FAIL \(at)\(scenario.name)\(variant): \(r.message)").escapingControlCharacters)
                }
            }
        }
        print("\(passes) passed, \(failures) failed")
        if failures > 0 { throw ExitCode(1) }
    }
}
