import OOMLabKernel

/// Writing scalars so that `ScenarioLoader` reads back exactly the text given.
enum YAMLScalar {
    /// Plain when that is unambiguous, double-quoted otherwise.
    /// `quoteIntegers` quotes text that a plain scalar would read as a number
    /// where that changes its meaning (an expectation's victim name "123").
    static func string(_ text: String, quoteIntegers: Bool = false) -> String {
        if isPlainSafe(text) && !(quoteIntegers && Int(text) != nil) { return text }
        return quoted(text)
    }

    /// ASCII letters, digits, spaces and `_ . / ( ) + -`, starting with a
    /// letter, digit, `_`, `.`, `/` or `(`, not ending with a space, and not a
    /// word YAML reads as null.
    static func isPlainSafe(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last, last != " " else {
            return false
        }
        if ["~", "null", "Null", "NULL"].contains(text) { return false }
        func word(_ c: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || "_./(".unicodeScalars.contains(c)
        }
        return word(first) && text.unicodeScalars.allSatisfy { word($0) || " )+-".unicodeScalars.contains($0) }
    }

    /// A double-quoted scalar, escaping what YAML would otherwise fold or refuse.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for c in text.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if c.value < 0x20 || c.value == 0x7F || c.value == 0x85 || c.value == 0x2028 || c.value == 0x2029
                    || c.value == 0xFEFF {
                    let hex = String(c.value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        return out + "\""
    }
}
