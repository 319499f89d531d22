/// Pressure stall information for memory, avg10, as the kernel computes it
/// (PSI arrived in 4.20, so only modern rules show it). Each tick is SOME
/// when at least one task is stalled on memory and FULL when every non-idle
/// task is (test_states). Every PSI_FREQ (2 s + 1 jiffy) the share of the
/// period spent stalled updates an exponential moving average with the
/// decay of 2 s over 10 s, in the kernel's fixed point (FIXED_1 = 2048,
/// EXP_10s = 1677): integer arithmetic, exact and deterministic, and a few
/// words, so a kernel copy stays small.
/// psi_avgs_work / calc_avgs, kernel/sched/psi.c; calc_load, include/linux/sched/loadavg.h.
public struct PSIAverages: Equatable, Sendable {
    /// PSI_FREQ: (2 * HZ + 1).
    public static let freqTicks = 2 * Units.hz + 1
    /// FIXED_1: 1 << FSHIFT (11).
    static let fixed1 = 1 << 11
    /// EXP_10s: 1 / exp(2 s / 10 s) in fixed point.
    static let exp10s = 1677

    var periodTicks = 0
    var someTicks = 0
    var fullTicks = 0
    /// avg10 in percent times FIXED_1, as the kernel keeps it.
    var some = 0
    var full = 0

    /// psi_group_change / record_times, kernel/sched/psi.c.
    mutating func record(some isSome: Bool, full isFull: Bool) {
        periodTicks += 1
        if isSome { someTicks += 1 }
        if isFull { fullTicks += 1 }
        guard periodTicks >= PSIAverages.freqTicks else { return }
        some = PSIAverages.calcLoad(some, active: PSIAverages.percent(someTicks, of: periodTicks))
        full = PSIAverages.calcLoad(full, active: PSIAverages.percent(fullTicks, of: periodTicks))
        periodTicks = 0
        someTicks = 0
        fullTicks = 0
    }

    /// pct = time * 100 / period, then * FIXED_1 (calc_avgs).
    static func percent(_ ticks: Int, of period: Int) -> Int { ticks * 100 / period * fixed1 }

    /// calc_load(): load * exp + active * (FIXED_1 - exp), rounded up when rising.
    /// calc_load, include/linux/sched/loadavg.h (called by calc_avgs, kernel/sched/psi.c).
    static func calcLoad(_ load: Int, active: Int) -> Int {
        var next = load * exp10s + active * (fixed1 - exp10s)
        if active >= load { next += fixed1 - 1 }
        return next / fixed1
    }

    /// As /proc/pressure/memory prints it (LOAD_INT.LOAD_FRAC), in
    /// hundredths of a percent: 1234 is "12.34".
    static func hundredths(_ avg: Int) -> Int {
        // Swift's >> binds tighter than *: the parentheses keep C's order.
        (avg >> 11) * 100 + (((avg & (fixed1 - 1)) * 100) >> 11)
    }

    public var someAvg10: Int { PSIAverages.hundredths(some) }
    public var fullAvg10: Int { PSIAverages.hundredths(full) }
}
