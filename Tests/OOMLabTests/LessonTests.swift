import Foundation
import Testing
@testable import OOMLab
@testable import OOMLabKernel

@Suite("Lessons: the loader's errors, computed answers, the shipped lessons")
struct LessonTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let presets = PresetLibrary(directories: [root.appendingPathComponent("presets").path])
    static let lessonsFolder = root.appendingPathComponent("lessons").path
    static let shipped: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: lessonsFolder)) ?? [])
        .filter { $0.hasSuffix(".yaml") }.sorted()

    static func parse(_ yaml: String) throws -> Lesson {
        try LessonLoader.parse(yaml: yaml, file: "l.yaml", presets: presets)
    }

    static func error(_ yaml: String) -> String {
        do {
            _ = try parse(yaml)
            return "no error"
        } catch {
            return String(describing: error)
        }
    }

    @Test("the shipped lessons: at least three, each loads")
    func shippedLoad() throws {
        #expect(Self.shipped.count >= 3)
        for file in Self.shipped {
            let lesson = try LessonLoader.load(path: Self.lessonsFolder + "/" + file, presets: Self.presets)
            #expect(!lesson.steps.isEmpty, "\(file)")
        }
    }

    @Test("every shipped question's computed answer is one of its choices, and agrees with a plain run")
    func shippedAnswers() throws {
        for file in Self.shipped {
            let lesson = try LessonLoader.load(path: Self.lessonsFolder + "/" + file, presets: Self.presets)
            for (i, step) in lesson.steps.enumerated() {
                guard let q = step.question else { continue }
                let a = q.answer(for: step.session)
                #expect(a.index != nil, "\(file) step \(i + 1): the simulator says \(a.choice), not a choice: \(q.choices)")
                // The same question asked of an independent run to the end.
                var run = try Run(session: step.session)
                run.seek(to: step.session.scenario.ticks)
                switch q.kind {
                case .victim: #expect(a.choice == (run.kernel.oomKills.first?.name ?? "nobody"), "\(file) step \(i + 1)")
                case .verdict: #expect(a.choice == run.kernel.verdict.kind.rawValue, "\(file) step \(i + 1)")
                case .recovers:
                    #expect(a.choice == ([.ok, .recovered].contains(run.kernel.verdict.kind) ? "yes" : "no"), "\(file) step \(i + 1)")
                }
            }
        }
    }

    @Test("answers come from the simulation: the same step with the reaper on changes its answer")
    func answerFollowsTheRun() throws {
        let base = """
            title: t
            steps:
              - text: stall
                scenario: xfs-kmem-alloc-loop
                question: {ask: recovers}
              - text: reaper
                scenario: xfs-kmem-alloc-loop
                actions:
                  - {tick: 300, set: {oom_reaper: on}}
                question: {ask: verdict, choices: [stall, recovered]}
              - text: victim
                scenario: xfs-kmem-alloc-loop
                pause_at: [212, kills]
                question: {ask: victim, choices: [journald, postgres]}
            """
        let lesson = try Self.parse(base)
        let answers = lesson.steps.map { $0.question!.answer(for: $0.session) }
        #expect(answers[0].choice == "no")
        #expect(answers[0].tick == 3000)
        #expect(answers[1].choice == "recovered")
        #expect(answers[1].index == 1)
        #expect(answers[2].choice == "postgres")
        #expect(answers[2].tick == 212)
        #expect(answers[2].why == "the OOM killer chose postgres[1337] with 38476 points (invoked by journald)")
        #expect(lesson.steps[2].pauseTicks == [212])
        #expect(lesson.steps[2].autoPause == .kills)
        #expect(lesson.steps[1].session.timeline.entries.count == 1)
    }

    @Test("a victim question where nobody is killed answers 'nobody'")
    func nobody() throws {
        let lesson = try Self.parse("""
            title: t
            steps:
              - text: no kill
                scenario: dirty-writeback-storm
                question: {ask: victim, choices: [dd, make, nobody]}
            """)
        let a = lesson.steps[0].question!.answer(for: lesson.steps[0].session)
        #expect(a.choice == "nobody")
        #expect(a.index == 2)
    }

    static let presetsFolder = presets.directories[0]

    @Test("loader errors are located and say what to do", arguments: [
        ("title: t\nsteps: []\n", "l.yaml:2:8: error: a lesson needs at least one step under 'steps'"),
        ("title: t\nstep: []\n", "l.yaml:2:1: error: unknown key 'step' in the lesson; did you mean 'steps'?"),
        ("steps:\n  - {text: a, scenario: simple-leak}\n", "l.yaml:1:1: error: missing key 'title' in the lesson"),
        ("title: t\nsteps:\n  - {text: a, scenario: simple-lek}\n",
         "l.yaml:3:25: error: scenario 'simple-lek' does not load: no preset named 'simple-lek' (looked in \(LessonTests.presetsFolder)); did you mean 'simple-leak'?"),
        ("title: t\nsteps:\n  - {text: a, scenario: simple-leak, pause_at: [kils]}\n",
         "l.yaml:3:49: error: bad duration 'kils' for 'pause_at': expected ticks, or a number with ms, s, min or h; or one of cues, kills or verdicts"),
        ("title: t\nsteps:\n  - {text: a, scenario: simple-leak, pause_at: 99999}\n",
         "l.yaml:3:48: error: pause_at 99999 is past the end of the run (ticks: 2000); raise ticks or move it"),
        ("title: t\nsteps:\n  - text: a\n    scenario: simple-leak\n    question: {ask: victim, choices: [leaky, lekay]}\n",
         "l.yaml:5:46: error: choice 'lekay' is not a task of scenario 'simple-leak' or 'nobody'; did you mean 'leaky'?"),
        ("title: t\nsteps:\n  - text: a\n    scenario: simple-leak\n    question: {ask: victim}\n",
         "l.yaml:5:15: error: missing key 'choices' in question (the answers the class picks from)"),
        ("title: t\nsteps:\n  - text: a\n    scenario: simple-leak\n    question: {ask: victom, choices: [a, b]}\n",
         "l.yaml:5:21: error: bad value 'victom' for 'ask': expected victim, verdict or recovers; did you mean 'victim'?"),
        ("title: t\nsteps:\n  - text: a\n    scenario: simple-leak\n    question: {ask: verdict, choices: [stall]}\n",
         "l.yaml:5:39: error: a question needs 2 to 9 choices, found 1"),
        ("title: t\nsteps:\n  - text: a\n    scenario: simple-leak\n    question: {ask: recovers, choices: [yes, yes]}\n",
         "l.yaml:5:46: error: choice 'yes' is listed twice"),
        ("title: t\nsteps:\n  - text: a\n    scenario: simple-leak\n    actions:\n      - {tick: 5, kill: 99}\n",
         "no task 99"),
    ])
    func loaderErrors(yaml: String, expected: String) {
        let message = Self.error(yaml)
        if expected == "no task 99" {
            #expect(message.contains("99"), "\(message)")   // the replay's own wording, from Run
        } else {
            #expect(message == expected)
        }
    }

    @Test("auto-pause words: --pause-at parses lists, all and none, and refuses unknown words")
    func autoPauseWords() {
        #expect(AutoPause(words: "cues,kills") == [.cues, .kills])
        #expect(AutoPause(words: "all") == .all)
        #expect(AutoPause(words: "none") == [])
        #expect(AutoPause(words: "kills, verdicts") == [.kills, .verdicts])
        #expect(AutoPause(words: "kils") == nil)
        #expect(AutoPause.all.words == "cues,kills,verdicts")
    }

    @Test("auto-pause names the OOM kill at its tick, and nothing the tick before")
    func autoPauseReason() throws {
        var run = try Run(scenario: .defaultScenario)
        var reason: String?
        while reason == nil && run.position < 3000 {
            let before = run.kernel.verdict.kind
            run.step()
            reason = AutoPause.kills.reason(markers: run.detectedMarkers(at: run.position), verdictBefore: before, kernel: run.kernel)
        }
        #expect(run.position == run.kernel.oomKills.first?.tick)
        #expect(reason == "the OOM killer killed postgres[1337]")
    }

    @Test("notes come from a file's header comment, as paragraphs with their headings")
    func notes() throws {
        let notes = ScenarioNotes(yaml: Scenario.defaultYAML)
        #expect(notes.summary == "the TIF_MEMDIE stall of February 2015.")
        #expect(notes.paragraphs.map(\.heading) == ["What it shows", "History", "Why order 4", "Watch for"])
        #expect(notes.paragraphs[0].lines[0].hasPrefix("A filesystem transaction holds a lock"))
        // The quoted log line keeps its own line.
        #expect(notes.paragraphs[2].lines.contains("  XFS: possible memory allocation deadlock in kmem_alloc (mode:0x250)"))
        #expect(ScenarioNotes(yaml: "name: x\n").isEmpty)
    }
}
