import ArgumentParser
import Foundation
import OOMLab
import OOMLabKernel

/// Loading a scenario argument for any command: nil is the built-in default.
enum ScenarioArgument {
    static func load(_ argument: String?) throws -> Scenario {
        guard let argument else { return Scenario.defaultScenario }
        do {
            return try PresetSearchPath.library.load(argument)
        } catch {
            throw CLIError(error.description)
        }
    }

    /// Loading a scenario or session argument (run, check, compare): a plain
    /// scenario comes back as a session with an empty timeline.
    static func loadSession(_ argument: String?) throws -> Session {
        guard let argument else { return Session(scenario: Scenario.defaultScenario) }
        do {
            return try PresetSearchPath.library.loadSession(argument)
        } catch {
            throw CLIError(error.description)
        }
    }

    /// Applies `--set KEY=VALUE` overrides; a bad one is a usage error (exit 64).
    static func apply(_ sets: [String], to scenario: inout Scenario) throws {
        try apply(sets, to: &scenario.policy)
    }

    static func apply(_ sets: [String], to policy: inout PolicySpec) throws {
        for item in sets {
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
        guard let key = PolicyKey(rawValue: name) else {
            let names = PolicyKey.allCases.map(\.rawValue)
            let hint = DidYouMean.suggestion(for: name, in: names).map { "; did you mean '\($0)'?" }
                ?? " (keys: \(names.joined(separator: ", ")))"
            throw ValidationError("unknown policy key '\(name)'" + hint)
        }
        return (key, value)
    }
}

/// A failure that is not a usage error: one line on stderr, exit 1.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Writes errors the way compilers and git do: one line, no stack, and the
/// exit code scripts can trust (64 usage, 1 failure).
enum CLI {
    static func fail(_ error: Error) -> ExitCode {
        let text = ((error as? CLIError)?.description ?? String(describing: error)).escapingControlCharacters
        // A located error is already compiler-style ("FILE:LINE:COL: error: ...").
        let located = text.contains(": error: ")
        stderr((located ? text : "oomlab: " + text) + "\n")
        return ExitCode(1)
    }

    static func stderr(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
