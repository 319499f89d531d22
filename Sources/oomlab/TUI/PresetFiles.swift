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
        var entries = library.list().map { e in
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
    /// standing at tick 0 is written as the plain scenario.
    func save(_ session: Session, to path: String, overwrite: Bool) throws -> String {
        if session.timeline.isEmpty && session.at == 0 {
            try ScenarioWriter.save(session.scenario, to: path, overwrite: overwrite)
        } else {
            try SessionWriter.save(session, to: path, overwrite: overwrite)
        }
        return ""
    }
}
