import ArgumentParser
import Foundation
import OOMLab
import OOMLabKernel
import OOMLabTUI

/// `oomlab tui [SCENARIO]` (and `oomlab` alone): the interactive interface.
struct TUICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tui",
        abstract: "Open the interactive terminal interface (the default command).",
        discussion: """
            SCENARIO is a scenario or session file, or a preset name, looked up as for \
            `oomlab run`; without it the built-in 2015 XFS stall opens. A session file \
            (saved with s: the scenario as loaded, timeline: and at:) reopens at its at:, \
            with its whole past rewindable. Press ? inside for every key.
            """
    )

    @Argument(help: "A scenario or session file, or a preset name (default: the built-in scenario).")
    var scenario: String?

    @Flag(name: .customLong("print-keys"), help: "Print every key of the interface (from its key table) and exit.")
    var printKeys = false

    func run() throws {
        if printKeys {
            print(TUIApp.keyList)
            return
        }
        let environment = ProcessInfo.processInfo.environment
        if let problem = TUIApp.cannotOpen(environment: environment) { throw CLI.fail(CLIError(problem)) }
        // A session file reopens where it was saved, with its whole past rewindable.
        let run: Run
        do { run = try Run(session: try ScenarioArgument.loadSession(scenario)) } catch { throw CLI.fail(error) }
        let sourcePath = scenario.flatMap { try? PresetSearchPath.library.resolve($0) }
        let signal: Int32
        do { signal = try TUIApp.run(run, sourcePath: sourcePath, environment: environment) } catch { throw CLI.fail(error) }
        if signal != 0 {
            // Quit by SIGINT/SIGTERM/SIGHUP: the terminal is restored; exit as the shell expects.
            throw ExitCode(128 + signal)
        }
    }
}
