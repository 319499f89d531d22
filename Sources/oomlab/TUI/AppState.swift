import OOMLab
import OOMLabKernel

/// Everything the TUI shows and remembers, as one value: the run (a scenario,
/// its seed and the timeline of the user's actions; the kernel on screen is
/// `run.kernel`) plus the UI's own state. Keys become actions (`KeyTable`), actions change the state
/// (`reduce`), and views draw the state. No clock and no I/O here except
/// through `ScenarioFiles`, so tests can drive it key by key.
struct AppState {
    enum Panel: String, CaseIterable, Sendable { case tasks, locks, log }

    struct Picker: Equatable, Sendable {
        enum Purpose: Equatable, Sendable { case open, fork }
        struct Entry: Equatable, Sendable {
            var label: String
            var detail: String
            var path: String
            /// For a fork: the change the fork takes.
            var action: UserAction? = nil
            /// A lesson file rather than a scenario.
            var isLesson = false
        }
        var title: String
        var entries: [Entry]
        /// Index into `visible`.
        var selected = 0
        var purpose: Purpose = .open
        /// What `/` typed so far; nil when not filtering.
        var filter: String?
    }

    struct Confirm: Equatable, Sendable {
        var question: String
        var path: String
        var session: Session
    }

    enum Overlay: Equatable, Sendable {
        case none
        case help(scroll: Int)
        case explain(pid: Int, scroll: Int)
        case form(Form)
        case picker(Picker)
        case confirm(Confirm)
        case count(String)
        /// The `g` prompt: a tick or a time as typed so far.
        case goTo(String)
        /// Unsaved actions: save, discard or cancel, then `then`.
        case unsaved(then: AfterUnsaved)
        /// Closing a fork: which side to keep.
        case keepSide
        /// The scenario's notes (`i`), or the lesson step's text.
        case notes(scroll: Int)
        /// A log line shown whole: the event's index in `logLines`.
        case line(Int)
    }

    /// What waits on the unsaved-actions question.
    enum AfterUnsaved: Equatable, Sendable { case quit, open, reset }

    struct Message: Equatable, Sendable {
        var text: String
        var isError: Bool
    }

    /// Ticks per second; nil is "as fast as it goes".
    static let speeds: [Int?] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, nil]
    static let defaultSpeedIndex = 6
    /// Steps one `n`+count or run-until-event may take at most.
    static let maxStepCount = 1_000_000
    static let untilEventLimit = 100_000

    var run: Run
    /// The kernel on screen: the run's at its position.
    var kernel: Kernel { run.kernel }
    /// The other timeline while the screen is split (`f`).
    var fork: ForkState?
    /// A long move the main loop is computing in slices (AppState+Goal.swift).
    var goal: Goal?
    /// What to do once the save form (opened from the unsaved question) saved.
    var afterSave: AfterUnsaved?
    var running = false
    /// Running until the kernel logs something (the `u` key).
    var untilEvent = false
    var untilEventStart = 0
    var speedIndex = AppState.defaultSpeedIndex
    /// Ticks per second actually reached while running, measured by the
    /// main loop over about a second (nil until measured, and while paused).
    var achievedRate: Int?
    /// When running stops by itself (`z`, `--pause-at`).
    var autoPause: AutoPause = []
    /// The lesson being taught, if any (`--lesson`).
    var lesson: LessonState?
    var focus: Panel = .tasks
    var selectedPid: Int?
    var selectedLock = 0
    /// Log lines scrolled back from the newest (0 follows the newest line).
    var logScroll = 0
    /// Rows the log showed last frame, for PgUp/PgDn.
    var logPage = 8
    var overlay: Overlay = .none
    var message: Message?
    var quitRequested = false
    /// The file the scenario came from, if any (the default save path).
    var sourcePath: String?
    let unicode: Bool
    /// The terminal shows colour (and NO_COLOR is unset).
    let terminalColor: Bool
    /// The theme on screen (`C`); the main loop applies it and remembers it.
    var theme: Theme.Name = .dark
    /// The task table's order (`<`, `>`, F6).
    var taskSort: TaskSort = .pid
    /// The last `taskOrder` built, while the run stands still.
    let taskOrderCache = TaskOrderCache()
    /// Colour on screen: the terminal's, unless the theme is mono.
    var color: Bool { terminalColor && theme != .mono }

    init(run: Run, sourcePath: String? = nil, unicode: Bool = true, color: Bool = true) {
        self.run = run
        self.sourcePath = sourcePath
        self.unicode = unicode
        self.terminalColor = color
        selectedPid = firstTaskPid
    }

    /// A fresh run of `scenario`, at tick 0.
    init(scenario: Scenario, sourcePath: String? = nil, unicode: Bool = true, color: Bool = true) {
        self.init(run: Run(fresh: scenario), sourcePath: sourcePath, unicode: unicode, color: color)
    }

    var speed: Int? { AppState.speeds[speedIndex] }

    var mode: Mode {
        switch overlay {
        case .none: return .main
        case .help: return .help
        case .explain: return .explain
        case .form: return .form
        case .picker: return .picker
        case .confirm: return .confirm
        case .count: return .count
        case .goTo: return .goTo
        case .unsaved: return .unsaved
        case .keepSide: return .keepSide
        case .notes: return .notes
        case .line: return .line
        }
    }

    /// The task list's order (`taskSort`): live tasks, then the dead ones;
    /// the rows on screen are asked of it, so no frame sorts every task.
    var taskOrder: TaskOrder { taskOrderCache.order(run, sort: taskSort) }

    /// Every row of the task list, in order (a full sort: for tests and
    /// callers that need them all; a frame asks `taskOrder` for its rows).
    var taskRows: [Kernel.Task] {
        let k = kernel
        var order = taskOrder
        return order.rows(0..<order.count).map { k.tasks[$0] }
    }

    /// The pid of the task list's first row (nil without tasks).
    var firstTaskPid: Int? {
        var order = taskOrder
        return order.rows(0..<1).first.map { kernel.tasks[$0].pid }
    }

    var selectedTask: Kernel.Task? { selectedPid.flatMap { kernel.task(pid: $0) } }

    /// The events the log panel shows (the kernel's recent lines).
    var logLines: [Event] { kernel.recentEvents }
}

// MARK: - Keys

extension AppState {
    /// Handles one key press.
    mutating func handle(_ key: Key, files: ScenarioFiles) {
        if key == .resize { return }
        if goal != nil {
            // Any key stops a long move where it stands; Esc does nothing else.
            cancelGoal()
            if key == .escape { return }
        }
        // While the picker filters, every character types into the filter.
        if case .picker(var picker) = overlay, picker.filter != nil, case .char(let c) = key {
            picker.type(c)
            overlay = .picker(picker)
            return
        }
        let mode = self.mode
        if let action = KeyTable.action(for: key, in: mode) {
            if action == .answerChoice, case .char(let c) = key, let n = c.wholeNumberValue {
                message = nil
                return answer(n)
            }
            reduce(action, files: files)
            return
        }
        // Keys without a binding type into forms and the count prompt.
        guard case .char(let c) = key else { return }
        switch overlay {
        case .form(var form):
            form.fields[form.focus].type(c)
            form.error = nil
            overlay = .form(form)
        case .count(let text):
            if c.isASCII, c.isNumber, text.count < 7 { overlay = .count(text + String(c)) }
        case .goTo(let text):
            if c.isASCII, c.isLetter || c.isNumber || c == ".", text.count < 12 { overlay = .goTo(text + String(c)) }
        default:
            break
        }
    }

    mutating func reduce(_ action: Action, files: ScenarioFiles) {
        switch mode {
        case .main: reduceMain(action, files: files)
        case .help, .explain, .notes: reduceScroll(action)
        case .line: if action == .close { overlay = .none }
        case .form: reduceForm(action, files: files)
        case .picker: reducePicker(action, files: files)
        case .confirm: reduceConfirm(action, files: files)
        case .count: reduceCount(action)
        case .goTo: reduceGoTo(action)
        case .unsaved: reduceUnsaved(action, files: files)
        case .keepSide: reduceKeepSide(action)
        }
    }

    mutating func reduceMain(_ action: Action, files: ScenarioFiles) {
        message = nil
        switch action {
        case .step:
            running = false
            untilEvent = false
            advance(1)
        case .stepBack: stepBack()
        case .previousMarker: jumpToMarker(forward: false)
        case .nextMarker: jumpToMarker(forward: true)
        case .goTo: overlay = .goTo("")
        case .reset: askIfUnsaved(then: .reset, files: files)
        case .fork: forkKey()
        case .runPause where focus == .log && fork == nil:
            showLogLine()
        case .runPause:
            running.toggle()
            untilEvent = false
            if running && questionBlocksStep { running = false; return askFirst() }
            if running { noteReplay() }
        case .faster: speedIndex = Swift.min(speedIndex + 1, AppState.speeds.count - 1)
        case .slower: speedIndex = Swift.max(speedIndex - 1, 0)
        case .stepCount: overlay = .count("")
        case .runUntilEvent:
            running = true
            untilEvent = true
            untilEventStart = kernel.tick
        case .cyclePolicy(let key):
            setPolicy(key, key.descriptor.next(after: kernel.policy.value(of: key)))
        case .addTask: overlay = .form(AddTaskForm.make(kernel: kernel))
        case .addLock: overlay = .form(SmallForms.addLock(kernel: kernel))
        case .cgroup: overlay = .form(CgroupForm.make(kernel: kernel))
        case .takeLock:
            guard let t = liveSelectedTask() else { return }
            guard !kernel.locks.isEmpty else { return fail("there are no locks; add one with l") }
            guard t.state != .new else { return fail("\(t.name)[\(t.pid)] has not started yet") }
            overlay = .form(SmallForms.takeLock(task: t, kernel: kernel))
        case .releaseLock:
            guard let t = liveSelectedTask() else { return }
            guard !t.heldLocks.isEmpty else { return fail("\(t.name)[\(t.pid)] holds no lock") }
            overlay = .form(SmallForms.releaseLock(task: t))
        case .setOOMScoreAdj:
            guard let t = liveSelectedTask() else { return }
            overlay = .form(SmallForms.setOOMScoreAdj(task: t))
        case .kill:
            guard let t = liveSelectedTask() else { return }
            let note = t.state == .blocked && t.wait?.isUninterruptible == true
                ? " (in D state: it dies only when its wait ends)" : ""
            act(.kill(pid: t.pid)) { _ in "SIGKILL sent to \(t.name)[\(t.pid)]\(note)" }
        case .explain:
            guard let t = selectedTask else { return fail("no task selected") }
            overlay = .explain(pid: t.pid, scroll: 0)
        case .save:
            overlay = .form(SmallForms.save(defaultPath: defaultSavePath))
        case .open: askIfUnsaved(then: .open, files: files)
        case .focusNext where fork != nil, .focusPrevious where fork != nil: switchSide()
        case .focusNext: focus = AppState.Panel.allCases[(AppState.Panel.allCases.firstIndex(of: focus)! + 1) % 3]
        case .focusPrevious: focus = AppState.Panel.allCases[(AppState.Panel.allCases.firstIndex(of: focus)! + 2) % 3]
        case .up: move(-1)
        case .down: move(1)
        case .pageUp: move(-Swift.max(1, logPage - 1))
        case .pageDown: move(Swift.max(1, logPage - 1))
        case .top: move(-Int.max / 2)
        case .bottom: move(Int.max / 2)
        case .help: overlay = .help(scroll: 0)
        case .notes: overlay = .notes(scroll: 0)
        case .cycleAutoPause: cycleAutoPause()
        case .nextStep: nextStep()
        case .previousStep: previousStep()
        case .sortPrevious: sortTasks(by: taskSort.previous)
        case .sortNext: sortTasks(by: taskSort.next)
        case .jumpToVictim: jumpToVictim()
        case .cycleTheme: cycleTheme()
        case .quit: askIfUnsaved(then: .quit, files: files)
        default: break
        }
    }

    mutating func fail(_ text: String) { message = Message(text: text, isError: true) }

    mutating func liveSelectedTask() -> Kernel.Task? {
        guard let t = selectedTask else { fail("no task selected"); return nil }
        guard t.isAlive else { fail("\(t.name)[\(t.pid)] has exited"); return nil }
        return t
    }

    mutating func setPolicy(_ key: PolicyKey, _ value: String) {
        act(.setPolicy(key, value)) { [key] state in "\(key.rawValue) = \(state.kernel.policy.value(of: key))" }
    }

    /// Moves the selection in the focused panel (or scrolls the log).
    mutating func move(_ delta: Int) {
        switch focus {
        case .tasks:
            let k = kernel
            var order = taskOrder
            guard order.count > 0 else { return }
            let i = order.rank(ofPid: selectedPid) ?? 0
            let target = clamp(i.addingReportingOverflow(delta).partialValue, 0, order.count - 1)
            selectedPid = order.rows(target..<target + 1).first.map { k.tasks[$0].pid }
        case .locks:
            selectedLock = clamp(selectedLock.addingReportingOverflow(delta).partialValue, 0, Swift.max(0, kernel.locks.count - 1))
        case .log:
            // Up is older: scrolling back from the newest line.
            let maxScroll = Swift.max(0, logLines.count - logPage)
            logScroll = clamp(logScroll.addingReportingOverflow(-delta).partialValue, 0, maxScroll)
        }
    }

    mutating func reduceScroll(_ action: Action) {
        func scrolled(_ s: Int) -> Int {
            switch action {
            case .up: return Swift.max(0, s - 1)
            case .down: return s + 1
            case .pageUp: return Swift.max(0, s - 10)
            case .pageDown: return s + 10
            case .top: return 0
            case .bottom: return 1_000_000
            default: return s
            }
        }
        switch (overlay, action) {
        case (_, .close): overlay = .none
        case (.help(let s), _): overlay = .help(scroll: scrolled(s))
        case (.explain(let pid, let s), _): overlay = .explain(pid: pid, scroll: scrolled(s))
        case (.notes(let s), _): overlay = .notes(scroll: scrolled(s))
        default: break
        }
    }

    mutating func reduceCount(_ action: Action) {
        guard case .count(let text) = overlay else { return }
        switch action {
        case .close: overlay = .none
        case .deleteBackward: overlay = .count(String(text.dropLast()))
        case .submit:
            guard let n = Int(text), n > 0 else {
                overlay = .none
                return fail("type a number of ticks after n, then Enter")
            }
            overlay = .none
            running = false
            untilEvent = false
            let count = Swift.min(n, AppState.maxStepCount)
            if count > AppState.sliceThreshold {
                return startGoal(run.position + count, verb: "stepped")
            }
            let done = advance(count)
            message = Message(text: "stepped \(done) ticks", isError: false)
        default: break
        }
    }
}

func clamp(_ v: Int, _ lo: Int, _ hi: Int) -> Int { Swift.min(Swift.max(v, lo), hi) }

/// The last component of a path.
func lastPathComponent(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? path
}
