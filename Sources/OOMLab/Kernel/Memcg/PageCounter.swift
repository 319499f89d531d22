/// One hierarchical page counter of a memory cgroup: `memory` (memory.current
/// against memory.max) or `swap` (memory.swap.current against memory.swap.max).
/// The charging walk over the ancestors lives in `CgroupTree`, because a
/// counter's parent is another cgroup's counter; this value holds one level.
/// All figures are pages. docs/memcg.md §1.
/// struct page_counter, include/linux/page_counter.h.
public struct PageCounter: Equatable, Sendable {
    /// PAGE_COUNTER_MAX on 64-bit: LONG_MAX / PAGE_SIZE, so that pages times
    /// PAGE_SIZE never overflows a long. "max" in memory.max means this.
    /// include/linux/page_counter.h.
    public static let max = Int.max / Units.pageSize

    /// Pages charged here and below (page_counter->usage, memory.current).
    public internal(set) var usage = 0
    /// The hard limit (memory.max; v1 memory.limit_in_bytes).
    public internal(set) var limit = PageCounter.max
    /// The throttling threshold (memory.high). Only `memory` uses it.
    public internal(set) var high = PageCounter.max
    /// Best-effort protection (memory.low).
    public internal(set) var low = 0
    /// Hard protection (memory.min).
    public internal(set) var min = 0
    /// The highest usage seen (page_counter->watermark, memory.peak).
    public internal(set) var watermark = 0
    /// How often a charge failed at this level (page_counter->failcnt,
    /// v1 memory.failcnt). page_counter_try_charge counts it here.
    public internal(set) var failcnt = 0
    /// Effective memory.min / memory.low of the last protection pass
    /// (page_counter->emin, ->elow): `CgroupTree.calculateProtection`.
    public internal(set) var emin = 0
    public internal(set) var elow = 0

    public init() {}

    /// Room left under the limit: the kernel's margin for one counter.
    /// mem_cgroup_margin, mm/memcontrol.c.
    public var margin: Int { usage < limit ? limit - usage : 0 }

    /// min(usage, memory.min): what this level claims of its parent's
    /// protection (page_counter->min_usage). propagate_protected_usage, mm/page_counter.c.
    public var minUsage: Int { Swift.min(usage, min) }
    /// min(usage, memory.low) (page_counter->low_usage).
    public var lowUsage: Int { Swift.min(usage, low) }

    /// Adds `pages` to this level if the limit allows, as one step of
    /// page_counter_try_charge: usage + pages > max fails and counts failcnt.
    /// The caller has checked `pages` is in 0...PageCounter.max and usage is
    /// at most PageCounter.max, so the sum cannot overflow.
    /// page_counter_try_charge, mm/page_counter.c.
    mutating func tryCharge(_ pages: Int) -> Bool {
        let new = usage + pages
        if new > limit {
            failcnt &+= 1
            return false
        }
        usage = new
        if new > watermark { watermark = new }
        return true
    }

    /// Adds `pages` ignoring the limit: one step of page_counter_charge
    /// (forced charges: __GFP_NOFAIL, PF_MEMALLOC). Saturates at
    /// PageCounter.max rather than trapping.
    /// page_counter_charge, mm/page_counter.c.
    mutating func charge(_ pages: Int) {
        let (sum, overflow) = usage.addingReportingOverflow(pages)
        usage = overflow ? PageCounter.max : Swift.min(sum, PageCounter.max)
        if usage > watermark { watermark = usage }
    }

    /// Takes `pages` out (page_counter_cancel). The caller has checked
    /// `pages <= usage`; the kernel warns "page_counter underflow" and sets 0.
    /// page_counter_cancel, mm/page_counter.c.
    mutating func cancel(_ pages: Int) {
        usage = pages > usage ? 0 : usage - pages
    }
}
