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

            Themes: dark (the default), light, projector (high contrast on any \
            background), mono (no colour). --theme chooses one for this run; the key C \
            switches and remembers the choice in $XDG_CONFIG_HOME/oomlab/config \
            (~/.config/oomlab/config), which later runs start with. A broken config file \
            is reported on the status line and the interface starts anyway.
            """
    )

    @OptionGroup var options: ScenarioOptions

    @Option(name: .customLong("lesson"), help: ArgumentHelp("Teach a lesson (a name from `oomlab lessons`, or a lesson file): } and { move between its steps.", valueName: "NAME"))
    var lesson: String?

    @Option(name: .customLong("pause-at"), help: ArgumentHelp("Stop running at these moments, comma-separated: cues, kills (OOM kills and reaps), verdicts (verdict changes), all or none; z changes it inside.", valueName: "LIST"))
    var pauseAt: String?
    @Option(help: "Theme for this run: dark, light, projector or mono (default: the one C remembered, else dark).")
    var theme: String?

    @Flag(name: .customLong("print-keys"), help: "Print every key of the interface (from its key table) and exit.")
    var printKeys = false

    func validate() throws {
        if let theme, !TUIApp.themeNames.contains(theme) {
            let suggestion = DidYouMean.suggestion(for: theme, in: TUIApp.themeNames).map { "; did you mean '\($0)'?" } ?? ""
            throw ValidationError("--theme takes \(TUIApp.themeNames.joined(separator: ", ")), not '\(theme)'\(suggestion)")
        }
        _ = try autoPause()
        if lesson != nil && options.scenario != nil {
            throw ValidationError("give a SCENARIO or --lesson, not both: each lesson step names its own scenario")
        }
        if lesson != nil && (!options.sets.isEmpty || options.seed != nil || options.ticks != nil) {
            throw ValidationError("--set, --seed and --ticks change a SCENARIO; a lesson's steps keep their own")
        }
    }

    func autoPause() throws -> AutoPause {
        guard let pauseAt else { return [] }
        guard let parsed = AutoPause(words: pauseAt) else {
            throw ValidationError("bad value '\(pauseAt)' for --pause-at: expected a comma-separated list of cues, kills, verdicts (or all, none)")
        }
        return parsed
    }

    func run() throws {
        if printKeys {
            print(TUIApp.keyList)
            return
        }
        var taught: Lesson?
        if let lesson {
            do { taught = try LessonSearchPath.load(lesson) } catch {
                throw CLIError(error, kind: error.location == nil ? .usage : .failure)
            }
        }
        let environment = ProcessInfo.processInfo.environment
        if let problem = TUIApp.cannotOpen(environment: environment) { throw CLIError.failure(problem) }
        // A session file reopens where it was saved, with its whole past rewindable.
        let session = try options.session()
        let run: Run
        do { run = try Run(session: session) } catch { throw CLIError(error) }
        let sourcePath = options.scenario.flatMap { try? PresetSearchPath.library.resolve($0) }
        let signal: Int32
        do {
            signal = try TUIApp.run(run, sourcePath: sourcePath, environment: environment, theme: theme,
                                    autoPause: try autoPause(), lesson: taught)
        } catch { throw CLIError.from(error) }
        if signal != 0 {
            // Quit by SIGINT/SIGTERM/SIGHUP: the terminal is restored; exit as the shell expects.
            throw ExitCode(128 + signal)
        }
    }
}
