/// The memory.high throttle: how long a task that charged pages while its
/// cgroup (or an ancestor) is above memory.high sleeps on its way back to
/// user space, once reclaim has failed to bring usage down. It grows with
/// the square of the overage and is clamped to 2 s per return, so it slows
/// a cgroup without ever killing in it. docs/memcg.md §5.
/// The kernel's own table (mm/memcontrol.c, above MEMCG_DELAY_PRECISION_SHIFT),
/// for memory.high = 100M, one MEMCG_CHARGE_BATCH, HZ=1000: 101M -> 6 ms,
/// 105M -> 159 ms, 110M -> 639 ms, 117M -> 1849 ms, 118M and up -> 2000 ms.
public enum MemcgHighDelay {
    /// MEMCG_DELAY_PRECISION_SHIFT: the overage is a fraction of memory.high
    /// in 20-bit fixed point.
    public static let precisionShift = 20
    /// MEMCG_DELAY_SCALING_SHIFT: overage² * HZ >> (20 + 14) jiffies, so an
    /// overage of 1/8 of memory.high costs one second per batch.
    public static let scalingShift = 14

    /// MEMCG_MAX_HIGH_DELAY_JIFFIES: 2 * HZ, the most one return to user
    /// space sleeps.
    /// MEMCG_MAX_HIGH_DELAY_JIFFIES, mm/memcontrol.c.
    public static func maxDelayJiffies(hz: Int = Units.hz) -> Int { 2 * hz }

    /// MEMCG_CHARGE_BATCH: pages a charge takes from the page counters at
    /// once (the rest stays in a per-CPU stock), and the nominal charge the
    /// penalty is scaled to. 32 until 6.1 ("memcg: increase
    /// MEMCG_CHARGE_BATCH to 64"), 64 since. include/linux/memcontrol.h.
    public static func chargeBatch(era: Era) -> Int { era == .v2015 ? 32 : 64 }

    /// How far `usage` is above `high`, as a fraction of `high` in 20-bit
    /// fixed point; 0 when not above. A memory.high of 0 counts as 1 page
    /// (the kernel's guard against dividing by zero). Computed in full
    /// width, so an excess of 2^44 pages or more, where the kernel's u64
    /// shift would lose bits, gives the true (or saturated) value.
    /// calculate_overage, mm/memcontrol.c.
    public static func overage(usage: Int, high: Int) -> Int {
        guard usage > high else { return 0 }
        let high = max(high, 1)
        return MemcgArithmetic.mulDiv(usage - high, 1 << precisionShift, high)
    }

    /// The largest overage of `id` and its ancestors below the root
    /// (memory.high of each). mem_find_max_overage, mm/memcontrol.c.
    public static func maxOverage(_ tree: CgroupTree, _ id: CgroupID) -> Int {
        guard tree.contains(id) else { return 0 }
        var worst = 0
        for c in tree.ancestry(id) where c != CgroupTree.rootID {
            worst = max(worst, overage(usage: tree[c].memory.usage, high: tree[c].memory.high))
        }
        return worst
    }

    /// The penalty in jiffies for a task that charged `nrPages` over the
    /// limit, before the 2 s clamp: overage² * HZ >> 34, times `nrPages` /
    /// MEMCG_CHARGE_BATCH (so four N-page charges cost about what one
    /// 4N-page charge does). The batch is the kernel's of the release
    /// (`chargeBatch(era:)`: 32 in 5.4-6.0, 64 from 6.1). There is no 2015
    /// form: 4.0 reclaimed above memory.high inside try_charge and never
    /// slept for it (docs/memcg.md §5). The kernel's unsigned long product wraps for
    /// an overage beyond about 2^27 (with HZ=1000, usage ~128x above memory.high); this one
    /// saturates instead, which the clamp then turns into the 2 s maximum.
    /// calculate_high_delay, mm/memcontrol.c (5.4+; 0e4b01df8659).
    public static func calculateHighDelay(nrPages: Int, maxOverage: Int, chargeBatch: Int = chargeBatch(era: .modern),
                                          hz: Int = Units.hz) -> Int {
        guard maxOverage > 0, nrPages > 0, hz > 0, chargeBatch > 0 else { return 0 }
        let squared = MemcgArithmetic.mulSat(MemcgArithmetic.mulSat(maxOverage, maxOverage), hz)
        let penalty = squared == Int.max ? Int.max : squared >> (precisionShift + scalingShift)
        return MemcgArithmetic.mulDiv(penalty, nrPages, chargeBatch)
    }

    /// What mem_cgroup_handle_over_high sleeps after its reclaim failed:
    /// the memory penalty plus the swap penalty (from memory.swap.high,
    /// 5.8+), clamped to MEMCG_MAX_HIGH_DELAY_JIFFIES; 0 (no sleep) when
    /// that is at most HZ/100 jiffies. The kernel sleeps only once reclaim
    /// stopped making progress (MAX_RECLAIM_RETRIES tries without any).
    /// mem_cgroup_handle_over_high, mm/memcontrol.c.
    public static func penaltyJiffies(nrPages: Int, memoryOverage: Int, swapOverage: Int = 0,
                                      chargeBatch: Int = chargeBatch(era: .modern), hz: Int = Units.hz) -> Int {
        let memory = calculateHighDelay(nrPages: nrPages, maxOverage: memoryOverage, chargeBatch: chargeBatch, hz: hz)
        let swap = calculateHighDelay(nrPages: nrPages, maxOverage: swapOverage, chargeBatch: chargeBatch, hz: hz)
        let (sum, overflow) = memory.addingReportingOverflow(swap)
        let clamped = min(overflow ? Int.max : sum, maxDelayJiffies(hz: hz))
        return clamped <= hz / 100 ? 0 : clamped
    }
}
