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
            """,
        version: "0.1.0",
        subcommands: [TUICommand.self, RunCommand.self, PresetsCommand.self, LessonsCommand.self, CheckCommand.self, CompareCommand.self, QuizCommand.self, BenchCommand.self, ImportReportCommand.self, ExplainReportCommand.self, SnapshotCommand.self],
        defaultSubcommand: TUICommand.self
    )
}
