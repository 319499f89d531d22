import Testing
@testable import OOMLab
@testable import OOMLabKernel

@Suite("Watermarks (docs/kernel.md §2)")
struct WatermarkTests {
    @Test("min_free_kbytes = int_sqrt(lowmem_kb * 16), clamped per era")
    func minFreeKbytes() {
        #expect(Watermarks.calculateMinFreeKbytes(lowmemKbytes: 1_048_576, era: .v2015) == 4096)
        #expect(Watermarks.calculateMinFreeKbytes(lowmemKbytes: 4_194_304, era: .v2015) == 8192)
        #expect(Watermarks.calculateMinFreeKbytes(lowmemKbytes: 16_777_216, era: .modern) == 16384)
        #expect(Watermarks.calculateMinFreeKbytes(lowmemKbytes: 1024, era: .v2015) == 128)
        // 1 TiB: 4*sqrt(2^30) = 131072 kB, above 4.0's 65536 cap, under 6.13's 262144.
        #expect(Watermarks.calculateMinFreeKbytes(lowmemKbytes: 1 << 30, era: .v2015) == 65536)
        #expect(Watermarks.calculateMinFreeKbytes(lowmemKbytes: 1 << 30, era: .modern) == 131072)
    }

    @Test("§14.1: Normal zone with 3 GB of 4 GB lowmem")
    func workedNumbers() {
        let normal = 786_432, lowmem = 1_048_576
        let old = Watermarks.setupPerZoneWmarks(minFreeKbytes: 8192, managed: normal, lowmemManaged: lowmem, era: .v2015)
        #expect(old == Watermarks(min: 1536, low: 1920, high: 2304))
        let new = Watermarks.setupPerZoneWmarks(minFreeKbytes: 8192, managed: normal, lowmemManaged: lowmem, era: .modern)
        #expect(new == Watermarks(min: 1536, low: 2322, high: 3108))
    }
}
