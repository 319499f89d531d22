import Testing
@testable import OOMLab
@testable import OOMLabKernel

/// /proc/pressure/memory avg10 with the kernel's fixed-point arithmetic.
@Suite("PSI: the kernel's avg10")
struct PSITests {
    static func periods(_ n: Int, some: Bool, full: Bool, from start: PSIAverages = PSIAverages()) -> PSIAverages {
        var p = start
        for _ in 0..<(n * PSIAverages.freqTicks) { p.record(some: some, full: full) }
        return p
    }

    @Test("updated every PSI_FREQ (2 s + 1 jiffy), not every tick")
    func cadence() {
        var p = PSIAverages()
        for _ in 0..<(PSIAverages.freqTicks - 1) { p.record(some: true, full: true) }
        #expect(p.someAvg10 == 0, "no update before the period ends")
        p.record(some: true, full: true)
        #expect(p.someAvg10 > 0)
    }

    @Test("a constant full stall rises as 100 * (1 - e^(-2s/10s)) per period: 18.1% after 2 s, 63% after 10 s, ~100% after a minute")
    func rise() {
        #expect(Self.periods(1, some: true, full: true).someAvg10 == 1811, "18.13% exactly; the kernel's fixed point gives 18.11")
        let tenSeconds = Self.periods(5, some: true, full: true).someAvg10
        #expect((6300...6330).contains(tenSeconds), "1 - e^-1 = 63.2%: \(tenSeconds)")
        #expect(Self.periods(30, some: true, full: false).someAvg10 > 9_950)
        #expect(Self.periods(30, some: true, full: false).fullAvg10 == 0)
    }

    @Test("and decays the same way once the stall ends")
    func decay() {
        let high = Self.periods(30, some: true, full: true)
        let after = Self.periods(5, some: false, full: false, from: high).someAvg10
        #expect((3650...3700).contains(after), "e^-1 of ~100%: \(after)")
    }

    @Test("2015 rules show no PSI (it arrived in 4.20); modern rules do")
    func perEra() {
        #expect(!Era.v2015.hasPSI)
        #expect(Era.modern.hasPSI)
        var s = Scenario.defaultScenario
        var trace = RunTrace(format: .csv, scenario: s, ticks: 400)
        var k = Kernel(scenario: s)
        for _ in 0..<400 { k.step() }
        #expect(trace.tick(k, events: []).hasSuffix(",,\n"), "empty psi cells under 2015 rules")
        try? s.policy.set(.era, "modern")
        k = Kernel(scenario: s)
        for _ in 0..<400 { k.step() }
        trace = RunTrace(format: .csv, scenario: s, ticks: 400)
        #expect(!trace.tick(k, events: []).hasSuffix(",,\n"))
    }
}
