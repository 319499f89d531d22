/// alloc_flags (mm/internal.h): which watermark a get_page_from_freelist
/// call must keep, and the reserves below it the caller may use. The fast
/// path asks for ALLOC_WMARK_LOW; the slow path's flags come from
/// gfp_to_alloc_flags (`Kernel.gfpToAllocFlags`).
struct AllocFlags: OptionSet, Equatable, Sendable {
    let rawValue: UInt8

    /// ALLOC_WMARK_MIN / _LOW / _HIGH: the zone watermark to keep. With none
    /// of them and no ALLOC_NO_WATERMARKS, min.
    static let wmarkLow = AllocFlags(rawValue: 1 << 0)
    static let wmarkHigh = AllocFlags(rawValue: 1 << 1)
    /// ALLOC_NO_WATERMARKS: __GFP_MEMALLOC, and 4.0's TIF_MEMDIE.
    static let noWatermarks = AllocFlags(rawValue: 1 << 2)
    /// ALLOC_MIN_RESERVE (ALLOC_HIGH before 6.3): __GFP_HIGH, half of min.
    static let minReserve = AllocFlags(rawValue: 1 << 3)
    /// ALLOC_NON_BLOCK (ALLOC_HARDER before 6.3): a caller that cannot
    /// sleep. 4.0 takes a quarter of what is left; 6.13 only within
    /// ALLOC_MIN_RESERVE.
    static let nonBlock = AllocFlags(rawValue: 1 << 4)
    /// ALLOC_OOM (>= 4.14): an OOM victim, half of what is left.
    static let oom = AllocFlags(rawValue: 1 << 5)

    /// The slow path's base: ALLOC_WMARK_MIN.
    static let wmarkMin: AllocFlags = []
}

extension Kernel {
    /// The slow path's alloc_flags for a request, before any reserve grant
    /// (docs/kernel.md §2.3): ALLOC_WMARK_MIN, __GFP_HIGH's and a
    /// non-blocking caller's shares.
    /// gfp_to_alloc_flags, mm/page_alloc.c (v4.0, v6.13).
    func gfpToAllocFlags(_ gfp: GFPFlags) -> AllocFlags {
        var flags = AllocFlags.wmarkMin
        if gfp.contains(.high) { flags.insert(.minReserve) }
        if !gfp.allowsBlocking && !gfp.contains(.nomemalloc) { flags.insert(.nonBlock) }
        return flags
    }

    /// The reserve grant that replaces the slow path's flags once the first
    /// try at them failed, or nil. `victim` is the caller's 4.0 TIF_MEMDIE
    /// (per thread: only the marked thread) or 6.13 tsk_is_oom_victim()
    /// (per process: every thread of a victim, `isOOMVictim`). The grant is
    /// not added to the caller's flags: 6.13 `alloc_flags =
    /// gfp_to_alloc_flags_cma(gfp_mask, reserve_flags) | (alloc_flags &
    /// ALLOC_KSWAPD)`, so a victim's GFP_ATOMIC request loses its
    /// ALLOC_MIN_RESERVE and ALLOC_NON_BLOCK shares for ALLOC_OOM's half of
    /// min; 4.0's ALLOC_NO_WATERMARKS ignores the rest anyway
    /// (__alloc_pages_high_priority).
    /// __gfp_pfmemalloc_flags / oom_reserves_allowed, __alloc_pages_slowpath,
    /// mm/page_alloc.c (v6.13); gfp_to_alloc_flags, mm/page_alloc.c (v4.0).
    func reserveFlags(_ gfp: GFPFlags, victim: Bool) -> AllocFlags? {
        if gfp.contains(.nomemalloc) { return nil }
        if gfp.contains(.memalloc) { return .noWatermarks }
        guard victim else { return nil }
        switch policy.era {
        case .v2015: return .noWatermarks
        case .modern: return .oom
        }
    }

    /// The flags the slow path allocates with after its first try: the
    /// reserve grant if there is one, else the request's own.
    func slowpathAllocFlags(_ gfp: GFPFlags, victim: Bool) -> AllocFlags {
        reserveFlags(gfp, victim: victim) ?? gfpToAllocFlags(gfp)
    }

    /// The number of free pages an allocation with these flags must leave:
    /// the watermark they name, lowered by the reserves they grant, in the
    /// kernel's order (`min -= min / 2` before `min -= min / 4`, so the
    /// integer results match). __zone_watermark_ok, mm/page_alloc.c (v4.0, v6.13).
    @inline(__always)
    func watermark(_ flags: AllocFlags) -> Int {
        if flags.contains(.noWatermarks) { return 0 }
        var min = flags.contains(.wmarkHigh) ? zone.watermarks.high : flags.contains(.wmarkLow) ? zone.watermarks.low : zone.watermarks.min
        switch policy.era {
        case .v2015:
            if flags.contains(.minReserve) { min -= min / 2 }
            if flags.contains(.nonBlock) { min -= min / 4 }
        case .modern:
            if flags.contains(.minReserve) {
                min -= min / 2
                if flags.contains(.nonBlock) { min -= min / 4 }
            }
            if flags.contains(.oom) { min -= min / 2 }
        }
        return min
    }
}
