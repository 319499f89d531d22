import Testing
@testable import OOMLab
@testable import OOMLabKernel

/// lib/ratelimit.c's rule, and the log it keeps bounded.
@Suite("Kernel log rate limits (lib/ratelimit.c)")
struct RateLimitTests {
    @Test("10 per 5 s, then the count of the suppressed when the next interval starts")
    func burstThenSuppressed() {
        var rs = RateLimit(function: "warn_alloc")
        var allowed = 0
        for _ in 0..<25 where rs.allow(at: 0).allowed { allowed += 1 }
        #expect(allowed == 10)
        let edge = rs.allow(at: 500)   // begin + interval < tick is strict: still the first interval
        #expect(!edge.allowed && edge.suppressed == nil)
        let next = rs.allow(at: 501)
        #expect(next.allowed)
        #expect(next.suppressed == "warn_alloc: 16 callbacks suppressed")
    }

    @Test("thousands of tasks failing GFP_NOWAIT allocations: the log stays bounded")
    func allocationFailureFlood() throws {
        let tasks = (0..<2000).map { n in
            TaskSpec(pid: 10 + n, name: "t\(n)", program: [.repeat(count: nil, body: [
                .alloc(AllocSpec(pages: 4096, gfp: .nowait, target: .anon)), .free(pages: nil, from: .anon),
            ])])
        }
        var k = Kernel(scenario: Lab.scenario(Lab.machine(ramMiB: 16), tasks))
        let events = k.run(ticks: 100)
        let failures = events.filter { $0.text.contains("page allocation failure") }.count
        #expect(failures <= RateLimit.defaultBurst)
        #expect(events.count < 500, "\(events.count) log lines in 100 ticks")
    }
}
