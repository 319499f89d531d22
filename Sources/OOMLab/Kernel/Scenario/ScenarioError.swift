/// Why a scenario file could not be loaded, saved or found, printed the way a
/// compiler prints a diagnostic:
///
///     presets/x.yaml:12:7: error: unknown key 'gpf' in alloc; did you mean 'gfp'?
///
/// Every error the loader finds in a file carries the line and column of the
/// offending key or value (1-based, columns counted in characters). Errors
/// about a whole file (it cannot be read, it is too large) or about a path
/// (nothing found by that name) have no location and name the path in the
/// message instead: `error: cannot read 'x.yaml': No such file or directory`.
public struct ScenarioError: Error, Equatable, Sendable, CustomStringConvertible {
    public var location: SourceLocation?
    /// What is wrong, and where it helps, what was expected. No trailing period.
    public var message: String
    /// A close spelling the user probably meant ("did you mean 'X'?").
    public var suggestion: String?

    public init(_ message: String, at location: SourceLocation? = nil, suggestion: String? = nil) {
        self.message = message
        self.location = location
        self.suggestion = suggestion
    }

    /// `FILE:LINE:COLUMN: error: MESSAGE`, plus `; did you mean 'X'?` when
    /// there is a suggestion; `error: MESSAGE` without a location.
    public var description: String {
        var text = location.map { "\($0): error: " } ?? "error: "
        text += message
        if let suggestion { text += "; did you mean '\(suggestion)'?" }
        return text.escapingControlCharacters
    }
}
