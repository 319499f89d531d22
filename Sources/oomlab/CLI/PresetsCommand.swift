import ArgumentParser
import OOMLab
import OOMLabKernel

/// `oomlab presets`: what is in the library.
struct PresetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "presets",
        abstract: "List the shipped presets: name, default policy, description.",
        discussion: "Presets are NAME.yaml files in $OOMLAB_PRESETS (colon-separated), ./presets, then next to the binary; the first folder wins."
    )

    func run() throws {
        let library = PresetSearchPath.library
        let entries = library.list()
        if entries.isEmpty {
            throw CLI.fail(CLIError("no presets found (looked in \(library.directories.joined(separator: ", ")))"))
        }
        let width = entries.map(\.name.count).max() ?? 0
        var broken = 0
        for e in entries {
            let name = e.name.padding(toLength: width, withPad: " ", startingAt: 0)
            if let error = e.error {
                broken += 1
                print("\(name)  (does not load: \(error))")
                continue
            }
            let p = (e.policy ?? PolicySpec()).resolved
            let policy = "era=\(p.era.rawValue) oom=\(p.oomInvocation.rawValue) reaper=\(p.oomReaper ? "on" : "off") resv=\(p.reservations ? "on" : "off")"
            print("\(name)  \(policy.padding(toLength: 46, withPad: " ", startingAt: 0))  \(e.description)")
        }
        if broken > 0 { throw ExitCode(1) }
    }
}
