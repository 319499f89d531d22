import OOMLab
import OOMLabKernel

/// The dialogs of time travel: the `g` prompt, the unsaved-actions question
/// (save, discard, cancel) and, closing a fork, which side to keep.
enum TimeDialogs {
    static func drawGoTo(_ text: String, position: Int, on s: inout Screen, keyBar: Rect) {
        let width = 52
        let box = Rect(x: (s.width - width) / 2, y: keyBar.y / 2 - 2, width: width, height: 6)
        s.box(box, title: "Go to (now at tick \(position))")
        let x = s.write(box.x + 3, box.y + 2, "tick or time: ", .normal)
        s.write(x, box.y + 2, text + "_", .fieldFocused)
        s.write(box.x + 3, box.y + 3, "800 is a tick; 7.5s or 750ms is a time", .dim, limit: box.width - 6)
        s.fill(keyBar, " ")
        KeyBarView.draw(.goTo, in: keyBar, on: &s)
    }

    static func drawUnsaved(_ question: String, then next: AppState.AfterUnsaved, on s: inout Screen, keyBar: Rect) {
        let doing: String
        switch next {
        case .quit: doing = "Quitting drops them."
        case .open: doing = "Opening another file drops them."
        case .reset: doing = "Going back to the scenario as loaded drops them."
        }
        drawBox("Unsaved actions", [(question, .title), (doing, .normal),
                                    ("s saves the session first, d discards them, Esc cancels.", .normal)],
                mode: .unsaved, on: &s, keyBar: keyBar)
    }

    static func drawKeepSide(_ f: ForkState, on s: inout Screen, keyBar: Rect) {
        drawBox("Close the fork: keep which side?",
                [("l keeps the left side (the timeline you forked from)", .normal),
                 ("r keeps the right side (\(f.change) at tick \(f.tick))", .normal),
                 ("the other side is closed; Esc keeps both", .dim)],
                mode: .keepSide, on: &s, keyBar: keyBar)
    }

    /// A centred box of lines, and the mode's key bar.
    static func drawBox(_ title: String, _ lines: [(text: String, style: Style)], mode: Mode, on s: inout Screen, keyBar: Rect) {
        let width = Swift.min(s.width - 4, Swift.max(title.count + 8, (lines.map(\.text.count).max() ?? 40) + 6))
        let box = Rect(x: (s.width - width) / 2, y: keyBar.y / 2 - 2, width: width, height: lines.count + 4)
        s.box(box, title: title)
        for (i, line) in lines.enumerated() {
            s.write(box.x + 3, box.y + 2 + i, line.text, line.style, limit: box.width - 6)
        }
        s.fill(keyBar, " ")
        KeyBarView.draw(mode, in: keyBar, on: &s)
    }
}
