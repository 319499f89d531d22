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

    /// Runs the interface on `run` until the user quits, then restores the
    /// terminal. Returns the quit signal (SIGINT, SIGTERM, SIGHUP), 0 for q.
    package static func run(_ run: Run, sourcePath: String?, environment: [String: String]) throws -> Int32 {
        let terminal = Terminal()
        do {
            try terminal.start(environment: environment)
        } catch {
            terminal.stop()
            throw error
        }
        let state = AppState(run: run, sourcePath: sourcePath, unicode: terminal.unicode, color: terminal.theme.color)
        var loop = MainLoop(state: state, terminal: terminal, files: PresetFiles())
        let signal = loop.run()
        terminal.stop()
        return signal
    }
}
