import OOMLab

/// The whole screen: the layout of the panels for a terminal size, and the
/// overlays on top. A pure function of the state and the size.
enum MainView {
    static let minWidth = 80
    static let minHeight = 24

    struct Layout: Equatable {
        var header: Rect
        var memory: Rect
        var graph: Rect
        var locks: Rect
        var tasks: Rect
        var log: Rect
        /// The narration cue or lesson step, above the log (nil without either).
        var caption: Rect?
        var status: Rect
        var keyBar: Rect
    }

    /// Rows of the caption area: three at 80x24 (one from the tasks, two
    /// from the log), four from 30 rows up.
    static func captionRows(height h: Int) -> Int { h < 30 ? 3 : 4 }

    static func layout(width w: Int, height h: Int, caption: Bool = false) -> Layout {
        let rest = h - 13
        let graphRows = clamp(rest / 3, 3, 16)
        var taskRows = (rest - graphRows) / 2
        var logRows = rest - graphRows - taskRows
        let captionRows = caption ? captionRows(height: h) : 0
        if caption {
            taskRows -= 1
            logRows -= captionRows - 1
        }
        let locksWidth = clamp(w / 3, 26, 48)
        var y = 0
        let header = Rect(x: 0, y: y, width: w, height: 3); y += 3
        let memory = Rect(x: 0, y: y, width: w, height: 5); y += 5
        let graph = Rect(x: 0, y: y, width: w - locksWidth - 1, height: graphRows)
        let locks = Rect(x: w - locksWidth, y: y, width: locksWidth, height: graphRows); y += graphRows
        let tasks = Rect(x: 0, y: y, width: w, height: taskRows + 2); y += taskRows + 2
        let captionRect = caption ? Rect(x: 0, y: y, width: w, height: captionRows) : nil; y += captionRows
        let log = Rect(x: 0, y: y, width: w, height: logRows + 1); y += logRows + 1
        let status = Rect(x: 0, y: y, width: w, height: 1); y += 1
        let keyBar = Rect(x: 0, y: y, width: w, height: 1)
        return Layout(header: header, memory: memory, graph: graph, locks: locks, tasks: tasks, log: log,
                      caption: captionRect, status: status, keyBar: keyBar)
    }

    /// Renders a frame. `state` is not changed; the log's page size for PgUp
    /// and PgDn is returned through `logRows`.
    static func render(_ state: AppState, width: Int, height: Int) -> Screen {
        var screen = Screen(width: width, height: height)
        screen.glyphs = Glyphs(unicode: state.unicode, color: state.color)
        guard width >= minWidth, height >= minHeight else {
            let text = "terminal too small: need \(minWidth)x\(minHeight), have \(width)x\(height)"
            let lines = text.count <= width ? [text]
                : ["terminal too small:", "need \(minWidth)x\(minHeight), have \(width)x\(height)"].flatMap { wrap($0, width: Swift.max(1, width)) }
            for (i, line) in lines.enumerated() {
                let x = Swift.max(0, (width - line.count) / 2)
                screen.write(x, Swift.max(0, height / 2 - 1) + i, line, .error)
            }
            return screen
        }
        let l = layout(width: width, height: height, caption: CaptionView.shows(state))
        if state.fork != nil {
            ForkView.draw(state, width: width, height: height, on: &screen)
        } else {
            drawPanels(state, l, on: &screen)
        }
        drawOverlay(state, l, on: &screen)
        return screen
    }

    static func drawPanels(_ state: AppState, _ l: Layout, on screen: inout Screen) {
        HeaderView.draw(state, in: l.header, on: &screen)
        MemoryView.draw(state, in: l.memory, on: &screen)
        GraphView.draw(state, in: l.graph, on: &screen)
        if state.kernel.memcg.isEnabled {
            // The right column holds the Cgroups panel, below the locks
            // when there are any and room for both.
            let (locks, cgroups) = splitRight(l.locks, hasLocks: !state.kernel.locks.isEmpty)
            if let locks { LockView.draw(state, in: locks, on: &screen) }
            CgroupView.draw(state, in: cgroups, on: &screen)
        } else {
            LockView.draw(state, in: l.locks, on: &screen)
        }
        TaskListView.draw(state, in: l.tasks, on: &screen)
        LogView.draw(state, in: l.log, on: &screen)
        if let caption = l.caption { CaptionView.draw(state, in: caption, on: &screen) }
        StatusView.draw(state, in: l.status, on: &screen)
        KeyBarView.draw(state.mode, in: l.keyBar, on: &screen)
    }

    static func drawOverlay(_ state: AppState, _ l: Layout, on screen: inout Screen) {
        switch state.overlay {
        case .none: break
        case .help(let scroll): HelpView.draw(scroll: scroll, in: screen.bounds.dropTop(0), on: &screen, keyBar: l.keyBar)
        case .explain(let pid, let scroll): ExplainView.draw(state.kernel, pid: pid, scroll: scroll, on: &screen, keyBar: l.keyBar)
        case .form(let form): FormView.draw(form, on: &screen, keyBar: l.keyBar)
        case .picker(let picker): PickerView.draw(picker, on: &screen, keyBar: l.keyBar)
        case .confirm(let confirm): PickerView.drawConfirm(confirm, on: &screen, keyBar: l.keyBar)
        case .count(let text): PickerView.drawCount(text, on: &screen, keyBar: l.keyBar)
        case .goTo(let text): TimeDialogs.drawGoTo(text, position: state.run.position, on: &screen, keyBar: l.keyBar)
        case .unsaved(let next): TimeDialogs.drawUnsaved(state.unsavedQuestion, then: next, on: &screen, keyBar: l.keyBar)
        case .notes(let scroll): NotesView.draw(state, scroll: scroll, on: &screen, keyBar: l.keyBar)
        case .keepSide:
            if let f = state.fork { TimeDialogs.drawKeepSide(f, on: &screen, keyBar: l.keyBar) }
        case .line(let i):
            if state.logLines.indices.contains(i) { LogLineView.draw(state.logLines[i], on: &screen, keyBar: l.keyBar) }
        }
    }

    /// The locks panel (nil when it has no room) and the Cgroups panel in
    /// the right column: the locks take the top half when there are any
    /// and the column has at least 6 rows.
    static func splitRight(_ r: Rect, hasLocks: Bool) -> (Rect?, Rect) {
        guard hasLocks, r.height >= 6 else { return (nil, r) }
        let top = r.height / 2
        return (Rect(x: r.x, y: r.y, width: r.width, height: top),
                Rect(x: r.x, y: r.y + top, width: r.width, height: r.height - top))
    }

    /// Log rows shown at this size (for paging).
    static func logRows(height: Int, caption: Bool = false) -> Int {
        guard height >= minHeight else { return 1 }
        return layout(width: minWidth, height: height, caption: caption).log.height - 1
    }
}
