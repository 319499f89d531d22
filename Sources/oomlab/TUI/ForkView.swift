import OOMLab
import OOMLabKernel

/// The split screen of a fork: one header row for both, then two panes, the
/// timeline forked from on the left and the fork on the right, each with its
/// verdict, memory bar, tasks and last log lines. The first event where the
/// two logs differ is marked on both sides. At 80x24 the panes are compact;
/// larger terminals get more task and log rows, and dmesg timestamps.
enum ForkView {
    static func draw(_ state: AppState, width: Int, height: Int, on s: inout Screen) {
        guard let f = state.fork, let sides = state.forkSides else { return }
        drawHeader(state, f, width: width, on: &s)
        let paneH = height - 3
        let leftW = (width - 1) / 2
        let left = Rect(x: 0, y: 1, width: leftW, height: paneH)
        let right = Rect(x: leftW + 1, y: 1, width: width - leftW - 1, height: paneH)
        for y in 1..<(1 + paneH) { s.put(leftW, y, s.glyphs.unicode ? "│" : "|", .dim) }
        let diff = AppState.firstDifference(sides.left, sides.right, after: f.tick)
        drawPane(state, sides.left, title: "left: as it was", focused: !f.focusRight, forkTick: f.tick,
                 diff: diff.map { ($0.tick, $0.left, $0.right) }, in: left, on: &s)
        drawPane(state, sides.right, title: "right: \(f.change)", focused: f.focusRight, forkTick: f.tick,
                 diff: diff.map { ($0.tick, $0.right, $0.left) }, in: right, on: &s)
        StatusView.draw(state, in: Rect(x: 0, y: height - 2, width: width, height: 1), on: &s)
        KeyBarView.draw(state.mode, in: Rect(x: 0, y: height - 1, width: width, height: 1), on: &s)
    }

    /// " oomlab  fork at tick 300  t=7.16 s  tick 716 of 3000  ▮▮ paused 100/s"
    static func drawHeader(_ state: AppState, _ f: ForkState, width: Int, on s: inout Screen) {
        let k = state.kernel
        var x = s.write(0, 0, " oomlab ", .focusedTitle)
        x = s.write(x + 1, 0, "fork at tick \(f.tick)" + (width >= 120 ? ": right takes \(f.change)" : ""), .title)
        x = s.write(x + 2, 0, "t=" + Format.seconds(ms: k.timeMs), .normal)
        x = s.write(x + 2, 0, "tick \(k.tick) of \(Swift.max(k.ticksPlanned, state.run.frontier))", .normal)
        if state.run.position < state.run.frontier { x = s.write(x + 1, 0, "rewound", .rewound) }
        x += 2
        if state.running {
            x = s.write(x, 0, s.glyphs.play + (state.untilEvent ? " until event " : " running "), .running)
        } else {
            x = s.write(x, 0, s.glyphs.pause + " paused ", .paused)
        }
        s.write(x, 0, Format.speed(state.speed, achieved: state.running ? state.achievedRate : nil), .normal,
                limit: width - x)
    }

    /// `diff`: the tick where the logs part, this side's event there and the other side's.
    typealias SideDifference = (tick: Int, mine: Event?, theirs: Event?)

    static func drawPane(_ state: AppState, _ run: Run, title: String, focused: Bool, forkTick: Int, diff: SideDifference?,
                         in r: Rect, on s: inout Screen) {
        let k = run.kernel
        s.titleBar(Rect(x: r.x, y: r.y, width: r.width, height: 1), title, right: focused ? "focus (Tab)" : "", focused: focused)
        // The verdict, the longest wording that fits.
        let badge = HeaderView.verdictBadge(k)
        if let text = badge.texts.first(where: { $0.count <= r.width - 2 }) {
            s.write(r.x + 1, r.y + 1, text, badge.style)
        } else {
            s.write(r.x + 1, r.y + 1, "no OOM so far", .dim)
        }
        // Tall panes (40 rows and more) show the policy switches too.
        let switchRows = r.height >= 30 ? 3 : 0
        if switchRows > 0 { HeaderView.drawSwitches(k.policy, in: Rect(x: r.x, y: r.y + 2, width: r.width, height: switchRows), on: &s) }
        drawMemory(k, y: r.y + 2 + switchRows, in: r, on: &s)
        // Tasks, then the log with the difference row, splitting what is left.
        let top = r.y + 4 + switchRows
        let rest = r.maxY - top
        let taskRows = Swift.min(k.tasks.count, Swift.max(2, (rest - 3) / 2))
        let tasks = Rect(x: r.x, y: top, width: r.width, height: taskRows + 1)
        drawTasks(state, k, focused: focused, in: tasks, on: &s)
        let log = Rect(x: r.x, y: tasks.maxY, width: r.width, height: r.maxY - tasks.maxY)
        drawLog(run, forkTick: forkTick, diff: diff, in: log, on: &s)
    }

    /// The stacked bar, then free pages against the watermarks.
    static func drawMemory(_ k: Kernel, y: Int, in r: Rect, on s: inout Screen) {
        let segs = MemoryView.segments(k.memory)
        let counts = MemoryView.cells(for: segs.map(\.pages), width: r.width - 2)
        var x = r.x + 1
        for (seg, n) in zip(segs, counts) {
            for _ in 0..<n {
                s.put(x, y, s.glyphs.blocks ? seg.glyph : seg.asciiGlyph, seg.style)
                x += 1
            }
        }
        let m = k.memory, w = k.watermarks
        let free = "free \(m.free) (\(Format.size(pages: m.free)))"
        let xx = s.write(r.x + 1, y + 1, free, m.free <= w.min ? .watermark : .normal, limit: r.width - 2)
        let marks = ["min \(w.min) low \(w.low) high \(w.high)", "min \(w.min)"].first { xx + 2 + $0.count <= r.maxX - 1 } ?? ""
        s.write(xx + 2, y + 1, marks, .dim, limit: r.maxX - xx - 3)
    }

    static func drawTasks(_ state: AppState, _ k: Kernel, focused: Bool, in r: Rect, on s: inout Screen) {
        s.write(r.x, r.y, "     PID NAME      S    RSS  DOING", .dim, limit: r.width)
        // Live tasks in task list order, then the dead: only the rows shown are gathered.
        var order = TaskOrder(k, sort: .pid)
        let visible = r.height - 1
        guard visible > 0 else { return }
        let selected = focused ? (order.rank(ofPid: state.selectedPid) ?? 0) : 0
        let first = clamp(selected - visible + 1, 0, Swift.max(0, order.count - visible))
        for (n, i) in order.rows(first..<first + visible).enumerated() {
            let t = k.tasks[i]
            let y = r.y + 1 + n
            let style = TaskListView.style(t)
            let line = String(TaskListView.flag(t)) + Format.right(String(t.pid), TaskListView.pidWidth) + " " + Format.left(t.name, 9) + " "
                + t.state.rawValue.prefix(1).uppercased() + " " + Format.right(Format.size(pages: k.mmRSS(at: i)), 6) + "  "
            let x = s.write(r.x, y, line, style, limit: r.width)
            s.write(x, y, k.activity(of: t), t.isAlive ? .normal : .dim, limit: r.maxX - x)
            if focused && t.pid == state.selectedPid { s.restyle(Rect(x: r.x, y: y, width: r.width, height: 1), .selected) }
        }
    }

    /// The title row, the first difference (this side's event there, or
    /// what the other side logged instead), then the last lines, the
    /// differing one marked.
    static func drawLog(_ run: Run, forkTick: Int, diff: SideDifference?, in r: Rect, on s: inout Screen) {
        guard r.height >= 2 else { return }
        let k = run.kernel
        let since = AppState.kernelEvents(run, after: forkTick).count
        s.titleBar(Rect(x: r.x, y: r.y, width: r.width, height: 1), "Log", right: "\(since) since the fork", focused: false)
        let mark = s.glyphs.unicode ? "≠ " : "# "
        if let diff {
            let first = r.width >= 60 ? "first difference, tick \(diff.tick): " : "tick \(diff.tick): "
            let text = first + (diff.mine?.text ?? "nothing logged here")
            s.write(r.x, r.y + 1, mark + text, .difference, limit: r.width)
        } else {
            s.write(r.x, r.y + 1, "no difference in the log since the fork", .dim, limit: r.width)
        }
        let rows = r.height - 2
        guard rows > 0 else { return }
        let lines = k.recentEvents.suffix(rows)
        let wide = r.width >= 100
        for (n, e) in lines.enumerated() {
            let y = r.y + 2 + n
            let text = wide ? e.dmesgLine : Units.seconds(ms: Units.ms(ticks: e.tick)) + " " + e.text
            if let mine = diff?.mine, e == mine {
                let x = s.write(r.x, y, mark, .difference)
                s.write(x, y, text, .difference, limit: r.maxX - x)
            } else {
                s.write(r.x, y, text, LogView.style(e), limit: r.width)
            }
        }
    }
}
