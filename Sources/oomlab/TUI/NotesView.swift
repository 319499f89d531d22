import OOMLab
import OOMLabKernel

/// `i`: the scenario's notes in a box: its description, its header
/// comment's paragraphs (what it shows, history, what to watch, what to
/// try) and the switches its `expect_with` blocks check, with the verdict
/// `oomlab check` verifies for each. In a lesson, the step's text and
/// question come first.
enum NotesView {
    static func lines(_ state: AppState, width: Int) -> [(String, Style)] {
        var out: [(String, Style)] = []
        func para(_ text: String, _ style: Style, indent: String = "") {
            for line in wrap(text, width: width - indent.count) { out.append((indent + line, style)) }
        }
        if let l = state.lesson {
            out.append(("Lesson: \(l.lesson.title), step \(l.index + 1) of \(l.lesson.steps.count)", .focusedTitle))
            if !l.finished {
                para(l.step.text, .normal)
                if let q = l.step.question {
                    para("Q: \(q.text)  " + q.choices.enumerated().map { "\($0 + 1) \($1)" }.joined(separator: "  "), .keyName)
                }
            }
            out.append(("", .normal))
        }
        let scenario = state.run.scenario
        out.append((scenario.name, .focusedTitle))
        if !scenario.description.isEmpty { para(scenario.description, .title) }
        let notes = state.sourcePath.flatMap(ScenarioNotes.load(path:))
            ?? (state.sourcePath == nil && scenario == Scenario.defaultScenario ? ScenarioNotes(yaml: Scenario.defaultYAML) : nil)
        if let notes, !notes.paragraphs.isEmpty {
            for p in notes.paragraphs {
                out.append(("", .normal))
                if !p.heading.isEmpty { out.append((p.heading, .focusedTitle)) }
                for line in p.lines {
                    if line.hasPrefix("  ") { out.append(("  " + line, .dim)) } else { para(line, .normal) }
                }
            }
        } else {
            out.append(("", .normal))
            para("This file has no header comment to show (a saved session keeps none; the preset it came from has them).", .dim)
        }
        if !scenario.expectWith.isEmpty {
            out.append(("", .normal))
            out.append(("Switches to try (each checked by oomlab check)", .focusedTitle))
            for e in scenario.expectWith {
                let set = e.set.map { "\($0.key.rawValue)=\($0.value)" }.joined(separator: " ")
                let said = e.expect.checks.compactMap { c -> String? in
                    switch c.kind {
                    case .verdict(let v): return "verdict \(v.rawValue)"
                    case .killed(let ts): return "kills " + ts.map(\.description).joined(separator: ", ")
                    case .oomKills(let n): return "\(n) OOM kills"
                    default: return nil
                    }
                }
                let verdict = said.isEmpty ? "see the file" : said.joined(separator: ", ")
                para("--set \(set): \(verdict)", .normal, indent: "  ")
            }
        }
        if !scenario.cues.isEmpty {
            out.append(("", .normal))
            out.append(("Narration (\(scenario.cues.count) cues)", .focusedTitle))
            for c in scenario.cues { para("\(Format.seconds(ms: Units.ms(ticks: c.tick))): \(c.text)", .normal, indent: "  ") }
        }
        return out
    }

    static func draw(_ state: AppState, scroll: Int, on s: inout Screen, keyBar: Rect) {
        let width = Swift.min(s.width, 100)
        let box = Rect(x: (s.width - width) / 2, y: 0, width: width, height: keyBar.y)
        s.box(box, title: "Notes: \(state.run.scenario.name) (i or Esc closes)")
        s.scrolledLines(lines(state, width: width - 4), scroll: scroll, in: box)
        s.fill(keyBar, " ")
        KeyBarView.draw(.notes, in: keyBar, on: &s)
    }
}
