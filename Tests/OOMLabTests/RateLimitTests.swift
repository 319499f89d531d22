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

    /// 300 workers on a 48 MiB machine, one starting every 4 ticks; each
    /// allocates 1 MiB a tick for ever, so the OOM killer kills every few
    /// ticks for 12 s, each time with a task table of up to 300 rows.
    static func killStorm(era: Era) -> Kernel {
        let tasks = (0..<300).map { n in
            TaskSpec(pid: 1000 + n, name: "w\(n)", uid: 1000, anonPages: 16, startTick: 4 * n, program: [
                .repeat(count: nil, body: [.alloc(AllocSpec(pages: Lab.mib, gfp: .highuserMovable, target: .anon))]),
            ])
        }
        return Kernel(scenario: Lab.scenario(Lab.machine(ramMiB: 48), era: era, tasks))
    }

    @Test("a storm of OOM kills prints 10 reports per 5 s (oom_rs), every kill line, then the suppressed count",
          arguments: [Era.v2015, Era.modern])
    func oomReportStorm(era: Era) throws {
        var k = Self.killStorm(era: era)
        let events = try Lab.run(&k, ticks: 1200)
        let texts = events.map(\.text)
        let kills = k.oomKills.count
        #expect(kills > 2 * RateLimit.defaultBurst, "\(kills) kills: the storm is not one")
        // Every kill still says whom it killed.
        #expect(texts.filter { $0.contains("Killed process") }.count == kills)
        // dump_header at most `burst` times in each 5 s interval (the run spans three).
        let reports = events.filter { $0.text.contains("invoked oom-killer") }
        #expect(reports.count <= 3 * RateLimit.defaultBurst && reports.count < kills, "\(reports.count) reports for \(kills) kills")
        for start in stride(from: 0, to: 1200, by: RateLimit.defaultInterval) {
            #expect(reports.filter { (start..<start + RateLimit.defaultInterval + 1).contains($0.tick) }.count
                    <= 2 * RateLimit.defaultBurst)
        }
        // A task-table row for each report, not for each kill.
        let rows = texts.filter { line in
            guard line.hasPrefix("["), let name = line.split(separator: " ").last, name.first == "w" else { return false }
            return name.dropFirst().allSatisfy(\.isNumber)
        }
        #expect(rows.count <= reports.count * 300)
        // The kills the limit hid are counted when the next interval begins.
        let suppressed = texts.filter { $0.hasPrefix("oom_kill_process: ") && $0.hasSuffix(" callbacks suppressed") }
        #expect(!suppressed.isEmpty)
        let counted = suppressed.compactMap { Int($0.split(separator: " ")[1]) }.reduce(0, +)
        #expect(counted + reports.count <= kills && counted > 0)
        // The modern oom-kill: summary belongs to the report: printed with it only.
        if era == .modern {
            #expect(texts.filter { $0.hasPrefix("oom-kill:") }.count == reports.count)
        }
    }

    @Test("the storm's log stays bounded: about the size of 30 reports, not one per kill")
    func stormLogBounded() throws {
        var k = Self.killStorm(era: .modern)
        let events = try Lab.run(&k, ticks: 1200)
        let bytes = events.reduce(0) { $0 + $1.text.utf8.count }
        // Each report is ~340 lines of ~150 bytes (50 kB); one per kill would be 100+ reports.
        #expect(bytes < 40 * 60_000, "\(bytes) bytes of log for \(k.oomKills.count) kills")
    }
}

