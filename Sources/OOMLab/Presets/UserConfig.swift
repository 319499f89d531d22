import Foundation
import OOMLabKernel

/// The TUI's remembered settings: `$XDG_CONFIG_HOME/oomlab/config`
/// (`~/.config/oomlab/config` when XDG_CONFIG_HOME is unset or not absolute,
/// as the XDG Base Directory specification says). One `key: value` a line,
/// `#` comments, blank lines allowed:
///
///     # oomlab remembers the theme chosen with C
///     theme: projector
///
/// A broken file is a located error (`config:2:8: error: ...`) that the TUI
/// shows on its status line and then starts anyway; saving is atomic.
public struct UserConfig: Equatable, Sendable {
    public var theme: String?

    public init(theme: String? = nil) { self.theme = theme }

    public static let keys = ["theme"]
    /// A config file is a few lines; anything bigger is not one.
    static let maxBytes = 64 * 1024

    /// The file's path for an environment, or nil without a usable home.
    public static func path(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/oomlab/config" }
        guard let home = environment["HOME"], home.hasPrefix("/") else { return nil }
        return home + "/.config/oomlab/config"
    }

    /// Reads the file; a missing file is the default configuration.
    public static func load(path: String, themes: [String]) throws(ScenarioError) -> UserConfig {
        var info = stat()
        if lstat(path, &info) != 0 && errno == ENOENT { return UserConfig() }
        return try parse(FileText.contents(of: path, limit: maxBytes), file: path, themes: themes)
    }

    /// Parses the text of a config file; `themes` are the names `theme:` takes.
    public static func parse(_ text: String, file: String, themes: [String]) throws(ScenarioError) -> UserConfig {
        var config = UserConfig()
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            let content = line.prefix { $0 != "#" }
            guard content.contains(where: { $0 != " " && $0 != "\t" }) else { continue }
            let indent = content.prefix { $0 == " " || $0 == "\t" }.count
            func at(_ column: Int) -> SourceLocation { SourceLocation(file: file, line: n + 1, column: column) }
            guard let colon = content.firstIndex(of: ":") else {
                throw ScenarioError("expected 'key: value', such as 'theme: light'", at: at(indent + 1))
            }
            let key = content[..<colon].trimmingCharacters(in: .whitespaces)
            let valueStart = content.index(after: colon)
            let value = content[valueStart...].trimmingCharacters(in: .whitespaces)
            let valueColumn = content.distance(from: content.startIndex, to: valueStart)
                + content[valueStart...].prefix { $0 == " " || $0 == "\t" }.count + 1
            switch key {
            case "theme":
                guard themes.contains(value) else {
                    throw ScenarioError("unknown theme '\(value)'; the themes are " + themes.joined(separator: ", "),
                                        at: at(valueColumn), suggestion: DidYouMean.suggestion(for: value, in: themes))
                }
                config.theme = value
            default:
                throw ScenarioError("unknown key '\(key)'; the keys are " + keys.joined(separator: ", "),
                                    at: at(indent + 1), suggestion: DidYouMean.suggestion(for: key, in: keys))
            }
        }
        return config
    }

    /// The file's text.
    public var text: String {
        var out = "# oomlab's settings (the TUI writes this file when you press C)\n"
        if let theme { out += "theme: \(theme)\n" }
        return out
    }

    /// Writes the file atomically, creating its folder.
    public func save(to path: String) throws(ScenarioError) {
        let folder = AtomicFile.parentFolder(of: path)
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw ScenarioError("cannot create '\(folder)': \(error.localizedDescription)")
        }
        try AtomicFile.write(text, to: path, replacing: true)
    }
}
