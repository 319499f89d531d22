import OOMLab
import OOMLabKernel

/// Help: every key of every mode, generated from the key table.
enum HelpView {
    static func lines() -> [(text: String, style: Style)] {
        var out: [(String, Style)] = []
        var groups: [String] = []
        for b in KeyTable.bindings where !groups.contains(b.group) { groups.append(b.group) }
        for group in groups {
            out.append((group, .focusedTitle))
            for b in KeyTable.bindings where b.group == group {
                let modes = b.modes == [.main] ? "" : " [" + b.modes.map(\.rawValue).joined(separator: ", ") + "]"
                out.append(("  " + Format.left(KeyTable.keyNames(b), 22) + " " + b.help + modes, .normal))
            }
        }
        out.append(("Task flags", .focusedTitle))
        out.append(("  *  OOM victim (TIF_MEMDIE)   +  SIGKILL pending   !  uninterruptible (D) wait", .normal))
        out.append(("  S column: R running, S sleeping, D blocked, X exiting, Z exited, N not started", .normal))
        return out
    }

    static func draw(scroll: Int, in r: Rect, on s: inout Screen, keyBar: Rect) {
        let box = Rect(x: r.x, y: r.y, width: r.width, height: keyBar.y)
        s.box(box, title: "Help: every key (from the key table)")
        let all = lines()
        let rows = box.height - 2
        let first = clamp(scroll, 0, Swift.max(0, all.count - rows))
        for (n, line) in all.dropFirst(first).prefix(rows).enumerated() {
            s.write(box.x + 2, box.y + 1 + n, line.text, line.style, limit: box.width - 4)
        }
        s.fill(keyBar, " ")
        KeyBarView.draw(.help, in: keyBar, on: &s)
    }
}

/// Explain: the selected task's wait chain in plain words, link by link.
enum ExplainView {
    static func draw(_ k: Kernel, pid: Int, scroll: Int, on s: inout Screen, keyBar: Rect) {
        let width = Swift.min(s.width - 4, 110)
        let chain = k.waitChain(pid: pid)
        var lines: [(String, Style)] = []
        let arrow = s.glyphs.unicode ? "↳ " : "-> "
        for (i, link) in chain.enumerated() {
            let prefix = i == 0 ? "" : String(repeating: " ", count: Swift.min(i, 8)) + arrow
            let wrapped = wrap(link, width: width - 4 - prefix.count)
            for (j, w) in wrapped.enumerated() {
                lines.append(((j == 0 ? prefix : String(repeating: " ", count: prefix.count)) + w,
                              i == 0 ? .title : (i == chain.count - 1 ? .logOOMLab : .normal)))
            }
        }
        if let t = k.task(pid: pid) {
            lines.append(("", .normal))
            lines.append(("now: " + k.activity(of: t), .dim))
        }
        let height = Swift.min(lines.count + 2, keyBar.y - 2)
        let box = Rect(x: (s.width - width) / 2, y: Swift.max(1, (keyBar.y - height) / 2), width: width, height: height)
        s.box(box, title: "Why is pid \(pid) stuck? (wait chain)")
        s.scrolledLines(lines, scroll: scroll, in: box)
        s.fill(keyBar, " ")
        KeyBarView.draw(.explain, in: keyBar, on: &s)
    }
}

extension Screen {
    /// Lines inside a box, from line `scroll` (clamped so the last page stays full).
    mutating func scrolledLines(_ lines: [(String, Style)], scroll: Int, in box: Rect) {
        let rows = box.height - 2
        let first = clamp(scroll, 0, Swift.max(0, lines.count - rows))
        for (n, line) in lines.dropFirst(first).prefix(rows).enumerated() {
            write(box.x + 2, box.y + 1 + n, line.0, line.1, limit: box.width - 4)
        }
    }
}

/// A form in a box: one row per field, the focused one highlighted, the
/// error (if any) and a hint for the focused field.
enum FormView {
    static func draw(_ form: Form, on s: inout Screen, keyBar: Rect) {
        let labelW = (form.fields.map(\.label.count).max() ?? 4) + 1
        let width = Swift.min(s.width - 4, 76)
        var extra: [String] = []
        if form.purpose == .addTask, let t = TaskTemplate(rawValue: form.value("kind")) { extra.append(t.summary) }
        let height = form.fields.count + 6 + extra.count
        let box = Rect(x: (s.width - width) / 2, y: Swift.max(1, (keyBar.y - height) / 2), width: width, height: height)
        s.box(box, title: form.title)
        var y = box.y + 2
        let valueX = box.x + 3 + labelW + 1
        let valueW = box.maxX - valueX - 2
        for (i, field) in form.fields.enumerated() {
            let focused = i == form.focus
            s.write(box.x + 3, y, Format.right(field.label, labelW), focused ? .title : .normal)
            var shown = field.value
            if case .choice = field.kind { shown = (s.glyphs.unicode ? "◂ " : "< ") + shown + (s.glyphs.unicode ? " ▸" : " >") }
            else if focused { shown += "_" }
            s.fill(Rect(x: valueX, y: y, width: Swift.min(valueW, 34), height: 1), " ", focused ? .fieldFocused : .field)
            s.write(valueX, y, shown, focused ? .fieldFocused : .field, limit: valueW)
            y += 1
        }
        y += 1
        for line in extra {
            s.write(box.x + 3, y, line, .dim, limit: box.width - 6)
            y += 1
        }
        if let error = form.error {
            s.write(box.x + 3, y, error, .error, limit: box.width - 6)
        } else {
            let hint = form.fields[form.focus].hint
            s.write(box.x + 3, y, hint.isEmpty ? "Enter accepts, Esc cancels" : hint, .dim, limit: box.width - 6)
        }
        s.fill(keyBar, " ")
        KeyBarView.draw(.form, in: keyBar, on: &s)
    }
}

/// The open dialog's list, the overwrite question and the step-count prompt.
enum PickerView {
    static func draw(_ p: AppState.Picker, on s: inout Screen, keyBar: Rect) {
        let width = Swift.min(s.width - 4, 100)
        let entries = p.visible
        // The box keeps its size while the filter narrows the list.
        let rows = Swift.max(1, Swift.min(p.entries.count, keyBar.y - 6))
        let box = Rect(x: (s.width - width) / 2, y: 2, width: width, height: rows + 4)
        s.box(box, title: p.title)
        if let filter = p.filter {
            let x = s.write(box.x + 2, box.y + 1, "/ ", .title)
            let after = s.write(x, box.y + 1, filter + "_", .fieldFocused, limit: box.width - 30)
            s.write(after + 2, box.y + 1, "\(entries.count) of \(p.entries.count)", .normal, limit: box.maxX - after - 4)
        }
        if entries.isEmpty {
            s.write(box.x + 2, box.y + 2, "nothing matches; Backspace or Esc changes the filter", .normal, limit: box.width - 4)
        }
        let first = clamp(p.selected - rows + 1, 0, Swift.max(0, entries.count - rows))
        for (n, e) in entries.dropFirst(first).prefix(rows).enumerated() {
            let y = box.y + 2 + n
            let x = s.write(box.x + 2, y, Format.left(e.label, 28), .title, limit: box.width - 4)
            s.write(x + 1, y, e.detail, .dim, limit: box.maxX - x - 3)
            if first + n == p.selected { s.restyle(Rect(x: box.x + 1, y: y, width: box.width - 2, height: 1), .selected) }
        }
        s.fill(keyBar, " ")
        KeyBarView.draw(.picker, in: keyBar, on: &s)
    }

    static func drawConfirm(_ c: AppState.Confirm, on s: inout Screen, keyBar: Rect) {
        let width = Swift.min(s.width - 4, Swift.max(40, c.question.count + 14))
        let box = Rect(x: (s.width - width) / 2, y: keyBar.y / 2 - 2, width: width, height: 5)
        s.box(box, title: "Overwrite?")
        s.write(box.x + 3, box.y + 2, c.question + " (y/n)", .title, limit: box.width - 6)
        s.fill(keyBar, " ")
        KeyBarView.draw(.confirm, in: keyBar, on: &s)
    }

    static func drawCount(_ text: String, on s: inout Screen, keyBar: Rect) {
        let width = 44
        let box = Rect(x: (s.width - width) / 2, y: keyBar.y / 2 - 2, width: width, height: 5)
        s.box(box, title: "Step N ticks")
        let x = s.write(box.x + 3, box.y + 2, "ticks to step: ", .normal)
        s.write(x, box.y + 2, text + "_", .fieldFocused)
        s.fill(keyBar, " ")
        KeyBarView.draw(.count, in: keyBar, on: &s)
    }
}
