/// A printk rate limit, as lib/ratelimit.c keeps one: at most `burst`
/// messages per `interval` ticks; the rest are counted, and when the next
/// interval starts the count is printed as "FUNC: N callbacks suppressed".
/// That is what keeps a kernel's log (and ours) bounded when thousands of
/// tasks fail allocations every tick. ___ratelimit, lib/ratelimit.c.
public struct RateLimit: Equatable, Sendable {
    /// DEFAULT_RATELIMIT_INTERVAL: 5 * HZ (include/linux/ratelimit_types.h).
    public static let defaultInterval = 5 * Units.hz
    /// DEFAULT_RATELIMIT_BURST: 10.
    public static let defaultBurst = 10

    public var interval: Int
    public var burst: Int
    /// The function name the suppressed count is printed with ("warn_alloc").
    public var function: String
    var begin: Int?
    var printed = 0
    var missed = 0

    public init(function: String, interval: Int = RateLimit.defaultInterval, burst: Int = RateLimit.defaultBurst) {
        self.function = function
        self.interval = interval
        self.burst = burst
    }

    /// Whether a message at `tick` may be printed, and the "callbacks
    /// suppressed" line to print first when a new interval begins.
    /// ___ratelimit, lib/ratelimit.c.
    public mutating func allow(at tick: Int) -> (allowed: Bool, suppressed: String?) {
        guard interval > 0 else { return (true, nil) }
        if begin == nil { begin = tick }
        var note: String?
        if let b = begin, b + interval < tick {   // time_is_before_jiffies(rs->begin + rs->interval)
            if missed > 0 { note = "\(function): \(missed) callbacks suppressed" }
            missed = 0
            begin = tick
            printed = 0
        }
        if burst > printed {
            printed += 1
            return (true, note)
        }
        missed += 1
        return (false, note)
    }
}
