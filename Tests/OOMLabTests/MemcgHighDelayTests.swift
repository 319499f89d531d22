import Testing
@testable import OOMLabKernel

@Suite("memory.high throttling: calculate_high_delay (docs/memcg.md §5)")
struct MemcgHighDelayTests {
    /// The kernel's table (mm/memcontrol.c, above MEMCG_DELAY_PRECISION_SHIFT):
    /// memory.high = 100M, usage in M -> ms to allocate (one MEMCG_CHARGE_BATCH, HZ=1000).
    static let table: [(Int, Int)] = [
        (100, 0), (101, 6), (102, 25), (103, 57), (104, 102), (105, 159), (106, 230), (107, 313),
        (108, 409), (109, 518), (110, 639), (111, 774), (112, 921), (113, 1081), (114, 1254),
        (115, 1439), (116, 1638), (117, 1849), (118, 2000), (119, 2000), (120, 2000),
    ]

    @Test("the kernel's own table, row by row", arguments: table)
    func kernelTable(usageMiB: Int, ms: Int) {
        let overage = MemcgHighDelay.overage(usage: usageMiB * Lab.mib, high: 100 * Lab.mib)
        let jiffies = min(MemcgHighDelay.calculateHighDelay(nrPages: 64, maxOverage: overage, chargeBatch: 64, hz: 1000),
                          MemcgHighDelay.maxDelayJiffies(hz: 1000))
        #expect(jiffies == ms)
    }

    @Test("at the model's HZ=100: an eighth over high costs one second per batch; 2 s at most")
    func modelHZ() {
        let high = 8000
        #expect(MemcgHighDelay.overage(usage: 9000, high: high) == 1 << 17)
        #expect(MemcgHighDelay.calculateHighDelay(nrPages: 64, maxOverage: 1 << 17) == 100)
        #expect(MemcgHighDelay.penaltyJiffies(nrPages: 64, memoryOverage: 1 << 17) == 100)
        #expect(MemcgHighDelay.penaltyJiffies(nrPages: 64, memoryOverage: 1 << 20) == 200, "clamped to 2*HZ")
        #expect(MemcgHighDelay.maxDelayJiffies() == 200)
        // Half the batch, half the penalty; the 5.4-6.0 batch of 32 doubles it.
        #expect(MemcgHighDelay.calculateHighDelay(nrPages: 32, maxOverage: 1 << 17) == 50)
        #expect(MemcgHighDelay.calculateHighDelay(nrPages: 64, maxOverage: 1 << 17, chargeBatch: 32) == 200)
    }

    @Test("a penalty of at most HZ/100 jiffies is not worth sleeping")
    func smallPenaltySkipped() {
        // 101M over 100M: the table's 6 ms at HZ=1000 is under HZ/100 = 10 jiffies, so
        // mem_cgroup_handle_over_high does not sleep it; 102M's 25 ms it does.
        let overage = MemcgHighDelay.overage(usage: 101 * Lab.mib, high: 100 * Lab.mib)
        #expect(MemcgHighDelay.calculateHighDelay(nrPages: 64, maxOverage: overage, hz: 1000) == 6)
        #expect(MemcgHighDelay.penaltyJiffies(nrPages: 64, memoryOverage: overage, hz: 1000) == 0)
        #expect(MemcgHighDelay.penaltyJiffies(nrPages: 64, memoryOverage: overage) == 0)
        let o102k = MemcgHighDelay.overage(usage: 102 * Lab.mib, high: 100 * Lab.mib)
        #expect(MemcgHighDelay.penaltyJiffies(nrPages: 64, memoryOverage: o102k, hz: 1000) == 25)
        // 2 jiffies at HZ=100 is above HZ/100 = 1: slept.
        let o102 = MemcgHighDelay.overage(usage: 102 * Lab.mib, high: 100 * Lab.mib)
        #expect(MemcgHighDelay.penaltyJiffies(nrPages: 64, memoryOverage: o102) == 2)
        #expect(MemcgHighDelay.overage(usage: 100, high: 100) == 0)
    }

    @Test("the worst overage of the cgroup and its ancestors decides")
    func ancestors() throws {
        var t = try Memcg.tree(["/A", "/A/B"])
        let a = try Memcg.id(t, "/A"), b = try Memcg.id(t, "/A/B")
        t.set(.high, of: a, pages: 800)
        let r1 = t.tryCharge(b, 900)
        #expect(r1 == .charged)
        #expect(MemcgHighDelay.maxOverage(t, b) == MemcgHighDelay.overage(usage: 900, high: 800))
        #expect(MemcgHighDelay.maxOverage(t, CgroupTree.rootID) == 0, "the root has no memory.high")
    }

    @Test("memory.high of 0 and huge usage: no division by zero, no overflow")
    func extremes() {
        #expect(MemcgHighDelay.overage(usage: 1, high: 0) == 0, "high 0 counts as 1 page; 1 page is not above it")
        #expect(MemcgHighDelay.overage(usage: 2, high: 0) == 1 << 20)
        let huge = MemcgHighDelay.overage(usage: PageCounter.max, high: 0)
        #expect(huge == Int.max)
        #expect(MemcgHighDelay.penaltyJiffies(nrPages: Int.max, memoryOverage: huge, swapOverage: huge) == 200)
        #expect(MemcgHighDelay.calculateHighDelay(nrPages: -1, maxOverage: 5) == 0)
    }
}
