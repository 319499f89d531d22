import OOMLabKernel

/// The ranges every number read from an OOM report must fall in, and the
/// largest report file. A number outside its range is a located error where
/// it is read (`line N: rss 99... is out of range (0 to 1099511627776 pages)`),
/// so the explainer and the importer compute with values whose sums and
/// products fit in an Int: no report can make them trap.
///
/// The bounds are wider than any machine Linux runs on and narrower than
/// what would overflow: 2^40 pages is 4 PiB of 4 KiB pages (x86-64's 52-bit
/// physical addresses), 2^40 kB is 1 PiB.
public enum ReportLimits {
    /// Pages and kB: rss, swapents, total_vm, nr_ptes, zone sizes, RAM, swap.
    public static let memory = 0...(1 << 40)
    /// pgtables_bytes (4.15 on): page tables in bytes.
    public static let bytes = 0...(1 << 52)
    /// A memory cgroup's counters in kB: an unlimited memory.max prints as
    /// PAGE_COUNTER_MAX pages in kB (9007199254740988kB, about 2^53).
    public static let memcgKB = 0...(1 << 54)
    /// PID_MAX_LIMIT on 64-bit kernels (include/linux/threads.h).
    public static let pid = 0...4_194_304
    /// uid_t.
    public static let uid = 0...4_294_967_295
    /// OOM_SCORE_ADJ_MIN...OOM_SCORE_ADJ_MAX.
    public static let oomScoreAdj = OOMScoreAdj.min...OOMScoreAdj.max
    /// OOM_DISABLE (-17) ... OOM_ADJUST_MAX (15), the legacy /proc/PID/oom_adj.
    public static let oomAdj = -17...15
    /// The allocation order: no kernel has more than 2^20-page buddy blocks
    /// (MAX_PAGE_ORDER is 10 on x86; ARCH_FORCE_MAX_ORDER goes to 15 or so).
    public static let order = 0...20
    /// The score of "Kill process P (c) score S": points * 1000 / totalpages.
    public static let score = 0...(1 << 50)
    /// A NUMA node: MAX_NUMNODES is at most 1 << CONFIG_NODES_SHIFT (10).
    public static let node = 0...1023
    /// The task table's rss + swapents + page tables over all rows.
    public static let tableTotal = 0...(1 << 50)

    /// Report files larger than this are refused unread: a 100,000-process
    /// task table is about 10 MiB.
    public static let maxFileBytes = 64 << 20
}

extension ReportLimits {
    /// `value` if it is in `range`, else the located error
    /// "WHAT N is out of range (LOW to HIGH UNIT)" for line `number`.
    static func inRange(_ value: Int, _ what: String, _ range: ClosedRange<Int>, unit: String = "",
                        number: Int, raw: Substring) throws(ReportError) -> Int {
        guard range.contains(value) else {
            throw ReportError("\(what) \(value) is out of range (\(range.lowerBound) to \(range.upperBound)"
                              + (unit.isEmpty ? "" : " " + unit) + ")", line: number, text: String(raw))
        }
        return value
    }

    /// `inRange` for a value that may not have been printed.
    static func checked(_ value: Int?, _ what: String, _ range: ClosedRange<Int>, unit: String = "",
                        number: Int, raw: Substring) throws(ReportError) -> Int? {
        guard let value else { return nil }
        return try inRange(value, what, range, unit: unit, number: number, raw: raw)
    }
}
