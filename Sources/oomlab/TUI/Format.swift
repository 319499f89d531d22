import OOMLab

/// Number formatting for the views, in integers only (no locale, no Double
/// rounding surprises in golden files).
enum Format {
    /// Pages as a short size: "0", "512K", "2.0M", "150M", "1.5G".
    static func size(pages: Int) -> String {
        let kb = pages * (Units.pageSize / 1024)
        if kb == 0 { return "0" }
        if kb < 1024 { return "\(kb)K" }
        let tenthsMiB = kb * 10 / 1024
        if tenthsMiB < 100 { return "\(tenthsMiB / 10).\(tenthsMiB % 10)M" }
        let mib = kb / 1024
        if mib < 10 * 1024 { return "\(mib)M" }
        let tenthsGiB = mib * 10 / 1024
        return "\(tenthsGiB / 10).\(tenthsGiB % 10)G"
    }

    /// Milliseconds as seconds with two decimals: "2.25 s".
    static func seconds(ms: Int) -> String { Units.seconds(ms: ms) + " s" }

    /// Hundredths of a percent as "12.3%".
    static func percent(hundredths: Int) -> String {
        let tenths = hundredths / 10
        return "\(tenths / 10).\(tenths % 10)%"
    }

    /// Right-aligns text in a column.
    static func right(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    /// Left-aligns text in a column (truncating it).
    static func left(_ text: String, _ width: Int) -> String {
        text.count >= width ? String(text.prefix(width)) : text + String(repeating: " ", count: width - text.count)
    }

    /// Ticks per second for the header: "100 t/s", "max".
    static func speed(_ s: Int?) -> String { s.map { "\($0) t/s" } ?? "max t/s" }
}
