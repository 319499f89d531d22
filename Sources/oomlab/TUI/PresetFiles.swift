import Foundation
import OOMLab
import OOMLabKernel

/// The real `ScenarioFiles`: presets from the CLI's search path plus the
/// `.yaml` files in the current folder; saving goes through ScenarioWriter
/// (atomic; never replaces a file unless asked).
struct PresetFiles: ScenarioFiles {
    var library: PresetLibrary
    var folder: String

    init(library: PresetLibrary = PresetSearchPath.library, folder: String = FileManager.default.currentDirectoryPath) {
        self.library = library
        self.folder = folder
    }

    func openable() -> [AppState.Picker.Entry] {
        let lessons = LessonSearchPath.library
        var entries = lessons.names().compactMap { name -> AppState.Picker.Entry? in
            guard let path = try? lessons.resolve(name) else { return nil }
            let title = (try? loadLesson(path: path)).map { "\($0.title) (\($0.steps.count) steps)" } ?? "does not load: oomlab lessons says why"
            return AppState.Picker.Entry(label: "lesson: " + name, detail: title, path: path, isLesson: true)
        }
        entries += library.list().map { e in
            AppState.Picker.Entry(label: e.name, detail: e.error.map { "does not load: \($0.message)" } ?? e.description,
                                  path: e.path)
        }
        let known = Set(entries.map { URL(fileURLWithPath: $0.path).standardizedFileURL.path })
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        for name in names where (name.hasSuffix(".yaml") || name.hasSuffix(".yml")) && !name.hasPrefix(".") {
            let path = folder + "/" + name
            guard !known.contains(URL(fileURLWithPath: path).standardizedFileURL.path) else { continue }
            entries.append(AppState.Picker.Entry(label: "./" + name, detail: "file in this folder", path: path))
        }
        return entries
    }

    /// A scenario or session file. A plain scenario is a session standing at
    /// tick 0; a session reopens at its `at:` with its timeline.
    func load(path: String) throws -> Session { try SessionLoader.load(path: path) }

    func exists(path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    /// Saves the session (the scenario as loaded, the timeline, `at:`),
    /// atomically and only if it loads back equal; a session without actions
    /// standing at tick 0 is written as the plain scenario. The scenario's
    /// `expect:` checks were written for the run without the user's actions:
    /// those the saved session no longer meets are left out, as
    /// `run --save-as` does (ScenarioCheck+Save.swift), so that `oomlab check`
    /// passes the file; the note says how many.
    func save(_ session: Session, to path: String, overwrite: Bool) throws -> String {
        let filtered = ScenarioCheck.keepingHoldingChecks(session)
        if session.timeline.isEmpty && session.at == 0 {
            try ScenarioWriter.save(filtered.session.scenario, to: path, overwrite: overwrite)
        } else {
            try SessionWriter.save(filtered.session, to: path, overwrite: overwrite)
        }
        return Self.note(dropped: filtered.dropped.count, actions: session.timeline.count, at: session.at)
    }

    /// The status line's words after a save that left checks out ("" when it kept them all).
    static func note(dropped: Int, actions: Int, at tick: Int) -> String {
        guard dropped > 0 else { return "" }
        return "(\(actions) action\(actions == 1 ? "" : "s"), at tick \(tick); left out \(dropped) expect check"
            + "\(dropped == 1 ? "" : "s") your actions broke: oomlab check would fail \(dropped == 1 ? "it" : "them"))"
    }
}
