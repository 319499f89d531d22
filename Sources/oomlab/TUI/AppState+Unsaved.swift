import OOMLab
import OOMLabKernel

/// Quitting, opening another file and going back to the scenario as loaded
/// would drop the user's actions: with some unsaved, they ask first (save,
/// discard or cancel).
extension AppState {
    /// Whether any timeline on screen has actions the saved file lacks.
    var hasUnsavedActions: Bool {
        run.hasUnsavedChanges || (fork?.other.hasUnsavedChanges ?? false)
    }

    mutating func askIfUnsaved(then next: AfterUnsaved, files: ScenarioFiles) {
        if next == .open && files.openable().isEmpty {
            return fail("no presets found and no .yaml files in this folder")
        }
        guard hasUnsavedActions else { return proceed(next, files: files) }
        running = false
        overlay = .unsaved(then: next)
    }

    /// Does what waited on the question.
    mutating func proceed(_ next: AfterUnsaved, files: ScenarioFiles? = nil) {
        switch next {
        case .quit:
            quitRequested = true
        case .open:
            let entries = files?.openable() ?? []
            guard !entries.isEmpty else { return fail("no presets found and no .yaml files in this folder") }
            overlay = .picker(Picker(title: "Open a scenario", entries: entries))
        case .reset:
            replaceRun(with: Run(fresh: run.scenario), path: sourcePath)
            message = Message(text: "back to the scenario as loaded, at tick 0, with no actions", isError: false)
        }
    }

    mutating func reduceUnsaved(_ action: Action, files: ScenarioFiles) {
        guard case .unsaved(let next) = overlay else { return }
        switch action {
        case .chooseSave:
            afterSave = next
            overlay = .form(SmallForms.save(defaultPath: defaultSavePath))
        case .chooseDiscard:
            overlay = .none
            proceed(next, files: files)
        case .close:
            overlay = .none
            message = Message(text: "cancelled; nothing was dropped", isError: false)
        default: break
        }
    }

    /// The file name `s` offers: the file the run came from, or the scenario's name.
    var defaultSavePath: String { sourcePath.map(lastPathComponent) ?? kernel.scenarioName + ".yaml" }

    /// The question, as the dialog words it.
    var unsavedQuestion: String {
        let n = run.unsavedActionCount + (fork.map { $0.other.unsavedActionCount } ?? 0)
        return n == 0 ? "Your timeline differs from the saved file." : "You have \(n) unsaved action\(n == 1 ? "" : "s")."
    }
}
