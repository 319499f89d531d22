import Foundation
import Testing
@testable import OOMLab
@testable import OOMLabKernel

@Suite("The default scenario under each policy (issue 2, 'Done means')")
struct DefaultScenarioTests {
    func run(_ sets: [(PolicyKey, String)], seed: UInt64 = 1) throws -> (Kernel, [Event]) {
        var s = Scenario.defaultScenario
        s.seed = seed
        for (key, value) in sets { try s.policy.set(key, value) }
        var k = Kernel(scenario: s)
        let events = try Lab.run(&k, ticks: s.ticks)
        return (k, events)
    }

    @Test("2015, direct, no reaper, no reservations: stall, with the kmem_alloc warning and the wait chain")
    func stall2015() throws {
        let (k, events) = try run([(.era, "2015")])
        #expect([Verdict.Kind.stall, .livelock].contains(k.verdict.kind))
        let text = Lab.text(events)
        #expect(text.contains("XFS: possible memory allocation deadlock in kmem_alloc (mode:0x250)"))
        #expect(text.contains("oomlab: OOM victim stall: postgres[1337] (OOM victim, TIF_MEMDIE for 5000 ms) -> waits in mutex_lock for agf (TASK_UNINTERRUPTIBLE: SIGKILL cannot wake it) -> agf is held by xfs-writer[412] -> loops in kmem_alloc"))
        #expect(text.contains("INFO: task postgres:1337 blocked for more than 10 seconds."))
        #expect(k.oomKills.map(\.name) == ["postgres"])
    }

    @Test("with the OOM reaper: recovered")
    func reaper() throws {
        let (k, _) = try run([(.era, "2015"), (.oomReaper, "on")])
        #expect(k.verdict.kind == .recovered)
        #expect(k.reaped.contains(1337))
    }

    @Test("with reservations: no stall")
    func reservations() throws {
        let (k, _) = try run([(.era, "2015"), (.reservations, "on")])
        #expect(k.verdict.kind == .recovered)
        #expect(k.diagnoses.stall == nil)
    }

    @Test("with the OOM killer in kswapd: kswapd kills, later, and the lock dependency still stalls")
    func kswapd() throws {
        let (direct, _) = try run([(.era, "2015")])
        let (k, events) = try run([(.era, "2015"), (.oomInvocation, "kswapd")])
        #expect(k.oomKills.first?.invokedBy == "kswapd0")
        #expect(Lab.text(events).contains("kswapd0 invoked oom-killer: gfp_mask=0xd0, order=0, oom_score_adj=0"))
        #expect(k.verdict.kind == .stall)
        let viaKswapd = try #require(k.oomKills.first)
        let viaDirect = try #require(direct.oomKills.first)
        #expect(viaKswapd.tick > viaDirect.tick)
    }

    @Test("modern rules recover (the reaper is on by default)")
    func modern() throws {
        let (k, events) = try run([(.era, "modern")])
        #expect(k.verdict.kind == .recovered)
        #expect(!Lab.text(events).contains("XFS:"), "6.x XFS has no kmem_alloc loop and no such warning")
    }
}

@Suite("Determinism and invariants", .slow)
struct DeterminismTests {
    func trace(seed: UInt64, ticks: Int = 1500) -> [Event] {
        var s = Scenario.defaultScenario
        s.seed = seed
        var k = Kernel(scenario: s)
        return k.run(ticks: ticks)
    }

    @Test("same scenario and seed: identical trace")
    func sameSeed() {
        #expect(trace(seed: 7) == trace(seed: 7))
    }

    @Test("the seed changes the interleaving")
    func differentSeeds() {
        let traces = (1...6).map { trace(seed: UInt64($0), ticks: 400).map(\.tick) }
        #expect(Set(traces.map { $0.description }).count > 1)
    }

    @Test("invariants hold every tick under every policy mix", arguments: 1...12)
    func invariants(seed: Int) throws {
        var s = Scenario.defaultScenario
        s.seed = UInt64(seed)
        let eras: [Era] = [.v2015, .modern]
        try s.policy.set(.era, eras[seed % 2].rawValue)
        try s.policy.set(.oomReaper, seed % 3 == 0 ? "on" : "off")
        try s.policy.set(.reservations, seed % 4 < 2 ? "on" : "off")
        try s.policy.set(.oomInvocation, seed % 5 == 0 ? "kswapd" : "direct")
        s.machine.swapPages = seed % 2 == 0 ? 16 * Lab.mib : 0
        s.machine.fileDirtyPages = seed % 3 == 1 ? 8 * Lab.mib : 0
        var k = Kernel(scenario: s)
        for t in 0..<1500 {
            k.step()
            try k.checkInvariants()
            if t == 700 { try k.setPolicy(.oomReaper, "on") }
        }
    }
}

@Suite("The built-in scenario")
struct BuiltInScenarioTests {
    @Test("the compiled-in text is presets/xfs-kmem-alloc-loop.yaml, byte for byte")
    func sameAsPreset() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../presets/xfs-kmem-alloc-loop.yaml").standardized.path
        let file = try String(contentsOfFile: path, encoding: .utf8)
        #expect(file == Scenario.defaultYAML)
        #expect(Scenario.defaultScenario.name == "xfs-kmem-alloc-loop")
        #expect(Scenario.defaultScenario.tasks.map(\.name) == ["xfs-writer", "postgres", "journald"])
    }
}
