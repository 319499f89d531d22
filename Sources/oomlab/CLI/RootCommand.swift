import ArgumentParser
import OOMLab

/// `oomlab`: with no subcommand, the interactive TUI on the default scenario.
@main
struct RootCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oomlab",
        abstract: "A terminal laboratory for Linux out-of-memory behaviour.",
        discussion: """
            Step a simulated kernel under memory pressure, flip the policies of the \
            2015 "TIF_MEMDIE stall" debate (OOM killer from kswapd or direct reclaim, \
            __GFP_NOFAIL, the OOM reaper, reservations, kernel era) and watch reclaim, \
            OOM kills and blocked tasks.

            `oomlab NAME` opens the interface on NAME, a scenario file or a preset; a \
            first argument that is neither a command, a file nor a preset is a usage \
            error (exit 64) with the closest command or preset suggested.

            Exit status: 0 success, 1 a failure (a file that does not load, a check that \
            fails), 3 `run` stopped because its trace passed --max-output (or `compare`'s output \
            would have: nothing printed), 64 a usage \
            error (bad arguments, a name that names nothing).
            """,
        version: "0.1.0",
        subcommands: [TUICommand.self, RunCommand.self, PresetsCommand.self, LessonsCommand.self, CheckCommand.self, CompareCommand.self, QuizCommand.self, BenchCommand.self, ImportReportCommand.self, ExplainReportCommand.self, SnapshotCommand.self],
        defaultSubcommand: TUICommand.self
    )

    /// The one error path: swift-argument-parser words parse errors, help and
    /// version itself; a `CLIError` from a command is printed here and sets
    /// the exit code.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let error = unknownCommand(arguments, presets: PresetSearchPath.library) { CLI.exit(error) }
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch let error as CLIError {
            CLI.exit(error)
        } catch {
            exit(withError: error)
        }
    }

    /// The names a first argument may be: the subcommands and `help`.
    static var commandNames: [String] { configuration.subcommands.map { $0._commandName } + ["help"] }

    /// `oomlab rnu`: a first argument that is no option, no command, no file
    /// and no preset would open the TUI on nothing; it is a usage error that
    /// suggests the closest command or preset. One that looks like a path
    /// (a `/`, or `.yaml`/`.yml` at the end) is left to the TUI, which says
    /// the file does not exist.
    static func unknownCommand(_ arguments: [String], presets: PresetLibrary) -> CLIError? {
        guard let first = arguments.first, !first.hasPrefix("-"), !commandNames.contains(first) else { return nil }
        let looksLikePath = first.contains("/") || first.hasSuffix(".yaml") || first.hasSuffix(".yml")
        if looksLikePath || (try? presets.resolve(first)) != nil { return nil }
        let hint = DidYouMean.suggestion(for: first, in: commandNames + presets.names()).map { "; did you mean '\($0)'?" }
            ?? "; see 'oomlab --help' for the commands and 'oomlab presets' for the presets"
        return .usage("error: unknown command or preset '\(first)'" + hint)
    }
}
