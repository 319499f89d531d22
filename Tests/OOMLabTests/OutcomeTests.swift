import Testing
@testable import OOMLab
@testable import OOMLabKernel

/// The verdict follows the run: every kind, every transition, and the
/// history and totals that `run` and `compare` print.
@Suite("Outcome: the verdict as the run unfolds")
struct OutcomeTests {
    static func preset(_ name: String) throws -> Scenario {
        try ScenarioLoader.load(path: ShippedPresetTests.folder + "/" + name + ".yaml")
    }

    /// Steps to `ticks`, checking invariants (the outcome's among them) every tick.
    static func run(_ s: Scenario, ticks: Int) throws -> Kernel {
        var k = Kernel(scenario: s)
        try Lab.run(&k, ticks: ticks)
        return k
    }

    static func kinds(_ k: Kernel) -> [Verdict.Kind] { k.outcome.changes.map(\.kind) }

    /// The built-in scenario with one switch set, stepped to `ticks`.
    static func defaultScenario(_ key: PolicyKey, _ value: String, ticks: Int) throws -> Kernel {
        var s = Scenario.defaultScenario
        try s.policy.set(key, value)
        return try run(s, ticks: ticks)
    }

    @Test("ok -> pending: the victim lives, so nothing is recovered yet; the reason names it and its age")
    func pending() throws {
        let k = try Self.run(.defaultScenario, ticks: 400)
        #expect(k.verdict.kind == .pending)
        #expect(k.verdict.tick == 212)
        #expect(k.verdict.reason.hasPrefix("OOM victim postgres[1337] has had TIF_MEMDIE for 1.88 s and has not exited: waits in mutex_lock for agf"))
        #expect(k.verdict.headline == "pending since 2.12 s")
        #expect(Self.kinds(k) == [.ok, .pending])
    }

    @Test("pending -> stall: diagnosed after 5 s, dated from the kill; the history keeps both ticks")
    func stall() throws {
        let k = try Self.run(.defaultScenario, ticks: 3000)
        #expect(k.verdict.kind == .stall)
        #expect(k.outcome.changes == [Outcome.Change(tick: 0, kind: .ok, noticed: 0),
                                     Outcome.Change(tick: 212, kind: .stall, noticed: 712)])
        #expect(k.outcome.stuckTicks(upTo: k.tick) == 3000 - 212)
        let summary = OutcomeSummary(k)
        #expect(summary.recoveryTicks == nil)
        #expect(summary.troubleTick == 212)
    }

    @Test("pending -> recovered with the reaper: the victim reaped, the writer's allocation served")
    func recoveredByReaper() throws {
        let k = try Self.defaultScenario(.oomReaper, "on", ticks: 3000)
        #expect(k.verdict.kind == .recovered)
        let kinds = Self.kinds(k)
        #expect(kinds.prefix(3) == [.ok, .pending, .recovered])
        #expect(k.outcome.stuckTicks(upTo: k.tick) == 0)
        let summary = OutcomeSummary(k)
        #expect(summary.recoveryTicks == k.verdict.tick - 212)
        #expect(k.verdict.headline == "recovered at \(Units.seconds(ms: Units.ms(ticks: k.verdict.tick))) s")
    }

    @Test("stall -> recovered: the reaper switched on during the stall; the stall stays in the record")
    func reaperMidStall() throws {
        var k = Kernel(scenario: .defaultScenario)
        try Lab.run(&k, ticks: 900)
        #expect(k.verdict.kind == .stall)
        try k.setPolicy(.oomReaper, "on")
        try Lab.run(&k, ticks: 2100)
        #expect(k.verdict.kind == .recovered)
        let stuck = k.outcome.stuckTicks(upTo: k.tick)
        #expect(stuck >= 900 - 212, "the stall lasted at least from the kill to the switch")
        #expect(k.outcome.changes.contains { $0.kind == .stall && $0.tick == 212 })
        let stallText = Units.seconds(ms: Units.ms(ticks: stuck))
        #expect(k.verdict.headline == "recovered at \(Units.seconds(ms: Units.ms(ticks: k.verdict.tick))) s after a \(stallText) s stall")
        #expect(OutcomeSummary(k).json.rendered().contains("\"stalled_ms\": \(Units.ms(ticks: stuck))"))
        #expect(stuck > 0)
    }

    @Test("victim timeout: five seconds of a victim that cannot exit are a stall, then the next kill is pending")
    func victimTimeout() throws {
        let k = try Self.run(try Self.preset("victim-timeout"), ticks: 2000)
        #expect(k.verdict.kind == .recovered)
        #expect(Self.kinds(k).prefix(4) == [.ok, .stall, .pending, .recovered])
        #expect(k.outcome.changes[1].tick == 115)
        #expect(k.outcome.stuckTicks(upTo: k.tick) == 501, "from the kill at 115 to nginx's kill at 616")
        #expect(k.verdict.headline.hasSuffix(" after a 5.01 s stall"))
    }

    @Test("livelock from each task's own progress: pages move every tick, yet hog is never served (4.0 zone_reclaimable)")
    func zoneReclaimableLivelock() throws {
        var k = Kernel(scenario: try Self.preset("zone-reclaimable-livelock"))
        var nicRxKernelPages: Set<Int> = []
        for _ in 0..<1500 {
            k.step()
            try k.checkInvariants()
            nicRxKernelPages.insert(k.task(pid: 700)?.kernelPages ?? -1)
        }
        #expect(nicRxKernelPages.count > 1, "nic-rx allocates and frees all along: memory is not still")
        #expect(k.oomKills.isEmpty)
        #expect(k.verdict.kind == .livelock)
        #expect(k.diagnoses.livelock?.pids == [3100], "nic-rx is served; only hog is livelocked")
        let since = try #require(k.diagnoses.livelock?.since)
        #expect(k.outcome.current.tick == since)
        #expect(k.outcome.current.noticed >= since + Kernel.livelockTicks)
        #expect(k.verdict.reason.contains("zone_reclaimable() keeps reporting progress"))
    }

    @Test("livelock -> recovered: killing the driver stops the trickle, zone_reclaimable() turns false and the OOM killer takes hog")
    func livelockCleared() throws {
        var k = Kernel(scenario: try Self.preset("zone-reclaimable-livelock"))
        try Lab.run(&k, ticks: 1500)
        #expect(k.verdict.kind == .livelock)
        try k.kill(pid: 700)
        try Lab.run(&k, ticks: 300)
        #expect(k.oomKills.map(\.pid) == [3100])
        #expect(k.verdict.kind == .recovered)
        #expect(k.verdict.headline.contains(" after a "))
    }

    @Test("4.0: killing the livelocked task itself does not end the livelock (the slow path never checks fatal signals)")
    func killedLooperLoopsOn() throws {
        var k = Kernel(scenario: try Self.preset("zone-reclaimable-livelock"))
        try Lab.run(&k, ticks: 1500)
        try k.kill(pid: 3100)
        try Lab.run(&k, ticks: 500)
        #expect(k.task(pid: 3100)?.isAlive == true)
        #expect(k.verdict.kind == .livelock)
    }

    @Test("deadlock -> recovered: releasing a lock breaks the cycle at once, between ticks")
    func deadlockCleared() throws {
        let s = Lab.scenario(Lab.machine(), locks: ["A", "B"], [
            TaskSpec(pid: 1, name: "one", program: [.lock(name: "A", wait: .uninterruptible), .sleep(ticks: 3), .lock(name: "B", wait: .uninterruptible), .sleep(ticks: 1_000_000)]),
            TaskSpec(pid: 2, name: "two", program: [.lock(name: "B", wait: .uninterruptible), .sleep(ticks: 3), .lock(name: "A", wait: .uninterruptible), .sleep(ticks: 1_000_000)]),
        ])
        var k = Kernel(scenario: s)
        try Lab.run(&k, ticks: 20)
        #expect(k.verdict.kind == .deadlock)
        try k.releaseLock(pid: 2, lock: "B")
        try k.checkInvariants()
        #expect(k.verdict.kind == .recovered)
        #expect(k.outcome.current.tick == 20)
    }

    @Test("pending -> panic: panic_on_oom")
    func panic() throws {
        let k = try Self.defaultScenario(.panicOnOOM, "2", ticks: 400)
        #expect(k.verdict.kind == .panic)
        #expect(k.verdict.headline == "panic at 2.12 s")
        #expect(Self.kinds(k) == [.ok, .panic])
    }

    @Test("a run that never runs short stays ok, with no history")
    func ok() throws {
        let k = try Self.run(Lab.scenario(Lab.machine(ramMiB: 64), [Lab.hog(1, mib: 8)]), ticks: 300)
        #expect(k.verdict == Verdict(kind: .ok, tick: 0, reason: "no OOM kill, nothing stalled"))
        #expect(Self.kinds(k) == [.ok])
        #expect(OutcomeSummary(k).totalsLine == "stalled 0.00 s")
    }

    @Test("a backdated stall replaces only the pending it covers")
    func recordBackdates() {
        var o = Outcome()
        o.record(.pending, since: 100, now: 100)
        o.record(.recovered, since: 150, now: 150)
        o.record(.pending, since: 300, now: 300)
        o.record(.stall, since: 300, now: 800)
        #expect(o.changes.map(\.kind) == [.ok, .pending, .recovered, .stall])
        #expect(o.changes.last == Outcome.Change(tick: 300, kind: .stall, noticed: 800))
        o.record(.livelock, since: 50, now: 900)
        #expect(o.changes.last == Outcome.Change(tick: 900, kind: .livelock, noticed: 900),
                "a stall stood in the way: the livelock begins when it ended")
        #expect(o.stuckTicks(upTo: 1000) == 700)
        o.record(.pending, since: 1000, now: 1000)
        o.record(.livelock, since: 950, now: 1200)
        #expect(o.changes.last == Outcome.Change(tick: 900, kind: .livelock, noticed: 900),
                "the same kind again: the livelock went on (the pending inside it was never real)")
        #expect(o.changes.count == 5)
    }
}

/// `E` in the TUI and `--set era=` on the command line give one kernel policy.
@Suite("Policy switches: one meaning in the TUI and the CLI")
struct PolicyParityTests {
    static let presets: [String] = ShippedPresetTests.files.map { String($0.dropLast(".yaml".count)) }

    @Test("switching the era on a running kernel equals starting with --set era=", arguments: presets)
    func eraParity(name: String) throws {
        let scenario = try OutcomeTests.preset(name)
        for era in Era.allCases {
            var cli = scenario
            try cli.policy.set(.era, era.rawValue)
            let fromCLI = Kernel(scenario: cli)
            var live = Kernel(scenario: scenario)
            try live.setPolicy(.era, era.rawValue)
            #expect(live.policy == fromCLI.policy, "\(name): era \(era.rawValue)")
            #expect(live.watermarks == fromCLI.watermarks)
            #expect(live.minFreeKbytes == fromCLI.minFreeKbytes)
        }
    }

    @Test("a switch set explicitly survives an era change, as --set does in either order")
    func explicitSurvives() throws {
        var cli = Scenario.defaultScenario
        try cli.policy.set(.oomReaper, "off")
        try cli.policy.set(.era, "modern")
        var live = Kernel(scenario: .defaultScenario)
        try live.setPolicy(.oomReaper, "off")
        try live.setPolicy(.era, "modern")
        #expect(live.policy == Kernel(scenario: cli).policy)
        #expect(live.policy.oomReaper == false)
    }

    @Test("E to modern turns the reaper on, logged as the era's default, and the stall recovers as run --set era=modern does")
    func eraRecovers() throws {
        var live = Kernel(scenario: .defaultScenario)
        try live.setPolicy(.era, "modern")
        let events = live.step()
        #expect(events.map(\.text).contains("oomlab: policy oom_reaper: off -> on (the modern default)"))
        try Lab.run(&live, ticks: 2999)
        var cli = Scenario.defaultScenario
        try cli.policy.set(.era, "modern")
        let fromCLI = try OutcomeTests.run(cli, ticks: 3000)
        #expect(live.verdict.kind == .recovered)
        #expect(live.verdict.kind == fromCLI.verdict.kind)
        #expect(live.oomKills == fromCLI.oomKills)
    }
}
