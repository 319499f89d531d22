import Foundation
import OOMLabKernel

/// Where presets are looked up. The first folder that has NAME.yaml wins:
///
/// 1. `$OOMLAB_PRESETS`, a colon-separated list of folders, in its order
///    (this run's explicit choice);
/// 2. `./presets` (the project in the current folder);
/// 3. `$XDG_DATA_HOME/oomlab/presets`, by default
///    `~/.local/share/oomlab/presets` (the user's own, for every folder);
/// 4. the built-in presets compiled into the binary (`builtin:presets`).
///
/// So a preset of yours shadows the shipped one of the same name, and
/// `oomlab presets` says so. Lessons are looked up the same way with
/// `$OOMLAB_LESSONS`, `./lessons`, `$XDG_DATA_HOME/oomlab/lessons` and
/// `builtin:lessons`.
public enum PresetSearchPath {
    public static var directories: [String] {
        folders("presets", variable: "OOMLAB_PRESETS", environment: ProcessInfo.processInfo.environment)
    }

    public static var library: PresetLibrary { PresetLibrary(directories: directories) }

    /// The folders searched for files of one kind (`presets` or `lessons`),
    /// in the order above, each once.
    public static func folders(_ name: String, variable: String, environment: [String: String]) -> [String] {
        var dirs: [String] = []
        if let list = environment[variable], !list.isEmpty {
            dirs += list.split(separator: ":").map(String.init)
        }
        dirs.append(name)
        if let data = dataHome(environment: environment) { dirs.append(data + "/oomlab/" + name) }
        dirs.append(BuiltinFiles.folder(name))
        var seen = Set<String>()
        return dirs.filter { seen.insert($0).inserted }
    }

    /// `$XDG_DATA_HOME`, or `$HOME/.local/share` when it is unset, empty or
    /// relative (the XDG Base Directory specification ignores a relative
    /// one); nil without either.
    public static func dataHome(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") { return xdg }
        guard let home = environment["HOME"], home.hasPrefix("/") else { return nil }
        return home + "/.local/share"
    }
}

/// Where lessons are found: $OOMLAB_LESSONS (colon-separated), ./lessons,
/// $XDG_DATA_HOME/oomlab/lessons, then the built-in lessons, as presets are.
public enum LessonSearchPath {
    public static var library: PresetLibrary {
        PresetLibrary(directories: PresetSearchPath.folders("lessons", variable: "OOMLAB_LESSONS",
                                                            environment: ProcessInfo.processInfo.environment))
    }

    /// Loads the lesson NAME (or a lesson file); its steps' presets come
    /// from `PresetSearchPath`.
    public static func load(_ argument: String) throws(ScenarioError) -> Lesson {
        let path: String
        do { path = try library.resolve(argument) } catch {
            var e = error
            e.message = e.message.replacingOccurrences(of: "no preset named", with: "no lesson named")
            throw e
        }
        return try LessonLoader.load(path: path, presets: PresetSearchPath.library)
    }
}
