// Yams keeps no comments and offers no token API, so this reads libyaml's
// tokens through the C module Yams is built on (as YAMLPreScan does).
import CYaml
import OOMLabKernel

/// Whether a YAML text holds comments, so that saving over it can refuse to
/// destroy them silently (`ScenarioWriter.save`).
enum YAMLComments {
    /// True if a `#` starts a comment anywhere in `text`. For valid YAML the
    /// answer is exact: a comment is a `#` that lies outside every token
    /// libyaml scans (a `#` inside a quoted string or `a#b` is not one).
    /// Text libyaml cannot scan counts as commented if it has any `#`, so
    /// that doubt errs on the side of keeping the file.
    static func contains(in text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard scalars.contains("#") else { return false }
        guard let covered = tokenRanges(text) else { return true }
        var next = 0   // first range that may cover the index
        for (i, c) in scalars.enumerated() where c == "#" {
            while next < covered.count, covered[next].upperBound <= i { next += 1 }
            if next == covered.count || !covered[next].contains(i) { return true }
        }
        return false
    }

    /// The character ranges of every token, in order; nil if scanning fails.
    private static func tokenRanges(_ text: String) -> [Range<Int>]? {
        var text = text
        return text.withUTF8 { bytes -> [Range<Int>]? in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return nil }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
            var ranges: [Range<Int>] = []
            var token = yaml_token_t()
            while true {
                guard yaml_parser_scan(&parser, &token) == 1 else { return nil }
                defer { yaml_token_delete(&token) }
                if token.type == YAML_STREAM_END_TOKEN { return ranges }
                let start = Int(token.start_mark.index), end = Int(token.end_mark.index)
                if end > start { ranges.append(start..<end) }
            }
        }
    }
}
