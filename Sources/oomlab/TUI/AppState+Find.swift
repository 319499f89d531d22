import OOMLab
import OOMLabKernel

/// The task table's order, as htop's `<` `>` and F6 choose it: by pid
/// (the kernel's task list order), or largest first by rss or by the
/// oom_score /proc would show (the OOM killer's view), ties by pid.
enum TaskSort: String, CaseIterable, Sendable {
    case pid, rss, score

    var next: TaskSort { TaskSort.allCases[(TaskSort.allCases.firstIndex(of: self)! + 1) % TaskSort.allCases.count] }
    var previous: TaskSort {
        TaskSort.allCases[(TaskSort.allCases.firstIndex(of: self)! + TaskSort.allCases.count - 1) % TaskSort.allCases.count]
    }
    // The rows in this order: TaskOrder (TaskOrder.swift).
}

extension AppState {
    mutating func sortTasks(by sort: TaskSort) {
        taskSort = sort
        focus = .tasks
        message = Message(text: "tasks sorted by \(sort.rawValue)" + (sort == .pid ? "" : ", largest first")
                          + " (< > or F6 for another column)", isError: false)
    }

    /// Selects the OOM victim: the first process the OOM killer chose, or,
    /// when one is selected already, the next in kill order.
    mutating func jumpToVictim() {
        var pids: [Int] = []
        for kill in kernel.oomKills where !pids.contains(kill.pid) { pids.append(kill.pid) }
        guard !pids.isEmpty else { return fail("no OOM victim yet: the OOM killer has not killed anything") }
        let next = pids.firstIndex { $0 == selectedPid }.map { (pids.index(after: $0)) % pids.count } ?? 0
        selectedPid = pids[next]
        focus = .tasks
        guard let t = kernel.task(pid: pids[next]) else { return }
        let state = t.isAlive ? (t.memdie ? "still alive with TIF_MEMDIE" : "alive") : "gone"
        message = Message(text: "OOM victim \(next + 1) of \(pids.count): \(t.name)[\(t.pid)], \(state)", isError: false)
    }

    /// The next theme; the main loop draws with it and saves it in the config file.
    mutating func cycleTheme() {
        theme = theme.next
        let note = terminalColor || theme == .mono ? "" : " (this terminal shows no colour: NO_COLOR or monochrome)"
        message = Message(text: "theme: \(theme.rawValue)\(note)", isError: false)
    }

    /// The log line the focused log highlights: the newest one shown.
    var highlightedLogLine: Int? {
        let lines = logLines
        guard !lines.isEmpty else { return nil }
        return lines.count - 1 - clamp(logScroll, 0, Swift.max(0, lines.count - logPage))
    }

    mutating func showLogLine() {
        guard let i = highlightedLogLine else { return fail("the log is empty") }
        overlay = .line(i)
    }
}

extension AppState.Picker {
    /// The entries the filter lets through (all of them when not filtering):
    /// a case-insensitive match on the label or the detail.
    var visible: [Entry] {
        guard let filter, !filter.isEmpty else { return entries }
        let needle = filter.lowercased()
        return entries.filter { $0.label.lowercased().contains(needle) || $0.detail.lowercased().contains(needle) }
    }

    mutating func type(_ c: Character) {
        guard let filter, filter.count < 40, !c.isNewline else { return }
        self.filter = filter + String(c)
        selected = 0
    }
}
