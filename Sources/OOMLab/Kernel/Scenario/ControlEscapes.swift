extension String {
    /// The text with control characters written out, so that a value echoed
    /// from a file in an error message cannot retitle, clear or beep the
    /// user's terminal: ESC is `\x1b`, BEL `\x07`, a newline `\n`, DEL `\x7f`,
    /// C1 controls `\u{9b}`. Tabs and every printable character stay.
    /// Escaping twice changes nothing more (backslashes are left alone).
    public var escapingControlCharacters: String {
        guard unicodeScalars.contains(where: Self.isControl) else { return self }
        var out = ""
        for s in unicodeScalars {
            guard Self.isControl(s) else { out.unicodeScalars.append(s); continue }
            switch s {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default:
                let hex = String(s.value, radix: 16)
                out += s.value < 0x80 ? "\\x" + (hex.count < 2 ? "0" + hex : hex) : "\\u{\(hex)}"
            }
        }
        return out
    }

    private static func isControl(_ s: Unicode.Scalar) -> Bool {
        (s.value < 0x20 && s != "\t") || (0x7f...0x9f).contains(s.value)
    }
}
