import OOMLabKernel

/// Sizes and durations as scenario files write them, parsed with exact integer
/// arithmetic (no Double), so "1.5GiB" is exactly 393216 pages and
/// "99999999999TiB" is an overflow the caller reports, never a trap.
///
/// Sizes: a bare integer counts 4 KiB pages; otherwise a number (decimals
/// allowed) and a unit: B, K/KB/KiB, M/MB/MiB, G/GB/GiB, T/TB/TiB, P/PB/PiB
/// (all binary, case ignored) or `pages`. Rounded up to whole pages.
///
/// Durations: a bare integer counts ticks of 10 ms; otherwise a number and
/// ms, s/sec, min, h, or `ticks`. Rounded up to whole ticks.
public enum Sizes {
    public enum Failure: Error, Equatable {
        /// Not a number with a known unit.
        case malformed
        /// A valid spelling whose value does not fit in an Int.
        case tooLarge
    }

    /// Pages in a size.
    static func pages(_ text: String) throws(Failure) -> Int {
        let (number, unit) = try split(text)
        switch unit {
        case "": return try number.whole()
        case "page", "pages": return try number.whole()
        default:
            guard let bytes = sizeUnits[unit] else { throw .malformed }
            return try number.scaled(by: bytes, per: Units.pageSize)
        }
    }

    /// Bytes in a size that names its unit ("256MiB", "1GiB", "4096B"), as
    /// `--max-output` takes it. A bare number is refused as malformed:
    /// scenario files read one as pages, an option should not read it as bytes.
    public static func bytes(_ text: String) throws(Failure) -> Int {
        let (number, unit) = try split(text)
        guard let scale = sizeUnits[unit] else { throw .malformed }
        return try number.scaled(by: scale, per: 1)
    }

    /// Ticks in a duration (also `--ticks` on the command line).
    public static func ticks(_ text: String) throws(Failure) -> Int {
        let (number, unit) = try split(text)
        switch unit {
        case "", "tick", "ticks": return try number.whole()
        default:
            guard let ms = durationUnits[unit] else { throw .malformed }
            return try number.scaled(by: ms, per: Units.tickMs)
        }
    }

    /// A page count in the largest binary unit that states it exactly:
    /// 131072 -> "512MiB", 3 -> "12KiB", 0 -> "0".
    static func format(pages: Int) -> String {
        guard pages > 0, pages <= Int.max / Units.pageSize else { return String(pages) }
        let bytes = pages * Units.pageSize
        for (name, unit) in [("PiB", 1 << 50), ("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20)]
        where bytes % unit == 0 {
            return "\(bytes / unit)\(name)"
        }
        return "\(bytes >> 10)KiB"
    }

    private static let sizeUnits: [String: Int] = [
        "b": 1,
        "k": 1 << 10, "kb": 1 << 10, "kib": 1 << 10,
        "m": 1 << 20, "mb": 1 << 20, "mib": 1 << 20,
        "g": 1 << 30, "gb": 1 << 30, "gib": 1 << 30,
        "t": 1 << 40, "tb": 1 << 40, "tib": 1 << 40,
        "p": 1 << 50, "pb": 1 << 50, "pib": 1 << 50,
    ]

    private static let durationUnits: [String: Int] = [
        "ms": 1, "s": 1000, "sec": 1000, "secs": 1000, "min": 60_000, "mins": 60_000,
        "h": 3_600_000,
    ]

    /// A non-negative decimal number: `digits` / 10^`fractionDigits`.
    struct Number {
        var digits: Int
        var fractionDigits: Int

        /// The number as an integer; a fraction is malformed here.
        func whole() throws(Failure) -> Int {
            guard fractionDigits == 0 else { throw .malformed }
            return digits
        }

        /// ceil(number * unit / per), checked for overflow.
        func scaled(by unit: Int, per: Int) throws(Failure) -> Int {
            var divisor = per
            for _ in 0..<fractionDigits {
                let (d, o) = divisor.multipliedReportingOverflow(by: 10)
                if o { throw .tooLarge }
                divisor = d
            }
            let (product, overflow) = digits.multipliedReportingOverflow(by: unit)
            if overflow { throw .tooLarge }
            return product / divisor + (product % divisor == 0 ? 0 : 1)
        }
    }

    /// "1.5 GiB" -> (Number(15, 1), "gib").
    private static func split(_ text: String) throws(Failure) -> (Number, String) {
        let scalars = Array(text.unicodeScalars)
        var i = 0
        var digits = 0, fractionDigits = 0, sawDigit = false, inFraction = false
        while i < scalars.count {
            let c = scalars[i]
            if c == "." {
                if inFraction { throw .malformed }
                inFraction = true
            } else if ("0"..."9").contains(c) {
                let d = Int(c.value) - 48
                let (m, o1) = digits.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(d)
                if o1 || o2 { throw .tooLarge }
                digits = s
                sawDigit = true
                if inFraction { fractionDigits += 1 }
            } else {
                break
            }
            i += 1
        }
        guard sawDigit, !(inFraction && fractionDigits == 0) else { throw .malformed }
        while i < scalars.count, scalars[i] == " " { i += 1 }
        let unit = String(String.UnicodeScalarView(scalars[i...])).lowercased()
        return (Number(digits: digits, fractionDigits: fractionDigits), unit)
    }
}
