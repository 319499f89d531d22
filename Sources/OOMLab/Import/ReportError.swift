import OOMLabKernel

/// Why a report could not be read: the message, and the line of the file it
/// concerns (1-based number and the text as it appears in the file).
public struct ReportError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public var line: Int?
    public var text: String?

    public init(_ message: String, line: Int? = nil, text: String? = nil) {
        self.message = message
        self.line = line
        self.text = text
    }

    /// "line 42: cannot read task table row (...): [ 1554]     0  1554"
    /// Control characters from the file are written out (`\x1b`), never sent.
    public var description: String {
        guard let line else { return message.escapingControlCharacters }
        if let text { return "line \(line): \(message): \(text)".escapingControlCharacters }
        return "line \(line): \(message)".escapingControlCharacters
    }

    static func noReport() -> ReportError {
        ReportError("no OOM report found (looked for \"invoked oom-killer\", \"Mem-Info:\", a task table or a kill line)")
    }

    public static func badIndex(_ index: Int, count: Int) -> ReportError {
        let which = count == 1 ? "1 OOM report" : "\(count) OOM reports"
        return ReportError("report \(index) does not exist: the file has \(which)")
    }
}
