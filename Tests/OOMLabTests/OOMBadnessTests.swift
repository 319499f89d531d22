import Testing
@testable import OOMLab
@testable import OOMLabKernel

@Suite("oom_badness and /proc/PID/oom_score per era (docs/kernel.md §6.3, §6.4)")
struct OOMBadnessTests {
    let total = 1_000_000

    @Test("points = rss + swap + page tables; adj scaled by totalpages/1000")
    func points() {
        let t = BadnessInput(rss: 1000, swapEntries: 200, pageTablePages: 3, oomScoreAdj: 0, isRoot: false)
        #expect(oomBadness(t, totalPages: total, rules: .v4_0) == 1203)
        #expect(oomBadness(t, totalPages: total, rules: .v6) == 1203)
        var adj = t
        adj.oomScoreAdj = 500
        #expect(oomBadness(adj, totalPages: total, rules: .v6) == 1203 + 500 * 1000)
    }

    @Test("2015 takes 3% off root's points; modern does not")
    func rootDiscount() {
        let root = BadnessInput(rss: 10_000, swapEntries: 0, pageTablePages: 0, oomScoreAdj: 0, isRoot: true)
        #expect(oomBadness(root, totalPages: total, rules: .v4_0) == 9700)
        #expect(oomBadness(root, totalPages: total, rules: .v6) == 10_000)
    }

    @Test("-1000 is never chosen; 2015 clamps to 1, modern may go negative")
    func clamp() {
        let immune = BadnessInput(rss: 10_000, swapEntries: 0, pageTablePages: 0, oomScoreAdj: -1000, isRoot: false)
        #expect(oomBadness(immune, totalPages: total, rules: .v4_0) == nil)
        #expect(oomBadness(immune, totalPages: total, rules: .v6) == nil)
        let low = BadnessInput(rss: 10, swapEntries: 0, pageTablePages: 0, oomScoreAdj: -999, isRoot: false)
        #expect(oomBadness(low, totalPages: total, rules: .v4_0) == 1)
        #expect(oomBadness(low, totalPages: total, rules: .v6) == 10 - 999 * 1000)
    }

    @Test("/proc oom_score: 4.0 badness*1000/total; >= 5.9 (1000 + badness*1000/total)*2/3")
    func procScore() {
        let t = BadnessInput(rss: 250_000, swapEntries: 0, pageTablePages: 0, oomScoreAdj: 0, isRoot: false)
        #expect(procOOMScore(t, totalPages: total, rules: .v4_0) == 250)
        #expect(procOOMScore(t, totalPages: total, rules: .v6) == (1000 + 250) * 2 / 3)
        let immune = BadnessInput(rss: 250_000, swapEntries: 0, pageTablePages: 0, oomScoreAdj: -1000, isRoot: false)
        #expect(procOOMScore(immune, totalPages: total, rules: .v6) == 0)
    }

    @Test("the OOM killer picks the highest badness, honouring adj over size", arguments: [Era.v2015, .modern])
    func selection(era: Era) throws {
        let s = Lab.scenario(Lab.machine(ramMiB: 64), era: era, [
            Lab.sleeper(10, "big", mib: 20, adj: -500),
            Lab.sleeper(11, "medium", mib: 10),
            Lab.sleeper(12, "immune", mib: 25, adj: -1000),
            Lab.hog(20, mib: 100),
        ])
        var k = Kernel(scenario: s)
        try Lab.run(&k, ticks: 200)
        #expect(k.oomKills.first?.name == "medium")
        #expect(!k.oomKills.contains { $0.name == "immune" })
    }
}
