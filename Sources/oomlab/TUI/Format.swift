import OOMLab
import OOMLabKernel

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

    /// Milliseconds in at most five characters: "1.8s", "12s", "1234s".
    static func shortSeconds(ms: Int) -> String {
        ms < 10_000 ? "\(ms / 1000).\(ms % 1000 / 100)s" : "\(ms / 1000)s"
    }

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

    /// Ticks per second for the header: the setting, and the rate reached
    /// when it is measured and falls short of the setting: "100 t/s",
    /// "max t/s", "max 41.2k t/s", "5000 t/s, got 812".
    static func speed(_ setting: Int?, achieved: Int? = nil) -> String {
        guard let setting else { return achieved.map { "max \(count($0)) t/s" } ?? "max t/s" }
        if let got = achieved, got * 10 < setting * 9 { return "\(setting) t/s, got \(count(got))" }
        return "\(setting) t/s"
    }

    /// A count in at most four characters: "812", "41.2k", "1.23M".
    static func count(_ n: Int) -> String {
        if n < 10_000 { return String(n) }
        if n < 1_000_000 {
            let tenths = n / 100
            return tenths < 1000 ? "\(tenths / 10).\(tenths % 10)k" : "\(n / 1000)k"
        }
        let hundredths = n / 10_000
        let frac = hundredths % 100
        return "\(hundredths / 100).\(frac < 10 ? "0" : "")\(frac)M"
    }
}
