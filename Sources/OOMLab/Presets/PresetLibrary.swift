import Foundation
import OOMLabKernel

/// Finds scenarios by file path or by preset name in an ordered list of
/// folders (for `oomlab`: `PresetSearchPath`; the caller decides). A preset
/// named NAME is the file NAME.yaml in the first folder that has one; a
/// `builtin:` folder holds the files compiled into the binary.
public struct PresetLibrary: Sendable {
    public var directories: [String]

    public init(directories: [String]) {
        self.directories = directories
    }

    /// One preset found in the library.
    public struct Entry: Equatable, Sendable {
        /// The file name without `.yaml`: what `resolve` accepts.
        public var name: String
        public var path: String
        /// The file's `description`, or "" if it has none or does not load.
        public var description: String
        /// The scenario's policy as written, if the file loads.
        public var policy: PolicySpec?
        /// Why the file does not load, if it does not.
        public var error: ScenarioError?
        /// The files of the same name in later folders, which this one hides.
        public var shadows: [String] = []

        /// The folder it comes from, as `oomlab presets` shows it.
        public var source: String { PresetLibrary.label(folder: (path as NSString).deletingLastPathComponent) }

        /// The built-in file it hides, if any.
        public var shadowedBuiltin: String? { shadows.first(where: BuiltinFiles.isBuiltin) }
    }

    /// A folder as listings show it: `built-in`, `./presets`, or the path.
    public static func label(folder: String) -> String {
        if BuiltinFiles.isBuiltin(folder) { return "built-in" }
        return folder.hasPrefix("/") || folder.hasPrefix(".") ? folder : "./" + folder
    }

    /// Whether the file at `path` has the same text as the built-in file
    /// `builtin` (a copy of the shipped preset, such as the repository's own
    /// presets/ folder, shadows nothing that matters).
    public static func sameText(_ path: String, as builtin: String) -> Bool {
        guard let shipped = BuiltinFiles.text(at: builtin) else { return false }
        return (try? FileText.contents(of: path, limit: ScenarioLoader.maxFileBytes)) == shipped
    }

    /// The files named NAME.yaml that the resolved one hides, in search order.
    public func shadowed(_ name: String) -> [String] {
        Array(directories.map { $0 + "/" + name + ".yaml" }.filter(isFile).dropFirst())
    }

    /// The path of a scenario argument: an existing file, or a preset name.
    /// An argument that looks like a path (it contains `/` or ends in
    /// `.yaml`/`.yml`) is only ever a path; a name is a path only when no
    /// preset has it.
    public func resolve(_ argument: String) throws(ScenarioError) -> String {
        let looksLikePath = argument.contains("/") || argument.hasSuffix(".yaml") || argument.hasSuffix(".yml")
        if isFile(argument) { return argument }
        // Something that is not a file (a directory, a symbolic link into a
        // loop or to nowhere) is still what the user named: the loader, which
        // opens only regular files, says what it is (exit 1, not "no such file").
        let somethingThere = !BuiltinFiles.isBuiltin(argument) && FileText.somethingIsAt(argument)
        if looksLikePath {
            if somethingThere { return argument }
            throw ScenarioError("no such file '\(argument)'")
        }
        if !argument.isEmpty {
            for folder in directories {
                let path = folder + "/" + argument + ".yaml"
                if isFile(path) { return path }
            }
        }
        if somethingThere { return argument }
        let looked = directories.isEmpty ? "no preset folders were given" : "looked in " + directories.joined(separator: ", ")
        throw ScenarioError("no preset named '\(argument)' (\(looked))",
                            suggestion: DidYouMean.suggestion(for: argument, in: names()))
    }

    /// Resolves and loads a scenario argument.
    public func load(_ argument: String) throws(ScenarioError) -> Scenario {
        try ScenarioLoader.load(path: resolve(argument))
    }

    /// Resolves and loads a scenario or session argument (a plain scenario is
    /// a session with an empty timeline).
    public func loadSession(_ argument: String) throws(ScenarioError) -> Session {
        try SessionLoader.load(path: resolve(argument))
    }

    /// Every preset in the folders, in teaching order (`teachingOrder()`),
    /// then the ones it does not name by name; where two folders hold the
    /// same name, the earlier folder's file wins (as in `resolve`).
    /// Files that do not load are listed with their error.
    public func list() -> [Entry] {
        var entries: [Entry] = []
        let order = teachingOrder()
        let rank = Dictionary(order.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let sorted = files().enumerated().sorted { a, b in
            (rank[a.element.name] ?? order.count + a.offset) < (rank[b.element.name] ?? order.count + b.offset)
        }.map(\.element)
        for (name, path) in sorted {
            var entry = Entry(name: name, path: path, description: "", policy: nil, error: nil, shadows: shadowed(name))
            do {
                let scenario = try ScenarioLoader.load(path: path)
                entry.description = scenario.description
                entry.policy = scenario.policy
            } catch {
                entry.error = error
            }
            entries.append(entry)
        }
        return entries
    }

    /// The file in a preset folder that lists its presets in the order a
    /// workshop teaches them.
    public static let orderFile = "teaching-order.txt"

    /// Preset names in teaching order: the names listed in each folder's
    /// `teaching-order.txt` (one a line, `#` comments), folders in search
    /// order, each name once. Names without a preset are left out.
    public func teachingOrder() -> [String] {
        let known = Set(names())
        var order: [String] = []
        for folder in directories {
            guard let text = try? FileText.contents(of: folder + "/" + Self.orderFile, limit: 1 << 16) else { continue }
            for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
                let name = line.prefix { $0 != "#" }.trimmingCharacters(in: .whitespaces)
                if known.contains(name) && !order.contains(name) { order.append(name) }
            }
        }
        return order
    }

    /// Preset names, sorted, without loading the files.
    public func names() -> [String] { files().map(\.name) }

    /// (name, path) of every NAME.yaml, first folder winning, sorted by name.
    private func files() -> [(name: String, path: String)] {
        var found: [String: String] = [:]
        for folder in directories {
            let names = BuiltinFiles.isBuiltin(folder) ? BuiltinFiles.fileNames(in: folder)
                : (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            for file in names.sorted() where file.hasSuffix(".yaml") && !file.hasPrefix(".") {
                let name = String(file.dropLast(".yaml".count))
                let path = folder + "/" + file
                if found[name] == nil, isFile(path) { found[name] = path }
            }
        }
        return found.keys.sorted().map { ($0, found[$0] ?? "") }
    }

    private func isFile(_ path: String) -> Bool {
        if BuiltinFiles.isBuiltin(path) { return BuiltinFiles.text(at: path) != nil }
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }
}
