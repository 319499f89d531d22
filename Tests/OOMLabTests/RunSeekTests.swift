import Foundation
import Testing
@testable import OOMLab
@testable import OOMLabKernel

/// The property the whole timeline rests on: for every shipped preset and
/// random timelines of user actions, the kernel after seeking to a tick
/// equals (whole state) the kernel stepped forward to that tick.
@Suite("Run: seeking gives exactly the state stepping forward gives", .slow)
struct RunSeekTests {
    static let seeds: [UInt64] = [1, 2]

    static func preset(_ file: String) throws -> Scenario {
        try ScenarioLoader.load(path: ShippedPresetTests.folder + "/" + file)
    }

    @Test("every preset, random timelines, seeks in random order", arguments: ShippedPresetTests.files, seeds)
    func seekEqualsStepping(file: String, seed: UInt64) throws {
        let scenario = try Self.preset(file)
        var gen = TimelineGenerator(seed: seed &* 7919 &+ UInt64(file.utf8.count))
        let ticks = scenario.ticks
        let targets = (0..<24).map { _ in gen.below(ticks + 1) } + [0, ticks, ticks / 2]
        let (timeline, states) = gen.record(scenario, ticks: ticks, targets: Set(targets))
        var run = try Run(scenario: scenario, timeline: timeline)
        #expect(run.position == 0)
        for target in gen.shuffled(targets) {
            guard let want = states[target] else { continue }   // past a panic
            run.seek(to: target)
            #expect(run.position == target)
            let same = run.kernel == want
            #expect(same, "\(file) seed \(seed) at \(target): \(kernelDifferences(run.kernel, want))")
        }
    }

    @Test("the random timelines hold every kind of action")
    func generatorCoversEveryAction() throws {
        var kinds: Set<String> = []
        var total = 0
        for file in ShippedPresetTests.files {
            let scenario = try Self.preset(file)
            var gen = TimelineGenerator(seed: 1 &* 7919 &+ UInt64(file.utf8.count))
            let (timeline, _) = gen.record(scenario, ticks: scenario.ticks, targets: [])
            kinds.formUnion(timeline.entries.map(\.action.keyword))
            total += timeline.count
        }
        #expect(kinds == Set(UserAction.keywords))
        #expect(total >= 100, "\(total) actions over the presets")
    }

    @Test("a tiny keyframe budget thins the keyframes; seeking stays exact")
    func thinning() throws {
        let scenario = try Self.preset("xfs-kmem-alloc-loop.yaml")
        var gen = TimelineGenerator(seed: 99, perMille: 20)
        let targets = [0, 1, 63, 64, 65, 700, 1500, 2999, 3000, 17]
        let (timeline, states) = gen.record(scenario, ticks: scenario.ticks, targets: Set(targets))
        var run = try Run(scenario: scenario, timeline: timeline, keyframeBudgetBytes: 40_000)
        run.seek(to: scenario.ticks)
        #expect(run.keyframeInterval > Run.initialKeyframeInterval, "the budget forced thinning")
        #expect(run.keyframeBytes <= 40_000 || run.keyframeCount == 1)
        for target in targets {
            guard let want = states[target] else { continue }
            run.seek(to: target)
            let same = run.kernel == want
            #expect(same, "at \(target): \(kernelDifferences(run.kernel, want))")
        }
    }

    @Test("the sample log gives back every sample exactly, across checkpoints and truncation")
    func sampleLog() throws {
        var k = Kernel(scenario: try Self.preset("simple-leak.yaml"))
        var log = SampleLog()
        var all: [MetricsSample] = []
        for _ in 0..<700 {
            k.step()
            let s = try #require(k.history.last)
            log.append(s)
            all.append(s)
        }
        #expect(log.samples(0..<700) == all)
        #expect(log.samples(250..<530) == Array(all[250..<530]))
        for cut in [512, 300, 256, 1] {
            log.truncate(to: cut)
            #expect(log.count == cut)
            #expect(log.samples(0..<cut) == Array(all[0..<cut]))
            log.append(all[cut])
            #expect(log.samples((cut - 1)..<(cut + 1)) == Array(all[(cut - 1)...cut]))
            log.truncate(to: cut)
        }
        #expect(log.byteCount < 700 * MemoryLayout<MetricsSample>.stride / 4, "compact: \(log.byteCount) bytes")
    }
}
