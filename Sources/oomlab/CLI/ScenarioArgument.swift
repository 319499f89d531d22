import ArgumentParser
import Foundation
import OOMLab
import OOMLabKernel

/// Loading a scenario argument for any command: nil is the built-in default.
/// An argument that names nothing (no such file, no such preset) is a usage
/// error (exit 64, with "did you mean"); a file that does not load is a
/// failure (exit 1, compiler-style).
enum ScenarioArgument {
    /// The path an argument names: a file, or a preset in the search path
    /// (a built-in one is `builtin:presets/NAME.yaml`).
    static func resolve(_ argument: String, in library: PresetLibrary = PresetSearchPath.library) throws(CLIError) -> String {
        let path: String
        do { path = try library.resolve(argument) } catch { throw CLIError(error, kind: .usage) }
        noteShadowing(argument, path: path, in: library)
        return path
    }

    static func load(_ argument: String?) throws(CLIError) -> Scenario {
        guard let argument else { return Scenario.defaultScenario }
        let path = try resolve(argument)
        do { return try ScenarioLoader.load(path: path) } catch { throw CLIError(error) }
    }

    /// Loading a scenario or session argument (run, check, compare, tui): a
    /// plain scenario comes back as a session with an empty timeline.
    static func loadSession(_ argument: String?) throws(CLIError) -> Session {
        guard let argument else { return Session(scenario: Scenario.defaultScenario) }
        let path = try resolve(argument)
        do { return try SessionLoader.load(path: path) } catch { throw CLIError(error) }
    }

    /// A preset name that finds a file of yours in place of the built-in
    /// preset of that name says so on stderr (unless the two are the same
    /// text, as the repository's own presets/ folder is).
    static func noteShadowing(_ argument: String, path: String, in library: PresetLibrary) {
        guard !BuiltinFiles.isBuiltin(path), path != argument,
              let builtin = library.shadowed(argument).first(where: BuiltinFiles.isBuiltin),
              !PresetLibrary.sameText(path, as: builtin) else { return }
        CLI.note("preset '\(argument)' is \(path), which shadows the built-in one (run that as \(builtin))")
    }

    /// Applies `--set KEY=VALUE` overrides; a bad one is a usage error (exit 64).
    static func apply(_ sets: [String], to scenario: inout Scenario) throws {
        try apply(sets, to: &scenario.policy)
        // After the policy: the era decides the cgroups' version.
        for item in sets where CgroupOverride.isOverride(item) {
            do { try CgroupOverride.parse(item).apply(to: &scenario) } catch { throw ValidationError(error.description) }
        }
    }

    /// The policy overrides of `sets`; `cgroup:` items are only parsed here
    /// (they need the scenario: `apply(_:to:)` with a Scenario sets them).
    static func apply(_ sets: [String], to policy: inout PolicySpec) throws {
        for item in sets {
            if CgroupOverride.isOverride(item) {
                do { _ = try CgroupOverride.parse(item) } catch { throw ValidationError(error.description) }
                continue
            }
            let (key, value) = try parseSet(item)
            do {
                try policy.set(key, value)
            } catch {
                let hint = DidYouMean.suggestion(for: value, in: key.descriptor.words).map { "; did you mean '\($0)'?" } ?? ""
                throw ValidationError("\(key.rawValue) takes \(key.allowedValues), not '\(value)'\(hint)")
            }
        }
    }

    static func parseSet(_ item: String) throws -> (PolicyKey, String) {
        guard let eq = item.firstIndex(of: "=") else {
            throw ValidationError("--set takes KEY=VALUE, not '\(item)'")
        }
        let name = String(item[..<eq]).trimmingCharacters(in: .whitespaces)
        let value = String(item[item.index(after: eq)...])
        return (try policyKey(name), value)
    }

    /// A policy key by name (`--set`, `--vary`), with "did you mean".
    static func policyKey(_ name: String) throws -> PolicyKey {
        guard let key = PolicyKey(rawValue: name) else {
            let names = PolicyKey.allCases.map(\.rawValue)
            let hint = DidYouMean.suggestion(for: name, in: names).map { "; did you mean '\($0)'?" }
                ?? " (keys: \(names.joined(separator: ", ")))"
            throw ValidationError("unknown policy key '\(name)'" + hint)
        }
        return key
    }
}
