import Foundation
import Testing
@testable import OOMLab
@testable import OOMLabKernel
@testable import OOMLabTUI

@Suite("Teaching in the TUI: the caption, auto-pause, notes, a lesson")
struct TeachingTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let presets = PresetLibrary(directories: [root.appendingPathComponent("presets").path])

    /// Runs as the main loop does, a slice at a time, until running stops.
    static func runUntilPaused(_ state: inout AppState, limit: Int = 5000) {
        var steps = 0
        while state.running && steps < limit { steps += state.advance(10) }
    }

    @Test("the caption shows the cue in effect, whole and wrapped, until the next one")
    func caption() {
        let cues = Scenario.defaultScenario.cues
        var state = Snap.state(ticks: cues[1].tick)
        var text = MainView.render(state, width: 80, height: 24).text
        let words = cues[1].text.split(separator: " ")
        // Every word of the cue is on screen (wrapped, so look word by word).
        #expect(words.allSatisfy { text.contains($0) }, "\(text)")
        #expect(text.contains("cue 2/\(cues.count)"))
        state.run.seek(to: cues[2].tick - 1)
        text = MainView.render(state, width: 80, height: 24).text
        #expect(text.contains("cue 2/\(cues.count)"), "the cue stays until the next one")
        state.run.seek(to: cues[2].tick)
        #expect(MainView.render(state, width: 80, height: 24).text.contains("cue 3/\(cues.count)"))
    }

    @Test("with auto-pause at kills, running stops at the first OOM kill and the status line says why")
    func autoPauseAtKill() {
        var state = AppState(scenario: .defaultScenario)
        Snap.press(&state, [.char("z"), .char("z")])   // off -> all -> kills
        #expect(state.autoPause == .kills)
        Snap.press(&state, [.char("p")])
        Self.runUntilPaused(&state)
        #expect(!state.running)
        #expect(state.kernel.tick == Snap.firstKillTick)
        let status = MainView.render(state, width: 100, height: 30).text
        #expect(status.contains("auto-pause at tick \(Snap.firstKillTick) (2.12 s): the OOM killer killed postgres[1337]"), "\(status)")
    }

    @Test("i shows the notes: description, the header's paragraphs, the switches expect_with checks")
    func notes() {
        var state = AppState(scenario: .defaultScenario)
        Snap.press(&state, [.char("i")])
        #expect(state.mode == .notes)
        let text = MainView.render(state, width: 100, height: 30).text
        #expect(text.contains("Notes: xfs-kmem-alloc-loop"))
        #expect(text.contains("What it shows"))
        let all = NotesView.lines(state, width: 96).map(\.0).joined(separator: "\n")
        #expect(all.contains("Watch for"))
        #expect(all.contains("--set oom_reaper=on: verdict recovered"))
        Snap.press(&state, [.escape])
        #expect(state.mode == .main)
    }

    @Test("a lesson: the question comes first, the run reveals the answer, } to the score")
    func lesson() throws {
        let lesson = try LessonLoader.parse(yaml: """
            title: two steps
            steps:
              - text: Who dies?
                scenario: xfs-kmem-alloc-loop
                pause_at: [kills]
                question: {ask: victim, choices: [journald, postgres]}
              - text: Just watch.
                scenario: simple-leak
            """, file: "t.yaml", presets: Self.presets)
        var state = AppState(scenario: .defaultScenario)
        state.startLesson(lesson)
        #expect(MainView.render(state, width: 80, height: 24).text.contains("Q: Which task will the OOM killer pick first?"))
        // Running before answering stops short of the answer.
        Snap.press(&state, [.char("p")])
        Self.runUntilPaused(&state)
        #expect(state.kernel.tick == 211)
        #expect(state.message?.text.hasPrefix("answer the question first") == true)
        Snap.press(&state, [.char("2")])
        Snap.press(&state, [.char("p")])
        Self.runUntilPaused(&state)
        #expect(state.kernel.tick == 212, "the step pauses at the kill")
        let revealed = MainView.render(state, width: 80, height: 24).text
        #expect(revealed.contains("Answer: postgres (right): the OOM killer chose postgres[1337]"), "\(revealed)")
        Snap.press(&state, [.char("}")])
        #expect(state.lesson?.index == 1)
        #expect(state.run.scenario.name == "simple-leak")
        Snap.press(&state, [.char("}")])
        #expect(state.lesson?.finished == true)
        #expect(MainView.render(state, width: 80, height: 24).text.contains("Lesson done: 1 of 1 answered right"))
        Snap.press(&state, [.char("{")])
        #expect(state.lesson?.finished == false)
    }

    @Test("before the answer, no move shows it: ], g and a long n stop at the tick before the kill")
    func questionHoldsEveryMove() throws {
        let lesson = try LessonLoader.parse(yaml: """
            title: one step
            steps:
              - text: Who dies?
                scenario: xfs-kmem-alloc-loop
                question: {ask: victim, choices: [journald, postgres]}
            """, file: "t.yaml", presets: Self.presets)
        var state = AppState(scenario: .defaultScenario)
        state.startLesson(lesson)
        #expect(state.questionLimit == 211, "the kill that answers is at tick 212")
        // ] goes from marker to marker (the preset's cues) and stops at 211, never at the kill.
        var ticks: [Int] = []
        for _ in 0..<20 where state.message?.text.hasPrefix("answer the question first") != true {
            Snap.press(&state, [.char("]")])
            ticks.append(state.kernel.tick)
        }
        #expect(ticks.allSatisfy { $0 <= 211 }, "\(ticks)")
        #expect(state.kernel.tick == 211)
        #expect(state.message?.text.hasPrefix("answer the question first") == true)
        #expect(state.run.frontier <= 211, "nothing past the answer was computed")
        // g to a tick past the kill stops short too.
        Snap.press(&state, [.char("g"), .char("9"), .char("0"), .char("0"), .enter])
        #expect(state.kernel.tick == 211)
        // A long n (sliced) stops at the same place.
        Snap.press(&state, [.char("R")])
        Snap.press(&state, [.char("n"), .char("5"), .char("0"), .char("0"), .char("0"), .enter])
        while state.goal != nil { state.continueGoal(1000) }
        #expect(state.kernel.tick == 211)
        #expect(state.message?.text.hasPrefix("answer the question first") == true)
        // Answered: the moves go on past it.
        Snap.press(&state, [.char("2")])
        Snap.press(&state, [.char("g"), .char("9"), .char("0"), .char("0"), .enter])
        #expect(state.kernel.tick == 900)
    }
}
