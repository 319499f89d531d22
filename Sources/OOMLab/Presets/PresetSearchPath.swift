import Foundation

/// Where presets are looked up, in order: $OOMLAB_PRESETS (a colon-separated
/// list), ./presets, then presets/ next to the binary and ../share/oomlab/presets.
public enum PresetSearchPath {
    public static var directories: [String] {
        var dirs: [String] = []
        if let env = ProcessInfo.processInfo.environment["OOMLAB_PRESETS"], !env.isEmpty {
            dirs += env.split(separator: ":").map(String.init)
        }
        dirs.append("presets")
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        dirs.append(exe.appendingPathComponent("presets").path)
        dirs.append(exe.appendingPathComponent("../share/oomlab/presets").standardized.path)
        var seen = Set<String>()
        return dirs.filter { seen.insert($0).inserted }
    }

    public static var library: PresetLibrary { PresetLibrary(directories: directories) }
}
