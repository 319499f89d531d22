import Foundation
import OOMLabKernel

/// Where presets are looked up, in order: $OOMLAB_PRESETS (a colon-separated
/// list), ./presets, then presets/ next to the binary and ../share/oomlab/presets.
public enum PresetSearchPath {
    public static var directories: [String] { folders(environment: "OOMLAB_PRESETS", name: "presets") }

    public static var library: PresetLibrary { PresetLibrary(directories: directories) }

    /// The folders searched for files of one kind: the environment
    /// variable's list, ./NAME, NAME next to the binary, ../share/oomlab/NAME.
    public static func folders(environment key: String, name: String) -> [String] {
        var dirs: [String] = []
        if let env = ProcessInfo.processInfo.environment[key], !env.isEmpty {
            dirs += env.split(separator: ":").map(String.init)
        }
        dirs.append(name)
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        dirs.append(exe.appendingPathComponent(name).path)
        dirs.append(exe.appendingPathComponent("../share/oomlab/" + name).standardized.path)
        var seen = Set<String>()
        return dirs.filter { seen.insert($0).inserted }
    }
}

/// Where lessons are found: $OOMLAB_LESSONS (colon-separated), ./lessons,
/// then next to the binary, as presets are.
public enum LessonSearchPath {
    public static var library: PresetLibrary { PresetLibrary(directories: PresetSearchPath.folders(environment: "OOMLAB_LESSONS", name: "lessons")) }

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
