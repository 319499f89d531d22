import ArgumentParser
import Foundation
import OOMLab
import OOMLabKernel

/// Every failure a command reports, typed: the line to print and the exit
/// code scripts can trust: 64 (EX_USAGE in sysexits.h) when the arguments
/// name nothing or make no sense, 1 when the input or the work fails, 3
/// when `run` stopped at `--max-output` (the trace on stdout is cut there)
/// or `compare`'s output would have passed it (nothing printed).
/// Commands throw it; `RootCommand.main` is the one place that prints it and
/// exits. (Errors found while parsing the arguments, before a command runs,
/// are swift-argument-parser's: "Error: ..." with the usage, exit 64.)
struct CLIError: Error, Equatable, CustomStringConvertible {
    enum Kind: Equatable, Sendable {
        /// Bad arguments: exit 64.
        case usage
        /// Input that does not load, work that cannot be done: exit 1.
        case failure
        /// `run`'s trace reached --max-output and the run stopped, or
        /// `compare`'s output would pass it: exit 3.
        case outputLimit
    }

    var kind: Kind
    /// The whole line, without its newline: "oomlab: ..." or, for an error
    /// inside a file, compiler-style "FILE:LINE:COLUMN: error: ...".
    var line: String

    init(kind: Kind, line: String) {
        self.kind = kind
        self.line = line
    }

    var exitCode: Int32 {
        switch kind {
        case .usage: 64
        case .failure: 1
        case .outputLimit: 3
        }
    }
    var description: String { line }

    /// "oomlab: MESSAGE", exit 64.
    static func usage(_ message: String) -> CLIError { CLIError(kind: .usage, line: "oomlab: " + message) }

    /// "oomlab: MESSAGE", exit 1.
    static func failure(_ message: String) -> CLIError { CLIError(kind: .failure, line: "oomlab: " + message) }

    /// A scenario, session or lesson error: compiler-style when it has a
    /// location, else "oomlab: error: MESSAGE".
    init(_ error: ScenarioError, kind: Kind = .failure) {
        self.kind = kind
        line = error.location == nil ? "oomlab: " + error.description : error.description
    }

    /// Any error a library call throws, as a failure (exit 1).
    static func from(_ error: any Error) -> CLIError {
        if let e = error as? CLIError { return e }
        if let e = error as? ScenarioError { return CLIError(e) }
        return .failure("error: \(error)")
    }
}

/// The command line's side channel: stderr, and the exit.
enum CLI {
    static func stderr(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Prints the error's line on stderr (control characters escaped, so a
    /// file name cannot move the cursor) and exits with its code.
    static func exit(_ error: CLIError) -> Never {
        stderr(error.line.escapingControlCharacters + "\n")
        Foundation.exit(error.exitCode)
    }

    /// "oomlab: warning: MESSAGE" on stderr; the command carries on.
    static func warn(_ message: String) {
        stderr("oomlab: warning: \(message.escapingControlCharacters)\n")
    }

    /// "oomlab: note: MESSAGE" on stderr.
    static func note(_ message: String) {
        stderr("oomlab: note: \(message.escapingControlCharacters)\n")
    }
}
