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
