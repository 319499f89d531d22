import OOMLabKernel

/// A key press, decoded from the terminal.
enum Key: Hashable, Sendable {
    case char(Character)
    /// Ctrl plus a letter (lowercase).
    case ctrl(Character)
    case enter, tab, backTab, escape, backspace, delete
    case up, down, left, right, pageUp, pageDown, home, end
    case f(Int)
    case resize

    /// The key's name as help shows it.
    var name: String {
        switch self {
        case .char(" "): return "space"
        case .char(let c): return String(c)
        case .ctrl(let c): return "Ctrl-" + String(c).uppercased()
        case .enter: return "Enter"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .escape: return "Esc"
        case .backspace: return "Backspace"
        case .delete: return "Delete"
        case .up: return "Up"
        case .down: return "Down"
        case .left: return "Left"
        case .right: return "Right"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .f(let n): return "F\(n)"
        case .resize: return "resize"
        }
    }
}

/// What the keys of a mode mean: the main screen, or one of the overlays.
enum Mode: String, CaseIterable, Sendable {
    case main
    case help
    case explain
    case form
    case picker
    case confirm
    case count
    /// The `g` prompt.
    case goTo
    /// Unsaved actions: save, discard or cancel.
    case unsaved
    /// Closing a fork: keep which side.
    case keepSide
    /// The scenario's notes, or the lesson step.
    case notes
    /// One log line shown whole (Enter with the log focused).
    case line
}

/// Everything a key can ask the app to do.
enum Action: Equatable, Sendable {
    // Time.
    case step, runPause, faster, slower, stepCount, runUntilEvent
    // Time travel.
    case stepBack, previousMarker, nextMarker, goTo, reset, fork
    // Policy switches: one action per switch, its key and values from `PolicySwitch.all`.
    case cyclePolicy(PolicyKey)
    // Tasks and locks.
    case addTask, addLock, takeLock, releaseLock, setOOMScoreAdj, kill, explain, cgroup
    // Files.
    case save, open
    // Moving around.
    case focusNext, focusPrevious, up, down, pageUp, pageDown, top, bottom
    case help, quit, close
    // Teaching.
    case notes, cycleAutoPause, nextStep, previousStep, answerChoice
    // Finding things: sort the task table, jump to the OOM victim, themes, picker filter.
    case sortPrevious, sortNext, jumpToVictim, cycleTheme, filter
    // Forms, pickers and prompts.
    case nextField, previousField, choicePrevious, choiceNext, submit, deleteBackward, yes, no
    case chooseSave, chooseDiscard, keepLeft, keepRight
}

/// One line of the key table: keys, the action, the modes it applies in,
/// the help text and (optionally) its short label on the key bar.
struct Binding: Sendable {
    var keys: [Key]
    var action: Action
    var modes: [Mode]
    var help: String
    var bar: String?
    var group: String
}

/// The one key table. The app dispatches through it and the help screen and
/// key bar are generated from it, so help cannot lie.
enum KeyTable {
    static let bindings: [Binding] = [
        // Time.
        Binding(keys: [.char(" "), .char(".")], action: .step, modes: [.main], help: "step one tick (10 ms) forward", bar: "step", group: "Time"),
        Binding(keys: [.char("p"), .enter], action: .runPause, modes: [.main], help: "run / pause (Enter with the log focused: show its highlighted line whole)", bar: "run", group: "Time"),
        Binding(keys: [.char("+"), .char("=")], action: .faster, modes: [.main], help: "faster (ticks per second, up to as fast as it goes)", bar: "speed", group: "Time"),
        Binding(keys: [.char("-"), .char("_")], action: .slower, modes: [.main], help: "slower (down to 1 tick per second)", group: "Time"),
        Binding(keys: [.char("n")], action: .stepCount, modes: [.main], help: "step N ticks at once: n, a count, Enter", group: "Time"),
        Binding(keys: [.char("u")], action: .runUntilEvent, modes: [.main], help: "run until the kernel logs something", bar: "until", group: "Time"),
        // Time travel.
        Binding(keys: [.char(",")], action: .stepBack, modes: [.main], help: "one tick back", bar: "back", group: "Time travel"),
        Binding(keys: [.char("[")], action: .previousMarker, modes: [.main], help: "previous marker (OOM kill, reap, stall, livelock, deadlock, hung task, panic, cue, your action)", bar: "mark", group: "Time travel"),
        Binding(keys: [.char("]")], action: .nextMarker, modes: [.main], help: "next marker (computes ahead when none is known yet)", group: "Time travel"),
        Binding(keys: [.char("g")], action: .goTo, modes: [.main], help: "go to a tick or a time: g, then 800 or 7.5s, Enter", bar: "goto", group: "Time travel"),
        Binding(keys: [.char("R")], action: .reset, modes: [.main], help: "back to the scenario as loaded (asks if actions are unsaved)", group: "Time travel"),
        Binding(keys: [.char("f")], action: .fork, modes: [.main], help: "fork here with a change (or the future your last action replaced), side by side; again: keep one side", bar: "fork", group: "Time travel"),
    ] + PolicySwitch.onScreen.map { s in
        // Policies: one key per switch, from the switch table.
        Binding(keys: [.char(s.screen.key)], action: .cyclePolicy(s.key), modes: [.main], help: s.screen.help,
                bar: s.screen.bar, group: "Policy")
    } + [
        // Tasks and locks.
        Binding(keys: [.char("a")], action: .addTask, modes: [.main], help: "add a task (form with templates)", bar: "add", group: "Tasks"),
        Binding(keys: [.char("l")], action: .addLock, modes: [.main], help: "add a lock", bar: "lock", group: "Tasks"),
        Binding(keys: [.char("t")], action: .takeLock, modes: [.main], help: "selected task takes a lock next", group: "Tasks"),
        Binding(keys: [.char("T")], action: .releaseLock, modes: [.main], help: "selected task releases a lock it holds", group: "Tasks"),
        Binding(keys: [.char("O")], action: .setOOMScoreAdj, modes: [.main], help: "set the selected task's oom_score_adj", group: "Tasks"),
        Binding(keys: [.char("x")], action: .kill, modes: [.main], help: "kill the selected task (simulated SIGKILL: a D-state task does not die yet)", bar: "kill", group: "Tasks"),
        Binding(keys: [.char("e")], action: .explain, modes: [.main], help: "explain the selected task's wait chain", bar: "explain", group: "Tasks"),
        Binding(keys: [.char("G")], action: .cgroup, modes: [.main], help: "memory cgroups: create one, or write its memory.max/high/low/min/swap.max", group: "Tasks"),
        // Teaching.
        Binding(keys: [.char("i")], action: .notes, modes: [.main], help: "notes: what the scenario shows, what to watch, switches to try (in a lesson: the step)", bar: "notes", group: "Teaching"),
        Binding(keys: [.char("z")], action: .cycleAutoPause, modes: [.main], help: "auto-pause: off, at cues+kills+verdicts, kills (and reaps), cues, verdict changes", group: "Teaching"),
        Binding(keys: [.char("}")], action: .nextStep, modes: [.main], help: "lesson: next step (after the last: the score)", group: "Teaching"),
        Binding(keys: [.char("{")], action: .previousStep, modes: [.main], help: "lesson: previous step", group: "Teaching"),
        Binding(keys: (1...9).map { .char(Character(String($0))) }, action: .answerChoice, modes: [.main], help: "lesson: answer the step's question with choice 1 to 9", group: "Teaching"),
        // Files.
        Binding(keys: [.char("s")], action: .save, modes: [.main], help: "save the session: the scenario as loaded, your actions, the tick you are at (atomic)", bar: "save", group: "Files"),
        Binding(keys: [.char("o")], action: .open, modes: [.main], help: "open a preset or a .yaml file in this folder (asks if actions are unsaved)", bar: "open", group: "Files"),
        // Moving around.
        Binding(keys: [.tab], action: .focusNext, modes: [.main], help: "focus the next panel (tasks, locks, log); forked: the other side", group: "Move"),
        Binding(keys: [.backTab], action: .focusPrevious, modes: [.main], help: "focus the previous panel", group: "Move"),
        Binding(keys: [.up, .ctrl("p")], action: .up, modes: [.main, .help, .explain, .notes, .picker], help: "select the previous row / scroll up", group: "Move"),
        Binding(keys: [.down, .char("j"), .ctrl("n")], action: .down, modes: [.main, .picker], help: "select the next row / scroll down", group: "Move"),
        Binding(keys: [.char("k")], action: .up, modes: [.help, .explain, .notes, .picker], help: "scroll up (on the main screen k is the OOM switch)", group: "Move"),
        Binding(keys: [.down, .char("j")], action: .down, modes: [.help, .explain, .notes], help: "scroll down", group: "Move"),
        Binding(keys: [.pageUp], action: .pageUp, modes: [.main, .help, .explain, .notes, .picker], help: "page up (log: older lines)", group: "Move"),
        Binding(keys: [.pageDown], action: .pageDown, modes: [.main, .help, .explain, .notes, .picker], help: "page down (log: newer lines)", group: "Move"),
        Binding(keys: [.home], action: .top, modes: [.main, .help, .explain, .notes, .picker], help: "first row / oldest log line", group: "Move"),
        Binding(keys: [.end], action: .bottom, modes: [.main, .help, .explain, .notes, .picker], help: "last row / follow the newest log line", group: "Move"),
        Binding(keys: [.char("<")], action: .sortPrevious, modes: [.main], help: "sort the tasks by the previous column (pid, rss, score)", group: "Move"),
        Binding(keys: [.char(">"), .f(6)], action: .sortNext, modes: [.main], help: "sort the tasks by the next column (pid, rss, score)", group: "Move"),
        Binding(keys: [.char("J")], action: .jumpToVictim, modes: [.main], help: "jump to the OOM victim (again: the next one, in kill order)", group: "Move"),
        Binding(keys: [.char("C")], action: .cycleTheme, modes: [.main], help: "theme: dark, light, projector, mono (remembered in the config file)", group: "Move"),
        Binding(keys: [.char("?"), .f(1)], action: .help, modes: [.main], help: "this help", bar: "help", group: "Move"),
        Binding(keys: [.char("q"), .f(10), .ctrl("c")], action: .quit, modes: [.main], help: "quit (Ctrl-C too; asks if actions are unsaved)", bar: "quit", group: "Move"),
        // Overlays.
        Binding(keys: [.escape, .char("q"), .char("?"), .f(1)], action: .close, modes: [.help], help: "close help", bar: "close", group: "Help"),
        Binding(keys: [.escape, .char("q"), .char("e"), .enter], action: .close, modes: [.explain], help: "close the explanation", bar: "close", group: "Explain"),
        Binding(keys: [.escape, .char("q"), .char("i"), .enter], action: .close, modes: [.notes], help: "close the notes", bar: "close", group: "Notes"),
        Binding(keys: [.escape, .char("q"), .enter], action: .close, modes: [.line], help: "close the log line", bar: "close", group: "Explain"),
        Binding(keys: [.char("/")], action: .filter, modes: [.picker], help: "filter the list: type part of a name or description (Esc clears the filter)", bar: "filter", group: "Forms"),
        Binding(keys: [.tab, .down], action: .nextField, modes: [.form], help: "next field", bar: "next", group: "Forms"),
        Binding(keys: [.backTab, .up], action: .previousField, modes: [.form], help: "previous field", group: "Forms"),
        Binding(keys: [.left], action: .choicePrevious, modes: [.form], help: "previous choice in a list field", bar: "choice", group: "Forms"),
        Binding(keys: [.right], action: .choiceNext, modes: [.form], help: "next choice in a list field", group: "Forms"),
        Binding(keys: [.backspace, .delete], action: .deleteBackward, modes: [.form, .count, .goTo, .picker], help: "delete the last character", group: "Forms"),
        Binding(keys: [.enter], action: .submit, modes: [.form, .picker, .count, .goTo], help: "accept", bar: "ok", group: "Forms"),
        Binding(keys: [.escape, .f(10)], action: .close, modes: [.form, .picker, .count, .confirm, .goTo, .unsaved, .keepSide], help: "cancel", bar: "cancel", group: "Forms"),
        Binding(keys: [.char("s")], action: .chooseSave, modes: [.unsaved], help: "save the session first, then go on", bar: "save", group: "Forms"),
        Binding(keys: [.char("d")], action: .chooseDiscard, modes: [.unsaved], help: "discard the unsaved actions and go on", bar: "discard", group: "Forms"),
        Binding(keys: [.char("l"), .left], action: .keepLeft, modes: [.keepSide], help: "keep the left side (the timeline you forked from)", bar: "left", group: "Forms"),
        Binding(keys: [.char("r"), .right], action: .keepRight, modes: [.keepSide], help: "keep the right side (the fork)", bar: "right", group: "Forms"),
        Binding(keys: [.char("y")], action: .yes, modes: [.confirm], help: "yes", bar: "yes", group: "Forms"),
        Binding(keys: [.char("n"), .enter], action: .no, modes: [.confirm], help: "no", bar: "no", group: "Forms"),
    ]

    /// The action a key has in a mode, if any. Ctrl-C always quits from the
    /// main screen and cancels elsewhere.
    static func action(for key: Key, in mode: Mode) -> Action? {
        for b in bindings where b.modes.contains(mode) && b.keys.contains(key) { return b.action }
        if key == .ctrl("c") { return mode == .main ? .quit : .close }
        return nil
    }

    /// The bindings that apply in a mode, in table order.
    static func bindings(in mode: Mode) -> [Binding] { bindings.filter { $0.modes.contains(mode) } }

    /// The key names of a binding joined for help: "p, Enter".
    static func keyNames(_ b: Binding) -> String {
        // The answer keys are a range; listing nine of them says less.
        if b.action == .answerChoice, let first = b.keys.first, let last = b.keys.last { return first.name + "-" + last.name }
        return b.keys.map(\.name).joined(separator: ", ")
    }
}
