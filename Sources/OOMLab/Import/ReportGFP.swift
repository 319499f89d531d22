import OOMLabKernel

/// Reading a report's gfp_mask into the model's `GFPFlags`. Kernels since
/// about 4.5 print the names ("0x100cca(GFP_HIGHUSER_MOVABLE)"), which are
/// stable across releases; older ones print plain hex in their own bit
/// layout: 4.0's up to 4.3, 4.4's after (docs/kernel.md §3.3).
extension GFPFlags {
    /// The flags of a report's "gfp_mask=0x...(NAMES)".
    public static func fromReport(mask: UInt64, names: [String], kernel: KernelVersion?) -> GFPFlags {
        if !names.isEmpty {
            var flags: GFPFlags = []
            for name in names {
                if let f = GFPFlags.named(name) { flags.formUnion(f); continue }
                switch name {
                case "GFP_KERNEL_ACCOUNT": flags.formUnion([.kernel, .account])
                case "GFP_TRANSHUGE", "GFP_TRANSHUGE_LIGHT": flags.formUnion([.highuserMovable, .comp])
                default: break   // __GFP_NOTRACK, __GFP_COLD, __GFP_OTHER_NODE...: no meaning in the model
                }
            }
            return flags
        }
        if mask == 0 { return [] }
        if let k = kernel, k.atLeast(4, 4) { return decode(mask, layout: layout4_4, kswapdBit: 0x2000000) }
        return decode(mask, layout: layout4_0, kswapdBit: nil)
    }

    private static func decode(_ mask: UInt64, layout: [(UInt64, GFPFlags)], kswapdBit: UInt64?) -> GFPFlags {
        var flags: GFPFlags = []
        for (bit, f) in layout where mask & bit != 0 { flags.formUnion(f) }
        if let k = kswapdBit {
            if mask & k != 0 { flags.insert(.kswapdReclaim) }
        } else if mask & 0x400000 == 0 {
            // 4.0 has __GFP_NO_KSWAPD instead: kswapd is woken unless it is set.
            flags.insert(.kswapdReclaim)
        }
        return flags
    }

    /// ___GFP_* in 4.0's include/linux/gfp.h (__GFP_WAIT = may reclaim).
    private static let layout4_0: [(UInt64, GFPFlags)] = [
        (0x01, .dma), (0x02, .highmem), (0x04, .dma32), (0x08, .movable), (0x10, .directReclaim),
        (0x20, .high), (0x40, .io), (0x80, .fs), (0x200, .nowarn), (0x400, .retryMayfail),
        (0x800, .nofail), (0x1000, .noretry), (0x2000, .memalloc), (0x4000, .comp), (0x8000, .zero),
        (0x10000, .nomemalloc), (0x20000, .hardwall), (0x40000, .thisnode), (0x80000, .reclaimable),
        (0x1000000, .write),
    ]

    /// ___GFP_* in 4.4-4.13 (d0164adc89f6 split __GFP_WAIT).
    private static let layout4_4: [(UInt64, GFPFlags)] = [
        (0x01, .dma), (0x02, .highmem), (0x04, .dma32), (0x08, .movable), (0x10, .reclaimable),
        (0x20, .high), (0x40, .io), (0x80, .fs), (0x200, .nowarn), (0x400, .retryMayfail),
        (0x800, .nofail), (0x1000, .noretry), (0x2000, .memalloc), (0x4000, .comp), (0x8000, .zero),
        (0x10000, .nomemalloc), (0x20000, .hardwall), (0x40000, .thisnode), (0x100000, .account),
        (0x400000, .directReclaim), (0x1000000, .write),
    ]
}
