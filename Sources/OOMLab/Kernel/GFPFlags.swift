/// A gfp mask: what an allocation may do (sleep, start I/O, call into the
/// filesystem, fail, use reserves). The bits are the model's own and do not
/// change between eras; `hex(era:)` prints the value each era's kernel would.
/// include/linux/gfp.h (4.0), include/linux/gfp_types.h (6.13).
public struct GFPFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let dma = GFPFlags(rawValue: 1 << 0)            // __GFP_DMA
    public static let highmem = GFPFlags(rawValue: 1 << 1)        // __GFP_HIGHMEM
    public static let dma32 = GFPFlags(rawValue: 1 << 2)          // __GFP_DMA32
    public static let movable = GFPFlags(rawValue: 1 << 3)        // __GFP_MOVABLE
    public static let reclaimable = GFPFlags(rawValue: 1 << 4)    // __GFP_RECLAIMABLE
    public static let high = GFPFlags(rawValue: 1 << 5)           // __GFP_HIGH
    public static let io = GFPFlags(rawValue: 1 << 6)             // __GFP_IO
    public static let fs = GFPFlags(rawValue: 1 << 7)             // __GFP_FS
    public static let zero = GFPFlags(rawValue: 1 << 8)           // __GFP_ZERO
    /// __GFP_DIRECT_RECLAIM (4.0: __GFP_WAIT): may sleep and reclaim itself.
    public static let directReclaim = GFPFlags(rawValue: 1 << 10)
    /// __GFP_KSWAPD_RECLAIM (4.0: the absence of __GFP_NO_KSWAPD): may wake kswapd.
    public static let kswapdReclaim = GFPFlags(rawValue: 1 << 11)
    public static let write = GFPFlags(rawValue: 1 << 12)         // __GFP_WRITE
    public static let nowarn = GFPFlags(rawValue: 1 << 13)        // __GFP_NOWARN
    /// __GFP_RETRY_MAYFAIL (4.0: __GFP_REPEAT).
    public static let retryMayfail = GFPFlags(rawValue: 1 << 14)
    public static let nofail = GFPFlags(rawValue: 1 << 15)        // __GFP_NOFAIL
    public static let noretry = GFPFlags(rawValue: 1 << 16)       // __GFP_NORETRY
    public static let memalloc = GFPFlags(rawValue: 1 << 17)      // __GFP_MEMALLOC
    public static let comp = GFPFlags(rawValue: 1 << 18)          // __GFP_COMP
    public static let nomemalloc = GFPFlags(rawValue: 1 << 19)    // __GFP_NOMEMALLOC
    public static let hardwall = GFPFlags(rawValue: 1 << 20)      // __GFP_HARDWALL
    public static let thisnode = GFPFlags(rawValue: 1 << 21)      // __GFP_THISNODE
    public static let account = GFPFlags(rawValue: 1 << 22)       // __GFP_ACCOUNT

    // Composites, by their kernel names.
    public static let reclaim: GFPFlags = [.directReclaim, .kswapdReclaim]   // __GFP_RECLAIM
    public static let kernel: GFPFlags = [.reclaim, .io, .fs]                // GFP_KERNEL
    public static let nofs: GFPFlags = [.reclaim, .io]                       // GFP_NOFS
    public static let noio: GFPFlags = [.reclaim]                            // GFP_NOIO
    public static let atomic: GFPFlags = [.high, .kswapdReclaim]             // GFP_ATOMIC
    public static let nowait: GFPFlags = [.kswapdReclaim]                    // GFP_NOWAIT
    public static let user: GFPFlags = [.kernel, .hardwall]                  // GFP_USER
    public static let highuser: GFPFlags = [.user, .highmem]                 // GFP_HIGHUSER
    public static let highuserMovable: GFPFlags = [.highuser, .movable]      // GFP_HIGHUSER_MOVABLE

    /// Whether the caller may sleep and reclaim (gfpflags_allow_blocking).
    public var allowsBlocking: Bool { contains(.directReclaim) }

    /// Every name a scenario may use, composites first, in the order the
    /// kernel's %pGg printer tries them (include/trace/events/mmflags.h).
    public static let names: [(name: String, flags: GFPFlags)] = [
        ("GFP_HIGHUSER_MOVABLE", .highuserMovable),
        ("GFP_HIGHUSER", .highuser),
        ("GFP_USER", .user),
        ("GFP_KERNEL", .kernel),
        ("GFP_NOFS", .nofs),
        ("GFP_ATOMIC", .atomic),
        ("GFP_NOIO", .noio),
        ("GFP_NOWAIT", .nowait),
        ("GFP_DMA", .dma),
        ("__GFP_HIGHMEM", .highmem),
        ("GFP_DMA32", .dma32),
        ("__GFP_HIGH", .high),
        ("__GFP_IO", .io),
        ("__GFP_FS", .fs),
        ("__GFP_NOWARN", .nowarn),
        ("__GFP_RETRY_MAYFAIL", .retryMayfail),
        ("__GFP_NOFAIL", .nofail),
        ("__GFP_NORETRY", .noretry),
        ("__GFP_COMP", .comp),
        ("__GFP_ZERO", .zero),
        ("__GFP_NOMEMALLOC", .nomemalloc),
        ("__GFP_MEMALLOC", .memalloc),
        ("__GFP_HARDWALL", .hardwall),
        ("__GFP_THISNODE", .thisnode),
        ("__GFP_RECLAIMABLE", .reclaimable),
        ("__GFP_MOVABLE", .movable),
        ("__GFP_ACCOUNT", .account),
        ("__GFP_WRITE", .write),
        ("__GFP_RECLAIM", .reclaim),
        ("__GFP_DIRECT_RECLAIM", .directReclaim),
        ("__GFP_KSWAPD_RECLAIM", .kswapdReclaim),
    ]

    /// Old spellings accepted on input.
    static let aliases: [(name: String, flags: GFPFlags)] = [
        ("__GFP_WAIT", .directReclaim),
        ("__GFP_REPEAT", .retryMayfail),
        ("__GFP_DMA", .dma),
        ("__GFP_DMA32", .dma32),
    ]

    /// All names accepted by `parse`, for "did you mean".
    public static var acceptedNames: [String] { names.map(\.name) + aliases.map(\.name) }

    /// Looks up one name ("GFP_NOFS", "__GFP_NOFAIL"); nil if unknown.
    public static func named(_ name: String) -> GFPFlags? {
        let upper = name.uppercased()
        if let hit = names.first(where: { $0.name == upper }) { return hit.flags }
        return aliases.first(where: { $0.name == upper })?.flags
    }

    /// The symbolic form the modern kernel prints, e.g. "GFP_NOFS|__GFP_NOFAIL".
    public var symbolicName: String {
        var rest = self
        var parts: [String] = []
        for (name, flags) in GFPFlags.names where !flags.isEmpty && rest.isSuperset(of: flags) {
            parts.append(name)
            rest.subtract(flags)
        }
        if parts.isEmpty { return self.isEmpty ? "GFP_NOWAIT" : "0x0" }
        return parts.joined(separator: "|")
    }

    /// The mask as the era's kernel would print it: plain hex in 4.0
    /// (`gfp_mask=0xd0`), hex and names in 6.x (`gfp_mask=0xcc0(GFP_KERNEL)`).
    public func hex(era: Era) -> String {
        switch era {
        case .v2015: return "0x" + String(value2015, radix: 16)
        case .modern: return "0x" + String(valueModern, radix: 16) + "(" + symbolicName + ")"
        }
    }

    /// Only the hex part, as XFS prints `mode:0x250`.
    public func plainHex(era: Era) -> String {
        "0x" + String(era == .v2015 ? value2015 : valueModern, radix: 16)
    }

    /// The 4.0 bit layout (___GFP_* in include/linux/gfp.h). A static
    /// table: a logged line reads it instead of building it again.
    static let bits2015: [(GFPFlags, UInt32)] = [
        (.dma, 0x01), (.highmem, 0x02), (.dma32, 0x04), (.movable, 0x08),
        (.directReclaim, 0x10), (.high, 0x20), (.io, 0x40), (.fs, 0x80),
        (.nowarn, 0x200), (.retryMayfail, 0x400), (.nofail, 0x800),
        (.noretry, 0x1000), (.memalloc, 0x2000), (.comp, 0x4000), (.zero, 0x8000),
        (.nomemalloc, 0x10000), (.hardwall, 0x20000), (.thisnode, 0x40000),
        (.reclaimable, 0x80000), (.write, 0x1000000),
    ]

    var value2015: UInt32 {
        var v: UInt32 = 0
        for (flag, bit) in GFPFlags.bits2015 where contains(flag) { v |= bit }
        if !contains(.kswapdReclaim) { v |= 0x400000 }   // __GFP_NO_KSWAPD
        return v
    }

    /// The 6.13 bit layout (enum in include/linux/gfp_types.h).
    static let bitsModern: [(GFPFlags, UInt32)] = [
        (.dma, 1 << 0), (.highmem, 1 << 1), (.dma32, 1 << 2), (.movable, 1 << 3),
        (.reclaimable, 1 << 4), (.high, 1 << 5), (.io, 1 << 6), (.fs, 1 << 7),
        (.zero, 1 << 8), (.directReclaim, 1 << 10), (.kswapdReclaim, 1 << 11),
        (.write, 1 << 12), (.nowarn, 1 << 13), (.retryMayfail, 1 << 14),
        (.nofail, 1 << 15), (.noretry, 1 << 16), (.memalloc, 1 << 17),
        (.comp, 1 << 18), (.nomemalloc, 1 << 19), (.hardwall, 1 << 20),
        (.thisnode, 1 << 21), (.account, 1 << 22),
    ]

    var valueModern: UInt32 {
        var v: UInt32 = 0
        for (flag, bit) in GFPFlags.bitsModern where contains(flag) { v |= bit }
        return v
    }
}
