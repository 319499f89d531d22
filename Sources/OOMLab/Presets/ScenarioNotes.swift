import Foundation
import OOMLabKernel

/// A preset's notes for the TUI's `i` key: its header comment, read as
/// paragraphs. Shipped presets open with a comment of the form
///
///     # NAME: one line saying what it is.
///     #
///     # What it shows: ...
///     #
///     # Watch for: ... Then try: `--set ...`
///
/// so the notes are the file's own words and cannot drift from it. A
/// paragraph that begins with a short label ("What it shows:") gets it as a
/// heading. Lines indented further than the text (a quoted log line) keep
/// their line break. YAML keeps no comments, so this reads the text.
public struct ScenarioNotes: Equatable, Sendable {
    public struct Paragraph: Equatable, Sendable {
        /// "What it shows", "Watch for", or "" for a paragraph without one.
        public var heading: String
        /// The paragraph's lines, joined where the comment only wrapped them.
        public var lines: [String]
    }

    /// The first line's text after "NAME:", or the whole first line.
    public var summary: String
    public var paragraphs: [Paragraph]

    public var isEmpty: Bool { summary.isEmpty && paragraphs.isEmpty }

    /// The notes of a scenario file's text: its leading comment block.
    public init(yaml text: String) {
        var comment: [String] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            guard line.hasPrefix("#") else { break }
            var body = line.dropFirst()
            if body.hasPrefix(" ") { body = body.dropFirst() }
            comment.append(String(body))
        }
        summary = ""
        paragraphs = []
        guard let first = comment.first else { return }
        if let colon = first.range(of: ": "), !first[..<colon.lowerBound].contains(" ") {
            summary = String(first[colon.upperBound...])
        } else {
            summary = first
        }
        var current: [String] = []
        func flush() {
            guard !current.isEmpty else { return }
            var heading = ""
            if let colon = current[0].range(of: ": "), current[0].distance(from: current[0].startIndex, to: colon.lowerBound) <= 16,
               current[0].first?.isUppercase == true {
                heading = String(current[0][..<colon.lowerBound])
                let rest = current[0][colon.upperBound...]
                current[0] = rest.prefix(1).uppercased() + rest.dropFirst()
            }
            paragraphs.append(Paragraph(heading: heading, lines: current))
            current = []
        }
        for line in comment.dropFirst() {
            if line.allSatisfy({ $0 == " " }) { flush(); continue }
            if line.hasPrefix("  ") || current.isEmpty || current[current.count - 1].hasPrefix("  ") {
                current.append(line)
            } else {
                current[current.count - 1] += " " + line
            }
        }
        flush()
    }

    /// The notes of the file at `path`, or nil if it cannot be read.
    public static func load(path: String) -> ScenarioNotes? {
        guard let text = try? FileText.contents(of: path, limit: ScenarioLoader.maxFileBytes) else { return nil }
        return ScenarioNotes(yaml: text)
    }
}
