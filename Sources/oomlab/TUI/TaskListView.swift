import OOMLab
import OOMLabKernel

/// The task list: a flag column (victim, SIGKILL pending, D state), pid,
/// name, state, rss, oom_score, oom_score_adj and what the task is doing or
/// waiting on. Marks carry the meaning; colour only repeats it.
enum TaskListView {
    /// "*" OOM victim (TIF_MEMDIE), "+" SIGKILL pending, "!" uninterruptible wait, " " otherwise.
    static func flag(_ t: Kernel.Task) -> Character {
        guard t.isAlive else { return " " }
        if t.memdie { return "*" }
        if t.sigkill { return "+" }
        if t.state == .blocked && t.wait?.isUninterruptible == true { return "!" }
        return " "
    }

    static func style(_ t: Kernel.Task) -> Style {
        guard t.isAlive else { return .dim }
        if t.memdie { return .victim }
        if t.state == .blocked { return .blocked }
        return .normal
    }

    /// pid_max can be 4194304 (PID_MAX_LIMIT on 64-bit): seven digits.
    static let pidWidth = 7
    static let header = "     PID NAME            S    RSS SCORE   ADJ  "
    /// With memory cgroups: a CGROUP column after the name.
    static let cgroupWidth = 14
    static let cgroupHeader = "     PID NAME            CGROUP         S    RSS SCORE   ADJ  "

    /// The task's cgroup in `cgroupWidth` characters: the path, its start
    /// cut when long ("…/pod-a").
    static func cgroupCell(_ path: CgroupPath, unicode: Bool) -> String {
        let text = path.description
        guard text.count > cgroupWidth else { return Format.left(text, cgroupWidth) }
        return (unicode ? "…" : "~") + String(text.suffix(cgroupWidth - 1))
    }

    static func draw(_ state: AppState, in r: Rect, on s: inout Screen) {
        let k = state.kernel
        var order = state.taskOrder
        let focused = state.focus == .tasks && state.overlay == .none
        s.titleBar(Rect(x: r.x, y: r.y, width: r.width, height: 1), "Tasks",
                   right: "\(order.alive) alive  by \(state.taskSort.rawValue)  * victim  + SIGKILL  ! D state", focused: focused)
        let cgroups = k.memcg.isEnabled
        s.write(r.x, r.y + 1, (cgroups ? cgroupHeader : header) + "DOING / WAITING ON", .dim, limit: r.width)
        let visible = r.height - 2
        guard visible > 0 else { return }
        // The window keeps the selected row on screen; only its rows are put in order.
        let selected = order.rank(ofPid: state.selectedPid) ?? 0
        let first = clamp(selected - visible + 1, 0, Swift.max(0, order.count - visible))
        for (n, i) in order.rows(first..<first + visible).enumerated() {
            let t = k.tasks[i]
            let y = r.y + 2 + n
            let cgroup = cgroups ? cgroupCell(k.cgroupPath(of: t), unicode: s.glyphs.unicode) + " " : ""
            let line = String(flag(t)) + Format.right(String(t.pid), pidWidth) + " " + Format.left(t.name, 15) + " " + cgroup
                + t.state.rawValue.prefix(1).uppercased() + " " + Format.right(Format.size(pages: k.mmRSS(at: i)), 6) + " "
                + Format.right(String(k.oomScore(of: t)), 5) + " " + Format.right(String(t.oomScoreAdj), 5) + "  "
            let x = s.write(r.x, y, line, style(t), limit: r.width)
            s.write(x, y, k.activity(of: t), style(t) == .victim ? .victim : (t.isAlive ? .normal : .dim), limit: r.maxX - x)
            if focused && t.pid == state.selectedPid {
                s.restyle(Rect(x: r.x, y: y, width: r.width, height: 1), .selected)
                s.put(r.x, y, flag(t) == " " ? (s.glyphs.unicode ? "▸" : ">") : s[r.x, y].char, .selected)
            }
        }
        if order.count > visible {
            s.write(r.maxX - 12, r.y + 1, "\(first + 1)-\(first + Swift.min(visible, order.count - first)) of \(order.count)", .dim)
        }
    }
}

/// The kernel's log, newest last, scrollable.
enum LogView {
    static func style(_ e: Event) -> Style {
        switch e.kind {
        case .user: return .logUser
        case .oomlab: return .logOOMLab
        case .kernel:
            let t = e.text
            if t.hasPrefix("Out of memory") || t.hasPrefix("Killed process") || t.contains("invoked oom-killer")
                || t.hasPrefix("oom_reaper") || t.hasPrefix("Kernel panic") { return .logOOM }
            if t.hasPrefix("INFO: task") || t.contains("possible memory allocation deadlock")
                || t.contains("page allocation failure") { return .logWarning }
            return .logKernel
        }
    }

    static func draw(_ state: AppState, in r: Rect, on s: inout Screen) {
        let lines = state.logLines
        let rows = r.height - 1
        let focused = state.focus == .log && state.overlay == .none
        let scroll = clamp(state.logScroll, 0, Swift.max(0, lines.count - rows))
        let end = lines.count - scroll
        let start = Swift.max(0, end - rows)
        // A run keeps EventLog.defaultByteLimit of log: say when it dropped some.
        let dropped = state.run.log.droppedLines
        let count = dropped > 0 ? "\(lines.count) lines; run log full, \(dropped) oldest dropped" : "\(lines.count) lines"
        let right = scroll > 0 ? "\(scroll) newer below (End follows)" : count
        s.titleBar(Rect(x: r.x, y: r.y, width: r.width, height: 1), "Log", right: right, focused: focused)
        for (n, e) in lines[start..<end].enumerated() {
            s.write(r.x, r.y + 1 + n, e.dmesgLine, style(e), limit: r.width)
            // The focused log highlights its newest shown line: Enter shows it whole.
            if focused && start + n == end - 1 {
                s.restyle(Rect(x: r.x, y: r.y + 1 + n, width: r.width, height: 1), .selected)
            }
        }
    }
}

/// One log line shown whole, wrapped (Enter on the focused log).
enum LogLineView {
    static func draw(_ e: Event, on s: inout Screen, keyBar: Rect) {
        let width = Swift.min(s.width - 4, 110)
        let lines = wrap(e.dmesgLine, width: width - 4)
        let height = Swift.min(lines.count + 4, keyBar.y - 2)
        let box = Rect(x: (s.width - width) / 2, y: Swift.max(1, (keyBar.y - height) / 2), width: width, height: height)
        s.box(box, title: "Log line at tick \(e.tick)")
        for (n, line) in lines.prefix(box.height - 4).enumerated() {
            s.write(box.x + 2, box.y + 2 + n, line, LogView.style(e), limit: box.width - 4)
        }
        s.fill(keyBar, " ")
        KeyBarView.draw(.line, in: keyBar, on: &s)
    }
}
