/// The shipped presets and lessons, compiled into the binary so that it works
/// from any folder (issue 13): `builtin:presets/NAME.yaml` and
/// `builtin:lessons/NAME.yaml` name them wherever a path is taken, and
/// `FileText` reads them from here instead of the disk.
///
/// Why a checked-in generated source rather than SwiftPM resources or a
/// build-tool plugin: `Bundle.module` looks for a resource bundle beside the
/// executable, which is lost when the binary is copied elsewhere; a build-tool
/// plugin compiles a generator on every clean build of a 2-core machine and
/// adds a plugin target for 100 KB of text. A generated file is plain Swift
/// that every toolchain builds, reviews as a diff, and a test keeps equal to
/// presets/ and lessons/ (scripts/sync-builtin-files.py regenerates it).
public enum BuiltinFiles {
    /// What a built-in path starts with; no file the user names can start
    /// with it unless it really is in a folder called `builtin:presets`,
    /// which then loses to the built-in of that path.
    public static let scheme = "builtin:"

    /// The built-in folder of presets or lessons ("builtin:presets").
    public static func folder(_ name: String) -> String { scheme + name }

    public static func isBuiltin(_ path: String) -> Bool { path.hasPrefix(scheme) }

    /// The text of a built-in path, or nil if there is no such built-in file.
    public static func text(at path: String) -> String? {
        guard isBuiltin(path) else { return nil }
        return texts[String(path.dropFirst(scheme.count))]
    }

    /// The file names (not paths) directly in a built-in folder, sorted.
    public static func fileNames(in folder: String) -> [String] {
        guard isBuiltin(folder) else { return [] }
        let prefix = folder.dropFirst(scheme.count) + "/"
        return texts.keys.filter { $0.hasPrefix(prefix) && !$0.dropFirst(prefix.count).contains("/") }
            .map { String($0.dropFirst(prefix.count)) }.sorted()
    }
}
