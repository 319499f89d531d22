import Foundation
import Testing
@testable import OOMLab
@testable import OOMLabKernel

/// `Replay`, what `oomlab run SESSION` streams from, logs exactly what a
/// `Run` stepping the same timeline logs, tick by tick, and ends in the same
/// kernel, while keeping nothing behind.
@Suite("Replay: the events a Run gives, without keeping them")
struct ReplayTests {
    @Test("every preset with a random timeline: the same events at every tick, the same kernel",
          arguments: ShippedPresetTests.files)
    func sameAsRun(file: String) throws {
        let scenario = try RunSeekTests.preset(file)
        var gen = TimelineGenerator(seed: 5 &+ UInt64(file.utf8.count))
        let (timeline, _) = gen.record(scenario, ticks: scenario.ticks, targets: [])
        var run = try Run(scenario: scenario, timeline: timeline)
        var replay = try Replay(scenario: scenario, timeline: timeline)
        #expect(replay.initialEvents == Array(run.events(at: 0)))
        var logged = 0
        for _ in 0..<scenario.ticks {
            let want = run.step()
            let got = try replay.step()
            #expect(got == want, "\(file) at tick \(run.position)")
            logged += want.count
            if run.kernel.panicVerdict != nil { break }
        }
        #expect(replay.kernel == run.kernel, "\(file): \(kernelDifferences(replay.kernel, run.kernel))")
        #expect(logged > 0)
    }

    @Test("an action that cannot apply is the located error Run gives, before any step")
    func badTimeline() throws {
        let scenario = try RunSeekTests.preset("xfs-kmem-alloc-loop.yaml")
        let location = SourceLocation(file: "s.yaml", line: 40, column: 23)
        let timeline = Timeline([Timeline.Entry(tick: 300, action: .kill(pid: 4242), location: location)])
        #expect(throws: ScenarioError.self) { _ = try Replay(scenario: scenario, timeline: timeline) }
        do {
            _ = try Replay(scenario: scenario, timeline: timeline)
        } catch {
            #expect(error.description == "s.yaml:40:23: error: kill at tick 300: no live task with pid 4242 at that tick")
        }
    }
}
