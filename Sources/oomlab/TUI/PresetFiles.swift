import Foundation
import OOMLab

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

    func load(path: String) throws -> Scenario { try ScenarioLoader.load(path: path) }

    func exists(path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    func save(_ scenario: Scenario, to path: String, overwrite: Bool) throws {
        try ScenarioWriter.save(scenario, to: path, overwrite: overwrite)
    }
}
