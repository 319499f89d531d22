/// Integer helpers for the memcg formulas, which the kernel writes in
/// unsigned long or u64 and this model keeps total: a product that would
/// overflow is computed in full width or saturates instead of trapping.
enum MemcgArithmetic {
    /// a * b / c for a, b >= 0 and c > 0, rounded down like C's integer
    /// division; Int.max when the quotient does not fit. Every caller
    /// passes such values; anything else gives 0 rather than a trap.
    static func mulDiv(_ a: Int, _ b: Int, _ c: Int) -> Int {
        guard a >= 0, b >= 0, c > 0 else { return 0 }
        let product = UInt(a).multipliedFullWidth(by: UInt(b))
        // The quotient fits in a UInt only if the high word is below c.
        guard product.high < UInt(c) else { return Int.max }
        let q = UInt(c).dividingFullWidth((high: product.high, low: product.low)).quotient
        return q > UInt(Int.max) ? Int.max : Int(q)
    }

    /// a * b for a, b >= 0, saturating at Int.max.
    static func mulSat(_ a: Int, _ b: Int) -> Int {
        let (p, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? Int.max : p
    }
}
