import OOMLab
import OOMLabKernel

/// The caption area above the log: the narration cue in effect (it stays
/// until the next one), wrapped in full; in a lesson, the step's text, its
/// question and, once the run has shown it, the answer; at a lesson's end,
/// the score. Shown only for scenarios with cues and for lessons.
enum CaptionView {
    static func shows(_ state: AppState) -> Bool {
        state.fork == nil && (state.lesson != nil || !state.kernel.cues.isEmpty)
    }

    static func draw(_ state: AppState, in r: Rect, on s: inout Screen) {
        s.fill(r, " ")
        var lines = state.lesson.map { lessonLines($0, state: state, width: r.width - 2, rows: r.height) } ?? cueLines(state, width: r.width - 2)
        var r = r
        if lines.count < r.height {
            // Room to spare: a title rule sets the caption apart from the tasks.
            s.titleBar(Rect(x: r.x, y: r.y, width: r.width, height: 1),
                       state.lesson.map { "Lesson: " + $0.lesson.title } ?? "Narration", focused: false)
            r = r.dropTop(1)
            lines = state.lesson.map { lessonLines($0, state: state, width: r.width - 2, rows: r.height) } ?? lines
        }
        var shown = Array(lines.prefix(r.height))
        if lines.count > r.height, let last = shown.popLast() {
            // Not all of it fits: say where the rest is.
            let more = s.glyphs.unicode ? " … (i: all of it)" : " ... (i: all of it)"
            shown.append((String(last.text.prefix(Swift.max(0, r.width - 2 - more.count))) + more, last.style))
        }
        for (n, line) in shown.enumerated() {
            s.write(r.x + 1, r.y + n, line.text, line.style, limit: r.width - 2)
        }
    }

    typealias Line = (text: String, style: Style)

    /// "» cue text" wrapped, or a dim line saying when the first cue comes.
    static func cueLines(_ state: AppState, width: Int) -> [Line] {
        let cues = state.kernel.cues
        guard let (i, cue) = state.currentCue else {
            let first = cues.first.map { "; the first at \(Format.seconds(ms: Units.ms(ticks: $0.tick)))" } ?? ""
            return wrap("\(cues.count) cues in this scenario, shown here as the run reaches them\(first).", width: width).map { ($0, .dim) }
        }
        let head = "cue \(i + 1)/\(cues.count) \(Format.seconds(ms: Units.ms(ticks: cue.tick))): "
            + (cue.tick >= (state.kernel.firstUserActionTick ?? Int.max) ? state.kernel.cueCaveat : "")
        return wrap(head + cue.text, width: width).map { ($0, .title) }
    }

    static func lessonLines(_ l: AppState.LessonState, state: AppState, width: Int, rows: Int) -> [Line] {
        let steps = l.lesson.steps.count
        if l.finished {
            let s = l.score
            var marks: [String] = []
            for i in 0..<steps where l.lesson.steps[i].question != nil {
                let mark = l.picked[i].map { $0 == l.answers[i]?.index ? "right" : "wrong" } ?? "not answered"
                marks.append("step \(i + 1): \(mark)")
            }
            return wrap("Lesson done: \(s.right) of \(s.asked) answered right (\(l.lesson.title)). " + marks.joined(separator: ", "),
                        width: width).map { ($0, .good) }
        }
        var out: [Line] = []
        let step = l.step
        if let q = step.question, let answer = l.answers[l.index] {
            let choices = q.choices.enumerated().map { "\($0 + 1) \($1)" }.joined(separator: "  ")
            if let pick = l.picked[l.index] {
                if state.kernel.tick >= answer.tick {
                    let verdict = pick == answer.index ? "right" : "wrong (you said \(q.choices[pick]))"
                    out += wrap("Answer: \(answer.choice) (\(verdict)): \(answer.why)", width: width).map { ($0, pick == answer.index ? .good : .error) }
                } else {
                    out += wrap("Q: \(q.text) You said \(q.choices[pick]); run on to see (p).", width: width).map { ($0, .keyName) }
                }
            } else {
                out += wrap("Q: \(q.text)  \(choices)  (press 1-\(q.choices.count))", width: width).map { ($0, .keyName) }
            }
        }
        let text = wrap("Step \(l.index + 1)/\(steps): " + step.text, width: width).map { ($0, Style.title) }
        // The question first when both do not fit: it is what the class acts on.
        return text.count + out.count <= rows ? text + out : out + text
    }
}
