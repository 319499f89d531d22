/// CSV cells quoted as RFC 4180 says: a cell holding a comma, a double quote,
/// a carriage return or a line feed is put in double quotes, with each double
/// quote inside doubled; other cells are written as they are. Rows end in
/// "\n", as `oomlab run --format csv` does.
public enum CSV {
    public static func cell(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public static func row(_ cells: [String]) -> String {
        cells.map(cell).joined(separator: ",") + "\n"
    }
}

extension CSV {
    /// A row of numbers written as ASCII bytes: what a String per cell and
    /// `joined` cost (2.4 times the 10-task tick the row describes) was the
    /// allocations, not the digits. The text is what `String(n)` gives.
    public struct NumberRow {
        private var bytes: [UInt8] = []
        private var cells = 0

        public init() { bytes.reserveCapacity(160) }

        public mutating func append(_ n: Int) {
            separate()
            if n < 0 { bytes.append(UInt8(ascii: "-")) }
            var m = n.magnitude
            var digits = 1
            var rest = m / 10
            while rest > 0 { digits += 1; rest /= 10 }
            bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits))
            var k = bytes.count
            repeat {   // the digits from the last one back
                k -= 1
                bytes[k] = UInt8(ascii: "0") + UInt8(m % 10)
                m /= 10
            } while m > 0
        }

        /// A cell that needs no quoting (a number already formatted, or nothing).
        public mutating func append(plain text: String) {
            separate()
            bytes.append(contentsOf: text.utf8)
        }

        private mutating func separate() {
            if cells > 0 { bytes.append(UInt8(ascii: ",")) }
            cells += 1
        }

        /// The row, ending in "\n".
        public consuming func line() -> String {
            bytes.append(UInt8(ascii: "\n"))
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
