import Foundation
import Testing
@testable import OOMLab
@testable import OOMLabKernel

/// Session files: the scenario plus `timeline:` and `at:`. They round-trip,
/// reopen at the same state, and a bad timeline is a located error.
@Suite("Session files: timeline and at")
struct SessionFileTests {
    static let base = """
        name: t
        ticks: 1000
        machine:
          ram: 64MiB
        locks: [agf]
        tasks:
          - pid: 100
            name: hog
            anon: 1MiB
            program:
              - repeat: forever
                body:
                  - compute: 1

        """

    static func error(_ timeline: String) -> String {
        do {
            let session = try SessionLoader.parse(yaml: base + timeline, file: "s.yaml")
            _ = try Run(session: session)
            return "no error"
        } catch {
            return error.description
        }
    }

    @Test("saving then reopening gives the same state at `at`, for every preset and random timelines",
          arguments: ShippedPresetTests.files)
    func roundTrip(file: String) throws {
        let scenario = try RunSeekTests.preset(file)
        var gen = TimelineGenerator(seed: 5 &+ UInt64(file.utf8.count), perMille: 15)
        var at = gen.below(scenario.ticks + 1)
        let (timeline, states) = gen.record(scenario, ticks: scenario.ticks, targets: [at])
        // Past a panic the run stands at the panic.
        let want = try #require(states[at] ?? gen.last)
        at = want.tick
        let session = Session(scenario: scenario, timeline: timeline, at: at)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("oomlab-session-\(getpid())-\(file)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("s.yaml").path
        try SessionWriter.save(session, to: path)
        let reopened = try SessionLoader.load(path: path)
        #expect(reopened == session)
        let run = try Run(session: reopened)
        #expect(run.position == at)
        let same = run.kernel == want
        #expect(same, "\(file) at \(at): \(kernelDifferences(run.kernel, want))")
    }

    @Test("the session a run saves is the run: raised ticks, the timeline, the position")
    func runSession() throws {
        var run = try Run(scenario: Scenario.defaultScenario)
        run.seek(to: 3100)
        try run.apply(.setPolicy(.oomReaper, "ON"))
        #expect(run.timeline.entries.last?.action == .setPolicy(.oomReaper, "on"), "recorded as files spell it")
        let session = run.session
        #expect(session.scenario.ticks == 3100 && session.at == 3100)
        let text = SessionWriter.yaml(for: session)
        #expect(text.hasSuffix("timeline:\n  - {tick: 3100, set: {oom_reaper: on}}\nat: 3100\n"))
        let back = try Run(session: SessionLoader.parse(yaml: text, file: "x.yaml"))
        #expect(kernelDifferences(back.kernel, run.kernel) == ["ticksPlanned"], "only the raised length differs")
    }

    @Test("every action writes as presets/README.md shows it and reads back")
    func everyAction() throws {
        var spec = TaskSpec(pid: 200, name: "added", anonPages: 256, startTick: 20, program: [
            .lock(name: "j", wait: .killable), .sleep(ticks: 500), .unlock(name: "j"),
        ])
        spec.parent = 100
        let timeline = Timeline([
            .init(tick: 0, action: .setPolicy(.era, "modern")),
            .init(tick: 10, action: .addLock("j")),
            .init(tick: 10, action: .addTask(spec)),
            .init(tick: 30, action: .setOOMScoreAdj(pid: 100, -500)),
            .init(tick: 40, action: .takeLock(pid: 100, lock: "agf", wait: .killable)),
            .init(tick: 60, action: .releaseLock(pid: 100, lock: "agf")),
            .init(tick: 70, action: .kill(pid: 200)),
        ])
        let scenario = try ScenarioLoader.parse(yaml: Self.base, file: "t.yaml")
        let session = Session(scenario: scenario, timeline: timeline, at: 80)
        let text = SessionWriter.yaml(for: session)
        #expect(text.hasSuffix("""
            timeline:
              - {tick: 0, set: {era: modern}}
              - {tick: 10, add_lock: j}
              - tick: 10
                add_task:
                  pid: 200
                  name: added
                  anon: 1MiB
                  parent: 100
                  start: 20
                  program:
                    - {lock: j, wait: killable}
                    - sleep: 500
                    - unlock: j
              - {tick: 30, oom_score_adj: {pid: 100, value: -500}}
              - {tick: 40, take_lock: {pid: 100, lock: agf, wait: killable}}
              - {tick: 60, release_lock: {pid: 100, lock: agf}}
              - {tick: 70, kill: 200}
            at: 80

            """))
        #expect(try SessionLoader.parse(yaml: text, file: "t.yaml") == session)
        var run = try Run(session: session)
        #expect(run.kernel.policy.era == .modern)
        #expect(run.kernel.task(pid: 200)?.sigkill == true)
        run.seek(to: 45)
        #expect(run.kernel.task(pid: 100)?.heldLocks == ["agf"])
    }

    @Test("a plain scenario loads as a session exactly as it loads as a scenario")
    func plainScenario() throws {
        let session = try SessionLoader.parse(yaml: Self.base, file: "t.yaml")
        #expect(session.scenario == (try ScenarioLoader.parse(yaml: Self.base, file: "t.yaml")))
        #expect(session.timeline.isEmpty && session.at == 0)
    }

    @Test("a session file given where only scenarios are read says so")
    func sessionAsScenario() {
        #expect(throws: ScenarioError("'timeline' makes this a session file, which this command does not open; oomlab run, check and compare replay sessions",
                                      at: SourceLocation(file: "s.yaml", line: 14, column: 1))) {
            try ScenarioLoader.parse(yaml: Self.base + "timeline: []\n", file: "s.yaml")
        }
    }

    @Test("bad timelines: located errors, exact text")
    func badTimelines() {
        #expect(Self.error("timeline:\n  - {tick: 10, kil: 100}\n")
                == "s.yaml:15:16: error: unknown key 'kil' in timeline entry; did you mean 'kill'?")
        #expect(Self.error("timeline:\n  - {tick: 400, kill: 100}\n  - {tick: 300, set: {oom_reaper: on}}\n")
                == "s.yaml:16:12: error: timeline out of order: tick 300 comes after tick 400; list entries by tick")
        #expect(Self.error("timeline:\n  - {tick: 400, kill: 1337}\n")
                == "s.yaml:15:23: error: kill at tick 400: no live task with pid 1337 at that tick")
        #expect(Self.error("timeline:\n  - {tick: 400, kill: 100}\n  - {tick: 500, kill: 100}\n")
                == "s.yaml:16:23: error: kill at tick 500: no live task with pid 100 at that tick")
        #expect(Self.error("timeline:\n  - {tick: 5000, kill: 100}\n")
                == "s.yaml:15:12: error: tick 5000 is past the end of the run (ticks: 1000); raise ticks or move it")
        #expect(Self.error("at: 20s\n")
                == "s.yaml:14:5: error: at 2000 is past the end of the run (ticks: 1000); raise ticks or move it")
        #expect(Self.error("timeline:\n  - {tick: 10}\n")
                == "s.yaml:15:5: error: timeline entry at tick 10 has no action; expected set, add_task, add_lock, kill, oom_score_adj, take_lock, release_lock, create_cgroup or cgroup_limit")
        #expect(Self.error("timeline:\n  - {tick: 10, kill: 100, add_lock: x}\n")
                == "s.yaml:15:27: error: a timeline entry holds one action, found 'kill' and 'add_lock'; give each its own entry")
        #expect(Self.error("timeline:\n  - {tick: 10, set: {oom_reaper: maybe}}\n")
                == "s.yaml:15:34: error: bad value 'maybe' for 'oom_reaper': expected on or off")
        #expect(Self.error("timeline:\n  - {tick: 10, take_lock: {pid: 100, lock: agff}}\n")
                == "s.yaml:15:44: error: undeclared lock 'agff'; did you mean 'agf'?")
        #expect(Self.error("timeline:\n  - {tick: 10, release_lock: {pid: 100, lock: agf}}\n")
                == "s.yaml:15:36: error: release_lock at tick 10: hog does not hold agf")
        #expect(Self.error("timeline:\n  - {tick: 10, add_task: {pid: 100, name: again}}\n")
                == "s.yaml:15:32: error: add_task at tick 10: pid 100 is already in use")
    }
}
