import ArgumentParser
import Foundation
import OOMLab
import OOMLabKernel

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

            Themes: dark (the default), light, projector (high contrast on any \
            background), mono (no colour). --theme chooses one for this run; the key C \
            switches and remembers the choice in $XDG_CONFIG_HOME/oomlab/config \
            (~/.config/oomlab/config), which later runs start with. A broken config file \
            is reported on the status line and the interface starts anyway.
            """
    )

    @Argument(help: "A scenario or session file, or a preset name (default: the built-in scenario).")
    var scenario: String?

    @Option(help: "Theme for this run: dark, light, projector or mono (default: the one C remembered, else dark).")
    var theme: Theme.Name?

    @Flag(name: .customLong("print-keys"), help: "Print every key of the interface (from its key table) and exit.")
    var printKeys = false

    func run() throws {
        if printKeys {
            print(HelpView.lines().map(\.text).joined(separator: "\n"))
            return
        }
        guard Terminal.isInteractive else {
            throw CLI.fail(CLIError("the interactive interface needs a terminal on stdin and stdout; use 'oomlab run' for a headless trace"))
        }
        if let problem = Terminal.termProblem(ProcessInfo.processInfo.environment) {
            throw CLI.fail(CLIError(problem))
        }
        // A session file reopens where it was saved, with its whole past rewindable.
        let run: Run
        do { run = try Run(session: try ScenarioArgument.loadSession(scenario)) } catch { throw CLI.fail(error) }
        let sourcePath = scenario.flatMap { try? PresetSearchPath.library.resolve($0) }
        let environment = ProcessInfo.processInfo.environment
        let configPath = UserConfig.path(environment: environment)
        var configError: String?
        var remembered: Theme.Name?
        if let configPath {
            do {
                remembered = try UserConfig.load(path: configPath, themes: Theme.Name.allCases.map(\.rawValue)).theme
                    .flatMap(Theme.Name.init(rawValue:))
            } catch {
                configError = error.description + " (the interface starts with the default theme)"
            }
        }
        let chosen = theme ?? remembered ?? .dark
        let terminal = Terminal()
        do {
            try terminal.start(environment: environment, theme: chosen)
        } catch {
            terminal.stop()
            throw CLI.fail(error)
        }
        var state = AppState(run: run, sourcePath: sourcePath, unicode: terminal.unicode, color: terminal.hasColor)
        state.theme = chosen
        if let configError { state.message = AppState.Message(text: configError, isError: true) }
        var loop = MainLoop(state: state, terminal: terminal, files: PresetFiles(), configPath: configPath)
        let signal = loop.run()
        terminal.stop()
        if signal != 0 {
            // Quit by SIGINT/SIGTERM/SIGHUP: the terminal is restored; exit as the shell expects.
            throw ExitCode(128 + signal)
        }
    }
}

extension Theme.Name: ExpressibleByArgument {}
