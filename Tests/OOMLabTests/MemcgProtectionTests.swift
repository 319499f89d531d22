import Testing
@testable import OOMLabKernel

@Suite("effective memory.low / memory.min (docs/memcg.md §6)")
struct MemcgProtectionTests {
    /// The kernel's example (the comment above effective_protection, 4.16-5.6,
    /// and the memory.low commit 230671533d64):
    ///   A  low 2G,  current 6G
    ///   B  low 3G,  current 2G;  C low 1G, current 2G;  D low 0, current 2G;  E low 10G, current 0
    /// with the documented result of reclaim: A 2G, B 1.3G, C 0.6G, D 0, E 0.
    func kernelExample(b: Int, c: Int, d: Int) throws -> (CgroupTree, [CgroupID]) {
        var t = try Memcg.tree(["/A", "/A/B", "/A/C", "/A/D", "/A/E"])
        let ids = try ["/A", "/A/B", "/A/C", "/A/D", "/A/E"].map { try Memcg.id(t, $0) }
        let g = Memcg.gib
        for (id, low) in zip(ids, [2 * g, 3 * g, 1 * g, 0, 10 * g]) { t.set(.low, of: id, pages: low) }
        for (id, usage) in zip(ids[1...], [b, c, d]) {
            let charged = t.tryCharge(id, usage)
            #expect(charged == .charged)
        }
        try t.checkInvariants()
        t.calculateProtection()
        return (t, ids)
    }

    @Test("overcommitted low is shared by each child's protected usage: B 4/3G, C 2/3G, D and E nothing")
    func kernelExampleStart() throws {
        let g = Memcg.gib
        let (t, ids) = try kernelExample(b: 2 * g, c: 2 * g, d: 2 * g)
        let (a, b, c, d, e) = (ids[0], ids[1], ids[2], ids[3], ids[4])
        #expect(t[a].memory.elow == 2 * g, "a top-level cgroup gets its declared memory.low")
        // Siblings claim min(2G,3G) + min(2G,1G) + 0 + 0 = 3G of A's 2G.
        #expect(t[b].memory.elow == 2 * g * 2 * g / (3 * g))
        #expect(t[c].memory.elow == 1 * g * 2 * g / (3 * g))
        #expect(t[d].memory.elow == 0 && t[e].memory.elow == 0)
        // Everyone is above their share, so reclaim may take from all of them.
        for id in [a, b, c, d] { #expect(t.protection(of: id, era: .modern) == .none) }
    }

    @Test("at the documented distribution (B 1.3G, C 0.6G, D 0) B and C are fully protected")
    func kernelExampleEquilibrium() throws {
        let g = Memcg.gib
        let bShare = 2 * g * 2 / 3          // 1.33G, rounded down to a page
        let (t, ids) = try kernelExample(b: bShare, c: 2 * g - bShare, d: 0)
        #expect(t[ids[0]].memory.usage == 2 * g)
        #expect(t[ids[1]].memory.elow == bShare)
        #expect(t[ids[2]].memory.elow == 2 * g - bShare)
        #expect(t.protection(of: ids[1], era: .modern) == .low)
        #expect(t.protection(of: ids[2], era: .modern) == .low)
        #expect(t.protection(of: ids[0], era: .modern) == .low, "A itself sits at its 2G")
    }

    @Test("4.0's memory.low protects only when every ancestor up to the reclaim root is at or below its own low")
    func lowIn2015() throws {
        let g = Memcg.gib
        let example = try kernelExample(b: 2 * g, c: 2 * g, d: 2 * g)
        var t = example.0
        let ids = example.1
        // B is below its 3G, but A (6G) is above its 2G: nothing protected.
        #expect(t.protection(of: ids[1], era: .v2015) == .none)
        t.set(.low, of: ids[0], pages: 6 * g)
        #expect(t.protection(of: ids[1], era: .v2015) == .low, "A at exactly its low counts as below (usage > low unprotects)")
        #expect(t.protection(of: ids[2], era: .v2015) == .none, "C is at 2G, above its 1G")
        // Reclaim from B itself (say for B's memory.high): 4.0 still skips B, modern does not.
        #expect(t.protection(of: ids[1], reclaimRoot: ids[1], era: .v2015) == .low)
        #expect(t.protection(of: ids[1], reclaimRoot: ids[1], era: .modern) == .none)
        #expect(t.protection(of: CgroupTree.rootID, era: .v2015) == .none, "the root cgroup is never protected")
    }

    @Test("memory.min is hard protection; below it reclaim never goes")
    func minProtection() throws {
        var t = try Memcg.tree(["/A", "/A/B"])
        let a = try Memcg.id(t, "/A"), b = try Memcg.id(t, "/A/B")
        t.set(.min, of: a, pages: 100)
        t.set(.min, of: b, pages: 100)
        t.set(.low, of: b, pages: 200)
        let r2 = t.tryCharge(b, 150)
        #expect(r2 == .charged)
        t.calculateProtection()
        #expect(t[b].memory.emin == 100 && t[b].memory.elow == 0, "A declares no low to hand down")
        #expect(t.protection(of: b, era: .modern) == .none)
        let r3 = t.uncharge(b, 60)
        #expect(r3)
        t.calculateProtection()
        #expect(t.protection(of: b, era: .modern) == .min)
    }

    @Test("recursive protection (memory_recursiveprot) shares unclaimed protection by usage; off by default")
    func recursiveProtection() {
        // Parent: effective low 10, usage 10; children claim nothing, use 4 and 6.
        #expect(effectiveProtection(usage: 4, parentUsage: 10, setting: 0, parentEffective: 10, siblingsProtected: 0) == 0)
        #expect(effectiveProtection(usage: 4, parentUsage: 10, setting: 0, parentEffective: 10, siblingsProtected: 0,
                                    recursiveProtection: true) == 4)
        #expect(effectiveProtection(usage: 6, parentUsage: 10, setting: 0, parentEffective: 10, siblingsProtected: 0,
                                    recursiveProtection: true) == 6)
    }

    @Test("huge values give a result, never a trap")
    func noTraps() {
        let big = PageCounter.max
        #expect(effectiveProtection(usage: big, parentUsage: big, setting: big, parentEffective: big - 1,
                                    siblingsProtected: big) == big - 1)
        #expect(effectiveProtection(usage: Int.max, parentUsage: Int.max, setting: 1, parentEffective: Int.max,
                                    siblingsProtected: 0, recursiveProtection: true) > 0)
        #expect(effectiveProtection(usage: -5, parentUsage: -1, setting: -1, parentEffective: -1, siblingsProtected: -1) == 0)
    }
}
