import Testing
@testable import OOMLab
@testable import OOMLabKernel

/// Issue 14, class 7 (floods) in the TUI: a run keeps every logged line for
/// rewinding (`Run.log`), and a flood logs without end: 500 allocating
/// tasks on 64 MiB print a 500-row task table with every OOM report, one
/// report a tick while oom_rs lets them through. The run's log stays under
/// its byte limit, counts what it dropped, and a keyframe whose recent
/// lines were dropped says so instead of showing a gap.
@Suite("Run.log: bounded in a flood, says what it dropped")
struct RunLogLimitTests {
    static let flood: Scenario = {
        let yaml = "name: flood\nticks: 200\nmachine: {ram: 64MiB, swap: 0}\n"
            + "tasks: [{pid: 100, name: t, count: 500, program: [{repeat: forever, body: [{alloc: 64KiB}]}]}]\n"
        return try! ScenarioLoader.parse(yaml: yaml, file: "flood.yaml")
    }()

    static func cost(_ events: some Sequence<Event>) -> Int {
        events.map { $0.text.utf8.count + EventLog.lineOverhead }.reduce(0, +)
    }

    @Test("the log stays under its limit; kept + dropped is everything the run logged")
    func bounded() throws {
        let limit = 64 << 10
        var whole = try Run(scenario: Self.flood, logByteLimit: Int.max)
        var small = try Run(scenario: Self.flood, logByteLimit: limit)
        for _ in 0..<100 {
            whole.step()
            small.step()
        }
        let all = whole.log.kept
        #expect(whole.log.droppedLines == 0)
        #expect(Self.cost(all) > 8 * limit, "the flood is real: \(Self.cost(all)) bytes")
        #expect(small.log.bytes <= limit, "\(small.log.bytes) bytes kept")
        #expect(small.log.bytes == Self.cost(small.log.kept))
        #expect(small.log.droppedLines + small.log.kept.count == all.count)
        #expect(small.log.droppedBytes + small.log.bytes == Self.cost(all))
        #expect(Array(all.suffix(small.log.kept.count)) == small.log.kept, "the newest lines are the ones kept")
        #expect(small.log.droppedThroughTick == all[small.log.droppedLines - 1].tick)
        // The kernel does not depend on the log: both runs stand in the same state.
        #expect(small.kernel == whole.kernel)
    }

    @Test("a keyframe whose recent lines were dropped starts its log with a line that counts them")
    func keyframeNotice() throws {
        var run = try Run(scenario: Self.flood, logByteLimit: 64 << 10)
        run.seek(to: 150)
        run.seek(to: 70)   // restores the keyframe at tick 64
        let recent = run.kernel.recentEvents
        let first = try #require(recent.first)
        #expect(first.kind == .oomlab)
        #expect(first.text.hasPrefix("oomlab: ") && first.text.hasSuffix(" older log lines dropped (the run keeps 64 KiB of log)"), "\(first.text)")
        #expect(!recent.dropFirst().contains { $0.text.contains("older log lines dropped") })
        #expect(recent.allSatisfy { $0.tick <= 70 })
        // Without the limit the same seek shows the lines themselves.
        var whole = try Run(scenario: Self.flood, logByteLimit: Int.max)
        whole.seek(to: 150)
        whole.seek(to: 70)
        #expect(Array(whole.kernel.recentEvents.suffix(recent.count - 1)) == Array(recent.dropFirst()))
    }

    @Test("step returns the tick's lines whether the log kept them or not")
    func stepEvents() throws {
        var small = try Run(scenario: Self.flood, logByteLimit: 4 << 10)
        var whole = try Run(scenario: Self.flood, logByteLimit: Int.max)
        for _ in 0..<20 {
            let a = small.step(), b = whole.step()
            #expect(a == b)
            #expect(Array(whole.events(at: whole.position)) == b)
        }
        small.seek(to: 0)
        whole.seek(to: 0)
        for _ in 0..<20 { #expect(small.step() == whole.step(), "replayed behind the frontier") }
    }

    @Test("the default limit is 32 MiB")
    func defaultLimit() throws {
        #expect(EventLog.defaultByteLimit == 32 << 20)
        #expect(try Run(scenario: Self.flood).log.byteLimit == 32 << 20)
        #expect(EventLog(byteLimit: 32 << 20).limitText == "32 MiB")
    }
}

/// `oomlab check` in a flood: a failing check names at most
/// `ScenarioCheck.killsNamed` kills, so its one line stays short however
/// many tasks the run killed.
@Suite("check: a flood of kills makes one short line")
struct CheckFloodTests {
    @Test("a failed check names 8 kills and counts the rest")
    func killsNamed() throws {
        let yaml = "name: flood\nticks: 100\nmachine: {ram: 64MiB, swap: 0}\n"
            + "tasks: [{pid: 100, name: t, count: 500, program: [{repeat: forever, body: [{alloc: 64KiB}]}]}]\n"
            + "expect: {oom_kills: 1}\n"
        let results = ScenarioCheck.run(try ScenarioLoader.parse(yaml: yaml, file: "flood.yaml"))
        let r = try #require(results.first)
        #expect(!r.passed)
        let kills = ScenarioCheck.run(try ScenarioLoader.parse(yaml: yaml, file: "flood.yaml"), ticks: 100).oomKills
        #expect(kills.count > 20, "\(kills.count) kills")
        #expect(r.message.hasPrefix("expected 1 OOM kills, got \(kills.count) ("))
        #expect(r.message.hasSuffix(" and \(kills.count - 8) more)"), "\(r.message)")
        #expect(r.message.components(separatedBy: " at tick ").count - 1 == 8)
        #expect(r.message.utf8.count < 400)
    }
}
