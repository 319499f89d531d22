import ArgumentParser
import OOMLab
import OOMLabKernel

/// `oomlab presets`: what is in the library, and where each preset comes from.
struct PresetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "presets",
        abstract: "List the presets: name, where it comes from, default policy, description.",
        discussion: """
            Presets are NAME.yaml files. They are looked up in this order, the first \
            folder with NAME.yaml winning: $OOMLAB_PRESETS (colon-separated folders), \
            ./presets, $XDG_DATA_HOME/oomlab/presets (default \
            ~/.local/share/oomlab/presets), then the presets built into oomlab. The FROM \
            column says where each comes from; a preset that hides the built-in one of \
            its name says "shadows built-in", or "same as built-in" when the two are \
            the same text. builtin:presets/NAME.yaml always names the built-in one. \
            The list is in teaching order (each folder's teaching-order.txt), then by \
            name. A file that does not load is listed with its error, and the exit \
            status is 1.
            """
    )

    @Option(help: "Output format: text or json.")
    var format: ReportFormat = .text

    func run() throws {
        let library = PresetSearchPath.library
        let entries = library.list()
        if entries.isEmpty {
            throw CLIError.failure("no presets found (looked in \(library.directories.joined(separator: ", ")))")
        }
        switch format {
        case .text: print(Self.text(entries), terminator: "")
        case .json: print(Self.json(entries, folders: library.directories).rendered())
        }
        if entries.contains(where: { $0.error != nil }) { throw ExitCode(1) }
    }

    /// "built-in", "./presets", "./presets (shadows built-in)".
    static func from(_ e: PresetLibrary.Entry) -> String {
        guard let builtin = e.shadowedBuiltin else { return e.source }
        return e.source + (PresetLibrary.sameText(e.path, as: builtin) ? " (same as built-in)" : " (shadows built-in)")
    }

    static func text(_ entries: [PresetLibrary.Entry]) -> String {
        let width = entries.map(\.name.count).max() ?? 0
        let fromWidth = entries.map { from($0).count }.max() ?? 0
        var out = ""
        for e in entries {
            let name = e.name.padding(toLength: width, withPad: " ", startingAt: 0)
            let source = from(e).padding(toLength: fromWidth, withPad: " ", startingAt: 0)
            if let error = e.error {
                out += "\(name)  \(source)  (does not load: \(error))\n"
                continue
            }
            let p = (e.policy ?? PolicySpec()).resolved
            let policy = "era=\(p.era.rawValue) oom=\(p.oomInvocation.rawValue) reaper=\(p.oomReaper ? "on" : "off") resv=\(p.reservations ? "on" : "off")"
            out += "\(name)  \(source)  \(policy.padding(toLength: 46, withPad: " ", startingAt: 0))  \(e.description)\n"
        }
        return out
    }

    /// The listing for scripts (fields in docs/json.md).
    static func json(_ entries: [PresetLibrary.Entry], folders: [String]) -> JSON {
        .object([
            ("schema_version", .int(JSON.schemaVersion)),
            ("folders", .array(folders.map { .string($0) })),
            ("presets", .array(entries.map { e in
                .object([
                    ("name", .string(e.name)),
                    ("path", .string(e.path)),
                    ("from", .string(e.source)),
                    ("shadows", .array(e.shadows.map { .string($0) })),
                    ("same_as_builtin", e.shadowedBuiltin.map { .bool(PresetLibrary.sameText(e.path, as: $0)) } ?? .null),
                    ("description", .string(e.description)),
                    ("policy", e.policy.map { $0.resolved.json } ?? .null),
                    ("error", e.error.map { .string($0.description) } ?? .null),
                ])
            })),
        ])
    }
}
