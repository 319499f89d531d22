import OOMLab
import OOMLabKernel

/// Teaching: the narration cue on screen, auto-pause (`z`), a preset's notes
/// (`i`) and lessons (`{` `}` between steps, 1-9 to answer a question).
extension AppState {
    /// A lesson being taught: which step, and what the class answered.
    struct LessonState: Equatable, Sendable {
        var lesson: Lesson
        var index = 0
        /// The choice picked at each step (by step index).
        var picked: [Int: Int] = [:]
        /// The simulator's answer of each step with a question, computed on entry.
        var answers: [Int: LessonAnswer] = [:]
        /// Past the last step: the score is on screen.
        var finished = false

        var step: Lesson.Step { lesson.steps[index] }

        /// Questions answered right, out of those asked so far.
        var score: (right: Int, asked: Int) {
            var right = 0
            for (i, pick) in picked where answers[i]?.index == pick { right += 1 }
            return (right, picked.count)
        }
    }

    /// The auto-pause settings `z` steps through, in order.
    static let autoPauseCycle: [AutoPause] = [[], .all, .kills, .cues, .verdicts]

    /// The narration cue in effect: the last one at or before the position.
    var currentCue: (index: Int, cue: Cue)? {
        let cues = kernel.cues
        guard let i = cues.lastIndex(where: { $0.tick <= kernel.tick }) else { return nil }
        return (i, cues[i])
    }

    /// What stops a run besides the scenario's end: the user's `z` setting
    /// and the lesson step's own.
    var effectiveAutoPause: AutoPause { autoPause.union(lesson?.step.autoPause ?? []) }

    mutating func cycleAutoPause() {
        let i = AppState.autoPauseCycle.firstIndex(of: autoPause) ?? 0
        autoPause = AppState.autoPauseCycle[(i + 1) % AppState.autoPauseCycle.count]
        message = Message(text: autoPause.isEmpty ? "auto-pause off (z: cues, kills, verdicts)"
                          : "auto-pause at \(autoPause.words): running stops there and says why (z changes it)", isError: false)
    }

    /// Checked after each tick while running: stops at a lesson's pause tick
    /// or at an auto-pause moment. Returns true if running stopped.
    mutating func teachingStop(verdictBefore: Verdict.Kind) -> Bool {
        let tick = kernel.tick
        if let l = lesson, !l.finished, l.step.pauseTicks.contains(tick) {
            pause(because: "the lesson stops here, at tick \(tick) (\(Format.seconds(ms: kernel.timeMs))); p runs on")
            return true
        }
        let pauses = effectiveAutoPause
        guard !pauses.isEmpty,
              let why = pauses.reason(markers: run.detectedMarkers(at: tick), verdictBefore: verdictBefore, kernel: kernel)
        else { return false }
        pause(because: "auto-pause at tick \(tick) (\(Format.seconds(ms: kernel.timeMs))): \(why); p runs on")
        return true
    }

    /// While a step's question is unanswered, the run may not reach the
    /// tick that reveals its answer: true if the next tick would.
    var questionBlocksStep: Bool {
        guard let limit = questionLimit else { return false }
        return kernel.tick + 1 > limit
    }

    /// The last tick the run may show while the step's question is
    /// unanswered (the tick before the one that reveals the answer), or nil.
    /// Every move obeys it: stepping, running, `n`, `g` and `]`.
    var questionLimit: Int? {
        guard let l = lesson, !l.finished, l.step.question != nil, l.picked[l.index] == nil,
              let answer = l.answers[l.index] else { return nil }
        return Swift.max(0, answer.tick - 1)
    }

    /// Stops, asking for the question's answer first.
    mutating func askFirst() {
        running = false
        untilEvent = false
        let n = lesson?.step.question?.choices.count ?? 1
        message = Message(text: "answer the question first (keys 1-\(n)): the next tick would show the answer", isError: true)
    }

    // MARK: Lessons

    /// Starts teaching `lesson` at its first step.
    mutating func startLesson(_ lesson: Lesson) {
        self.lesson = LessonState(lesson: lesson)
        enterStep(0)
    }

    /// Opens step `i`: its scenario with its actions, at tick 0, paused.
    mutating func enterStep(_ i: Int) {
        guard var l = lesson, l.lesson.steps.indices.contains(i) else { return }
        l.index = i
        l.finished = false
        let step = l.lesson.steps[i]
        if let q = step.question, l.answers[i] == nil { l.answers[i] = q.answer(for: step.session) }
        lesson = l
        do {
            replaceRun(with: try Run(session: step.session), path: step.scenarioPath)
        } catch {
            return fail("step \(i + 1) does not replay: \(error)")
        }
        let ask = step.question.map { q in " Answer first: keys 1-\(q.choices.count)." } ?? ""
        message = Message(text: "lesson step \(i + 1) of \(l.lesson.steps.count): \(step.scenarioName).\(ask) } next step, { previous",
                          isError: false)
    }

    mutating func nextStep() {
        guard var l = lesson else { return fail("no lesson is open (oomlab tui --lesson NAME, or o)") }
        if l.index + 1 < l.lesson.steps.count { return enterStep(l.index + 1) }
        l.finished = true
        lesson = l
        running = false
        let s = l.score
        message = Message(text: "lesson done: \(s.right) of \(s.asked) answered right; { goes back a step, q quits", isError: false)
    }

    mutating func previousStep() {
        guard let l = lesson else { return fail("no lesson is open (oomlab tui --lesson NAME, or o)") }
        if l.finished { return enterStep(l.index) }
        guard l.index > 0 else { return fail("this is the lesson's first step") }
        enterStep(l.index - 1)
    }

    /// The class picks choice `n` (1-based) of the step's question.
    mutating func answer(_ n: Int) {
        guard var l = lesson, !l.finished, let q = l.step.question else {
            return fail("there is no question to answer here")
        }
        guard (1...q.choices.count).contains(n) else { return fail("choose 1 to \(q.choices.count)") }
        guard l.picked[l.index] == nil else { return fail("already answered: \(q.choices[l.picked[l.index] ?? 0]); run to see") }
        l.picked[l.index] = n - 1
        lesson = l
        message = Message(text: "you said \(q.choices[n - 1]); now run (p) and see", isError: false)
    }
}
