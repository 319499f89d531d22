/// The three per-zone watermarks, in pages. The fast path needs free > low,
/// the slow path free > min (less for callers with reserve grants), kswapd
/// reclaims until free reaches high.
public struct Watermarks: Equatable, Sendable {
    public var min: Int
    public var low: Int
    public var high: Int

    public init(min: Int, low: Int, high: Int) {
        self.min = min
        self.low = low
        self.high = high
    }

    /// The boot default of vm.min_free_kbytes: int_sqrt(lowmem_kbytes * 16),
    /// clamped to [128, 65536] kB in 4.0 and [128, 262144] kB in 6.13.
    /// init_per_zone_wmark_min (4.0), calculate_min_free_kbytes (6.13), mm/page_alloc.c.
    public static func calculateMinFreeKbytes(lowmemKbytes: Int, era: Era) -> Int {
        let value = intSqrt(lowmemKbytes * 16)
        let upper = era == .v2015 ? 65_536 : 262_144
        return Swift.min(Swift.max(value, 128), upper)
    }

    /// Watermarks of one zone that has `managed` of the node's `lowmemManaged`
    /// pages. 4.0: low = min + tmp/4, high = min + tmp/2. Modern (>= 4.6):
    /// gap = max(tmp/4, managed * watermark_scale_factor / 10000),
    /// low = min + gap, high = low + gap.
    /// __setup_per_zone_wmarks, mm/page_alloc.c.
    public static func setupPerZoneWmarks(
        minFreeKbytes: Int, managed: Int, lowmemManaged: Int,
        era: Era, watermarkScaleFactor: Int = 10
    ) -> Watermarks {
        let pagesMin = minFreeKbytes >> Units.pageShiftKB
        let tmp = share(pagesMin, managed, of: lowmemManaged)
        switch era {
        case .v2015:
            return Watermarks(min: tmp, low: tmp + tmp / 4, high: tmp + tmp / 2)
        case .modern:
            let gap = Swift.max(tmp / 4, managed * watermarkScaleFactor / 10_000)
            return Watermarks(min: tmp, low: tmp + gap, high: tmp + 2 * gap)
        }
    }

    /// a * part / whole without overflow: the kernel computes it in u64
    /// (`(u64)pages_min * zone_managed_pages(zone)`), and 1 PiB of pages
    /// times a large min_free_kbytes does not fit in 63 bits. `part <= whole`,
    /// so the result is at most `a`.
    static func share(_ a: Int, _ part: Int, of whole: Int) -> Int {
        guard whole > 0, a > 0, part > 0 else { return 0 }
        let product = UInt(a).multipliedFullWidth(by: UInt(part))
        guard product.high < UInt(whole) else { return a }
        return Int(UInt(whole).dividingFullWidth(product).quotient)
    }

    /// int_sqrt from lib/math/int_sqrt.c: the floor of the square root.
    static func intSqrt(_ x: Int) -> Int {
        guard x > 1 else { return Swift.max(x, 0) }
        var lo = 0
        var hi = Swift.min(x, 3_037_000_499)   // sqrt(Int.max)
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if mid <= x / mid { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }
}
