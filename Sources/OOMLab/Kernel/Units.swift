/// Units the model counts in. Memory is counted in 4 KiB pages and time in
/// jiffies (ticks) of 10 ms, as an x86-64 kernel with HZ=100 would.
public enum Units {
    /// PAGE_SIZE on x86-64.
    public static let pageSize = 4096
    /// PAGE_SHIFT - 10: shift that turns pages into kB.
    public static let pageShiftKB = 2
    /// HZ: ticks per second.
    public static let hz = 100
    /// Milliseconds per tick (1000 / HZ).
    public static let tickMs = 10

    public static func kb(pages: Int) -> Int { pages << pageShiftKB }
    public static func pages(kb: Int) -> Int { kb >> pageShiftKB }
    public static func mib(pages: Int) -> Double { Double(pages) * Double(pageSize) / 1_048_576 }

    /// Milliseconds to ticks, rounding up so that a non-zero wait is at least one tick.
    public static func ticks(ms: Int) -> Int { ms <= 0 ? 0 : (ms + tickMs - 1) / tickMs }
    public static func ms(ticks: Int) -> Int { ticks * tickMs }

    /// Milliseconds as seconds with two decimals, "7.25": how every output
    /// (run, compare, the TUI header, a saved scenario) writes a time.
    public static func seconds(ms: Int) -> String {
        let hundredths = (ms % 1000) / 10
        return "\(ms / 1000)." + (hundredths < 10 ? "0" : "") + String(hundredths)
    }
}

/// SplitMix64: a small, fully specified generator, so that the same seed gives
/// the same trace on every Swift version (the standard library's algorithms for
/// `random(in:using:)` are not promised to stay the same).
public struct SplitMix64: Equatable, Sendable {
    public private(set) var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in 0..<bound (bound > 0), by multiply-shift (Lemire), without the
    /// rejection step: the tiny bias does not matter for scheduling order.
    public mutating func next(below bound: Int) -> Int {
        precondition(bound > 0)
        let product = next().multipliedFullWidth(by: UInt64(bound))
        return Int(product.high)
    }
}

extension String {
    /// Lowercased, without leading or trailing spaces and tabs (the kernel core
    /// avoids Foundation, so this stands in for `trimmingCharacters(in:)`).
    var trimmedLowercase: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
              let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" })
        else { return "" }
        return String(scalars[first...last]).lowercased()
    }
}
