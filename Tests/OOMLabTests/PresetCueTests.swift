import Foundation
import Testing
@testable import OOMLab
@testable import OOMLabKernel

@Suite("Shipped presets teach: cues and notes")
struct PresetCueTests {
    @Test("every shipped preset has at least 3 cues, in order, within its run, and notes with what it shows and what to watch",
          arguments: ShippedPresetTests.files)
    func cuesAndNotes(file: String) throws {
        let path = ShippedPresetTests.folder + "/" + file
        let scenario = try ScenarioLoader.load(path: path)
        #expect(scenario.cues.count >= 3)
        #expect(scenario.cues.map(\.tick) == scenario.cues.map(\.tick).sorted())
        #expect(scenario.cues.allSatisfy { $0.tick <= scenario.ticks && !$0.text.isEmpty })
        let notes = try #require(ScenarioNotes.load(path: path))
        #expect(notes.paragraphs.contains { $0.heading == "What it shows" })
        #expect(notes.paragraphs.contains { $0.heading == "Watch for" })
    }

    @Test("each cue of the built-in scenario is a marker at its tick, for [ ] and auto-pause")
    func cueMarkers() throws {
        var run = try Run(scenario: .defaultScenario)
        run.seek(to: Scenario.defaultScenario.ticks)
        #expect(run.markers.filter { $0.kind == .cue }.map(\.tick) == Scenario.defaultScenario.cues.map(\.tick))
    }

    @Test("a cue that says the OOM killer picks or kills comes at or after the first kill", arguments: ShippedPresetTests.files)
    func killCuesAfterTheKill(file: String) throws {
        let scenario = try ScenarioLoader.load(path: ShippedPresetTests.folder + "/" + file)
        var run = try Run(scenario: scenario)
        run.seek(to: scenario.ticks)
        let firstKill = run.kernel.oomKills.first?.tick
        for cue in scenario.cues where cue.text.contains("invokes the OOM killer") || cue.text.contains("kill") && cue.text.contains("picks") {
            let kill = try #require(firstKill, "\(file): a cue speaks of a kill in a run without one: \(cue.text)")
            #expect(cue.tick >= kill, "\(file): '\(cue.text)' at tick \(cue.tick), the kill is at \(kill)")
        }
    }

    @Test("after the user changes the run, a cue says it was written for the run as it was; before, it does not")
    func cueAfterAChange() throws {
        let scenario = try ScenarioLoader.load(path: ShippedPresetTests.folder + "/memcg-limit.yaml")
        let cue = try #require(scenario.cues.last)
        func cueLine(changeAt: Int?) throws -> String? {
            var k = Kernel(scenario: scenario)
            var line: String?
            while k.tick < cue.tick {
                if k.tick == changeAt { try k.setCgroupLimit(try CgroupPath.parse("/kubepods/burstable/pod-web", at: SourceLocation(file: "t", line: 1, column: 1)), .max, pages: 102_400) }
                for e in k.step() where e.isCue && e.text.hasSuffix(cue.text) { line = e.text }
            }
            return line
        }
        #expect(try cueLine(changeAt: nil) == Event.cuePrefix + cue.text)
        let changed = try cueLine(changeAt: 12)
        #expect(changed == Event.cuePrefix + "(as written, before the change at 0.12 s) " + cue.text, "\(changed ?? "no cue line")")
    }
}
