import OOMLab
import OOMLabKernel

/// The TUI library's one door for the executable: what `oomlab tui` needs
/// and nothing more, so the command stays a few lines of argument handling.
package enum TUIApp {
    /// Every key of the interface, from its key table, as help lists them.
    package static var keyList: String { HelpView.lines().map(\.text).joined(separator: "\n") }

    /// Why the interface cannot open here (no terminal, an unusable TERM), or nil.
    package static func cannotOpen(environment: [String: String]) -> String? {
        guard Terminal.isInteractive else {
            return "the interactive interface needs a terminal on stdin and stdout; use 'oomlab run' for a headless trace"
        }
        return Terminal.termProblem(environment)
    }

    /// The themes `--theme` takes.
    package static let themeNames = Theme.Name.allCases.map(\.rawValue)

    /// Runs the interface on `run` until the user quits, then restores the
    /// terminal. Returns the quit signal (SIGINT, SIGTERM, SIGHUP), 0 for q.
    /// `autoPause` is `--pause-at`; a `lesson` opens at its first step.
    /// The theme is `theme` (a name from `themeNames`), else the one the
    /// config file remembers (`UserConfig`), else dark; a broken config file
    /// is said on the status line and the interface starts anyway.
    package static func run(_ run: Run, sourcePath: String?, environment: [String: String],
                            theme: String? = nil, autoPause: AutoPause = [], lesson: Lesson? = nil) throws -> Int32 {
        let configPath = UserConfig.path(environment: environment)
        var configError: String?
        var remembered: Theme.Name?
        if let configPath {
            do {
                remembered = try UserConfig.load(path: configPath, themes: themeNames).theme.flatMap(Theme.Name.init(rawValue:))
            } catch {
                configError = error.description + " (the interface starts with the default theme)"
            }
        }
        let chosen = theme.flatMap(Theme.Name.init(rawValue:)) ?? remembered ?? .dark
        let terminal = Terminal()
        do {
            try terminal.start(environment: environment, theme: chosen)
        } catch {
            terminal.stop()
            throw error
        }
        var state = AppState(run: run, sourcePath: sourcePath, unicode: terminal.unicode, color: terminal.hasColor)
        state.theme = chosen
        state.autoPause = autoPause
        if let lesson { state.startLesson(lesson) }
        if let configError { state.message = AppState.Message(text: configError, isError: true) }
        var loop = MainLoop(state: state, terminal: terminal, files: PresetFiles(), configPath: configPath)
        let signal = loop.run()
        terminal.stop()
        return signal
    }
}
