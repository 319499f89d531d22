import Testing
@testable import OOMLabKernel

/// The pid index (PidIndex.swift): a flat array while pids are dense, a
/// Dictionary once they are not, and the same answers in either form.
@Suite struct PidIndexTests {
    /// Every operation checked against a Dictionary doing the same, over
    /// pids that start dense (a `count:` template), then jump far enough to
    /// force the sparse form, with removals and pids below the first.
    @Test func answersAsADictionaryWould() {
        var index = PidIndex()
        var model: [Int: Int] = [:]
        var rng = SplitMix64(seed: 12)
        func set(_ pid: Int, _ i: Int?) {
            index[pid] = i
            model[pid] = i
            #expect(index.count == model.count)
        }
        for n in 0..<3000 { set(100 + n, n) }
        for pid in [99, 0, 1, 5000, -3, 3099] { #expect(index[pid] == model[pid], "pid \(pid)") }
        for _ in 0..<200 { set(100 + rng.next(below: 3000), nil) }
        set(40, 7)                                     // below the first pid: the span widens down
        set(4_000_000, 3001)                           // far away: the sparse form
        set(Int.max, 3002)
        set(Int.min, 3003)
        for _ in 0..<200 { set(100 + rng.next(below: 3000), rng.next(below: 10)) }
        for pid in model.keys { #expect(index[pid] == model[pid], "pid \(pid)") }
        for pid in [39, 41, 3_999_999, Int.max - 1, Int.min + 1] { #expect(index[pid] == nil, "pid \(pid)") }
    }

    /// Equality compares what is indexed, not the form it is held in.
    @Test func equalAcrossForms() {
        var dense = PidIndex()
        var sparse = PidIndex()
        sparse[1 << 40] = 9
        sparse[1 << 40] = nil                          // now sparse and empty
        #expect(dense == sparse)
        for pid in 1...50 { dense[pid] = pid - 1; sparse[pid] = pid - 1 }
        #expect(dense == sparse)
        sparse[50] = 0
        #expect(dense != sparse)
        dense.removeAll(keepingCapacity: true)
        #expect(dense.count == 0 && dense[1] == nil)
        dense[7] = 3
        #expect(dense[7] == 3 && dense.count == 1)
    }

    /// A million consecutive pids take about 4 bytes each, not a Dictionary's 33.
    @Test func densePidsTakeFourBytesEach() {
        var index = PidIndex()
        index.reserveCapacity(1_000_000)
        for n in 0..<1_000_000 { index[300 + n] = n }
        #expect(index.count == 1_000_000)
        #expect(index.estimatedBytes <= 4 * 1_000_000 + 4096, "\(index.estimatedBytes) bytes")
        #expect(index[300] == 0 && index[1_000_299] == 999_999 && index[1_000_300] == nil)
    }
}
