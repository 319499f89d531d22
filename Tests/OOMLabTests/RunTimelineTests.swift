import Testing
@testable import OOMLab
@testable import OOMLabKernel

/// A run's timeline: actions after a rewind replace the future (kept as a
/// fork until discarded), markers, forks that share the past, unsaved counts.
@Suite("Run: truncation, markers, forks")
struct RunTimelineTests {
    /// The built-in scenario without its narration cues: these tests are
    /// about the kernel's own markers (PresetCueTests covers cue markers).
    static let xfs: Scenario = {
        var s = Scenario.defaultScenario
        s.cues = []
        return s
    }()

    @Test("an action after rewinding drops the old future and keeps it reachable")
    func truncation() throws {
        var run = try Run(scenario: Self.xfs)
        run.seek(to: 500)
        try run.apply(.setOOMScoreAdj(pid: 1337, 500))
        #expect(run.replacedFuture == nil, "at the frontier nothing is replaced")
        run.seek(to: 800)
        let at800 = run.kernel
        #expect(run.frontier == 800)
        run.seek(to: 300)
        try run.apply(.setPolicy(.oomReaper, "on"))
        #expect(run.timeline.entries.map(\.tick) == [300])
        #expect(run.frontier == 300)
        #expect(run.markers.allSatisfy { $0.tick <= 300 })
        #expect(run.log.kept.allSatisfy { $0.tick <= 300 })
        #expect(run.log.kept.last?.text == "oomlab: policy oom_reaper: off -> on")

        var old = try #require(run.replacedFuture)
        #expect(old.timeline.entries.map { $0.tick } == [500])
        #expect(old.frontier == 800 && old.position == 300)
        old.seek(to: 800)
        let same = old.kernel == at800
        #expect(same, "the replaced future replays as it was: \(kernelDifferences(old.kernel, at800))")

        run.seek(to: 800)
        #expect(run.kernel.tasks.first { $0.pid == 1337 }?.oomScoreAdj == 0, "the oom_score_adj at 500 is gone")
        run.discardReplacedFuture()
        #expect(run.replacedFuture == nil)
    }

    @Test("an action at a tick with later recorded actions keeps those at its tick, drops the later ones")
    func truncationKeepsSameTick() throws {
        let timeline = Timeline([.init(tick: 100, action: .addLock("a")), .init(tick: 200, action: .addLock("b"))])
        var run = try Run(scenario: Self.xfs, timeline: timeline)
        run.seek(to: 100)
        #expect(run.kernel.lock(named: "a") != nil)
        try run.apply(.addLock("c"))
        #expect(run.timeline.entries.map(\.action) == [.addLock("a"), .addLock("c")])
        #expect(run.replacedFuture?.timeline == timeline)
        run.seek(to: 300)
        #expect(run.kernel.lock(named: "b") == nil && run.kernel.lock(named: "c") != nil)
    }

    @Test("a failed action changes nothing")
    func failedAction() throws {
        var run = try Run(scenario: Self.xfs)
        run.seek(to: 200)
        run.seek(to: 100)
        let before = run.kernel
        #expect(throws: Kernel.ActionError.noSuchTask(4242)) { try run.apply(.kill(pid: 4242)) }
        let same = run.kernel == before
        #expect(same)
        #expect(run.frontier == 200 && run.timeline.isEmpty && run.replacedFuture == nil)
    }

    @Test("markers: the OOM kill, the victim stall, khungtaskd's report, user actions; previous and next")
    func markers() throws {
        var run = try Run(scenario: Self.xfs, timeline: Timeline([.init(tick: 50, action: .addLock("user"))]))
        run.seek(to: Self.xfs.ticks)
        let k = run.kernel
        let markers = run.markers
        #expect(markers.map(\.tick) == markers.map(\.tick).sorted())
        #expect(markers.filter { $0.kind == .oomKill }.map(\.tick) == k.oomKills.map(\.tick))
        #expect(markers.filter { $0.kind == .oomKill }.map(\.pid) == [1337])
        // The marker stands where the stall was noticed (the outcome dates the stall from the kill).
        let noticed = try #require(k.outcome.changes.first { $0.kind == .stall }?.noticed)
        #expect(markers.contains(Marker(tick: noticed, kind: .victimStall, pid: 1337)))
        #expect(run.events(at: noticed).contains { $0.text.hasPrefix("oomlab: OOM victim stall:") })
        #expect(markers.first == Marker(tick: 50, kind: .userAction))
        let hung = markers.filter { $0.kind == .hungTask }
        #expect(!hung.isEmpty)
        for marker in hung {
            #expect(run.events(at: marker.tick).contains { $0.text.contains("blocked for more than 10 seconds") })
        }
        let kill = try #require(markers.first { $0.kind == .oomKill })
        #expect(run.events(at: kill.tick).contains { $0.text.contains("Killed process 1337 (postgres)") })
        #expect(run.previousMarker(before: noticed + 1)?.tick == noticed)
        #expect(run.nextMarker(after: 50) == markers[1])
        #expect(run.previousMarker(before: 50) == nil)

        run.seek(to: 60)
        let second = run.seekToNextMarker(limit: Self.xfs.ticks)
        #expect(second == markers[1])
        #expect(run.position == markers[1].tick)
    }

    @Test("seekToNextMarker computes ahead when no marker is known yet")
    func nextMarkerAhead() throws {
        var run = try Run(scenario: Self.xfs)
        let next = run.seekToNextMarker(limit: Self.xfs.ticks)
        let found = try #require(next)
        #expect(found.kind == .oomKill)
        #expect(run.position == found.tick && run.frontier == found.tick)
        var empty = try Run(scenario: Self.xfs)
        let none = empty.seekToNextMarker(limit: 10)
        #expect(none == nil)
        #expect(empty.position == 10)
    }

    @Test("a fork shares the past, takes its own action, and leaves the original alone")
    func fork() throws {
        var base = try Run(scenario: Self.xfs)
        base.seek(to: 400)
        var fork = try base.fork(at: 300, with: [.setPolicy(.oomReaper, "on")])
        #expect(base.position == 400 && base.timeline.isEmpty)
        #expect(fork.position == 300 && fork.timeline.entries == [.init(tick: 300, action: .setPolicy(.oomReaper, "on"))])
        #expect(fork.replacedFuture == nil)
        base.seek(to: 250)
        fork.seek(to: 250)
        let samePast = fork.kernel == base.kernel
        #expect(samePast)
        base.seek(to: Self.xfs.ticks)
        fork.seek(to: Self.xfs.ticks)
        #expect(base.kernel.verdict.kind == .stall)
        #expect(fork.kernel.verdict.kind == .recovered)
    }

    @Test("unsaved actions: counted against the timeline as loaded or saved")
    func unsaved() throws {
        let loaded = Timeline([.init(tick: 100, action: .addLock("a")), .init(tick: 200, action: .addLock("b"))])
        var run = try Run(scenario: Self.xfs, timeline: loaded)
        #expect(run.unsavedActionCount == 0 && !run.hasUnsavedChanges)
        run.seek(to: 300)
        try run.apply(.kill(pid: 2001))
        #expect(run.unsavedActionCount == 1)
        run.markSaved()
        #expect(run.unsavedActionCount == 0 && !run.hasUnsavedChanges)
        run.seek(to: 150)
        try run.apply(.addLock("c"))
        #expect(run.unsavedActionCount == 1)
        #expect(run.hasUnsavedChanges)
    }

    @Test("a recorded action that cannot apply at its tick is a located error")
    func replayError() throws {
        let at = SourceLocation(file: "s.yaml", line: 7, column: 22)
        #expect(throws: ScenarioError("kill at tick 40: no live task with pid 4242 at that tick", at: at)) {
            try Run(scenario: Self.xfs, timeline: Timeline([.init(tick: 40, action: .kill(pid: 4242), location: at)]))
        }
    }

    @Test("an action after the kernel panicked is a located error; seeking stops at the panic")
    func afterPanic() throws {
        let at = SourceLocation(file: "s.yaml", line: 9, column: 5)
        let panicking = Timeline([.init(tick: 0, action: .setPolicy(.panicOnOOM, "1"))])
        var run = try Run(scenario: Self.xfs, timeline: panicking)
        run.seek(to: Self.xfs.ticks)
        let panicTick = run.position
        #expect(run.kernel.panicVerdict != nil && panicTick < Self.xfs.ticks)
        #expect(run.step().isEmpty && run.position == panicTick)
        #expect(run.markers.last?.kind == .panic && run.markers.last?.tick == panicTick)
        let late = Timeline(panicking.entries + [.init(tick: 2000, action: .kill(pid: 2001), location: at)])
        #expect(throws: ScenarioError("kill at tick 2000 comes after the kernel panicked at tick \(panicTick)", at: at)) {
            try Run(scenario: Self.xfs, timeline: late)
        }
    }
}
