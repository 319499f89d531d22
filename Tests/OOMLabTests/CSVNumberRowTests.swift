import Testing
@testable import OOMLab
import OOMLabKernel

/// CSV.NumberRow writes what `String(n)` and `joined(separator: ",")` wrote.
@Suite struct CSVNumberRowTests {
    @Test func matchesStringJoin() {
        var rng = SplitMix64(seed: 7)
        var extremes = [0, 1, -1, 9, 10, -10, 99, 100, Int.max, Int.min, Int.min + 1, 1_000_000_007]
        for _ in 0..<500 {
            let magnitude = rng.next(below: 19)
            var n = 1
            for _ in 0..<magnitude { n = n.multipliedReportingOverflow(by: 10).partialValue }
            extremes.append(rng.next(below: 2) == 0 ? n + rng.next(below: 1000) : -n - rng.next(below: 1000))
        }
        var row = CSV.NumberRow()
        for n in extremes { row.append(n) }
        #expect(row.line() == extremes.map(String.init).joined(separator: ",") + "\n")
    }

    @Test func plainCellsAndEmptyOnes() {
        var row = CSV.NumberRow()
        row.append(plain: "")
        row.append(12)
        row.append(plain: "0.50")
        row.append(plain: "")
        #expect(row.line() == ",12,0.50,\n")
        #expect(CSV.NumberRow().line() == "\n")
    }
}
