import OOMLab

/// Everything the TUI shows and remembers, as one value: the kernel plus the
/// UI's own state. Keys become actions (`KeyTable`), actions change the state
/// (`reduce`), and views draw the state. No clock and no I/O here except
/// through `ScenarioFiles`, so tests can drive it key by key.
struct AppState {
    enum Panel: String, CaseIterable, Sendable { case tasks, locks, log }

    struct Picker: Equatable, Sendable {
        struct Entry: Equatable, Sendable {
            var label: String
            var detail: String
            var path: String
        }
        var title: String
        var entries: [Entry]
        var selected = 0
    }

    struct Confirm: Equatable, Sendable {
        var question: String
        var path: String
        var scenario: Scenario
    }

    enum Overlay: Equatable, Sendable {
        case none
        case help(scroll: Int)
        case explain(pid: Int, scroll: Int)
        case form(Form)
        case picker(Picker)
        case confirm(Confirm)
        case count(String)
    }

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

    var kernel: Kernel
    var running = false
    /// Running until the kernel logs something (the `u` key).
    var untilEvent = false
    var untilEventStart = 0
    var speedIndex = AppState.defaultSpeedIndex
    /// Ticks per second actually reached while running, measured by the
    /// main loop over about a second (nil until measured, and while paused).
    var achievedRate: Int?
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
    let color: Bool

    init(kernel: Kernel, sourcePath: String? = nil, unicode: Bool = true, color: Bool = true) {
        self.kernel = kernel
        self.sourcePath = sourcePath
        self.unicode = unicode
        self.color = color
        selectedPid = taskRows.first?.pid
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
        }
    }

    /// The task list's rows: live tasks by pid, then the dead ones.
    var taskRows: [Kernel.Task] {
        kernel.tasks.filter(\.isAlive) + kernel.tasks.filter { !$0.isAlive }
    }

    var selectedTask: Kernel.Task? { selectedPid.flatMap { kernel.task(pid: $0) } }

    /// The events the log panel shows (the kernel's recent lines).
    var logLines: [Event] { kernel.recentEvents }
}

// MARK: - Stepping

extension AppState {
    /// Steps the kernel `count` ticks. Stops early, and pauses, when running
    /// until an event and one arrives, or when the kernel panics. Returns the
    /// ticks actually stepped.
    @discardableResult
    mutating func advance(_ count: Int) -> Int {
        var done = 0
        while done < count {
            if kernel.panicVerdict != nil {
                if running { pause(because: "the kernel panicked: \(kernel.verdict.reason)") }
                break
            }
            let events = kernel.step()
            done += 1
            if running && kernel.tick == kernel.ticksPlanned {
                pause(because: "reached the scenario's end at tick \(kernel.ticksPlanned) (\(Format.seconds(ms: kernel.timeMs))); p runs on past it")
                break
            }
            if untilEvent, let first = events.first(where: { $0.kind != .user }) {
                running = false
                untilEvent = false
                message = Message(text: "stopped at tick \(kernel.tick): \(first.text)", isError: false)
                break
            }
            if untilEvent && kernel.tick - untilEventStart >= AppState.untilEventLimit {
                pause(because: "nothing was logged in \(AppState.untilEventLimit) ticks")
                break
            }
        }
        keepSelectionValid()
        return done
    }

    mutating func pause(because text: String) {
        running = false
        untilEvent = false
        message = Message(text: text, isError: false)
    }

    mutating func keepSelectionValid() {
        if selectedPid == nil || selectedTask == nil { selectedPid = taskRows.first?.pid }
        selectedLock = Swift.min(selectedLock, Swift.max(0, kernel.locks.count - 1))
    }
}

// MARK: - Keys

extension AppState {
    /// Handles one key press.
    mutating func handle(_ key: Key, files: ScenarioFiles) {
        if key == .resize { return }
        let mode = self.mode
        if let action = KeyTable.action(for: key, in: mode) {
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
        default:
            break
        }
    }

    mutating func reduce(_ action: Action, files: ScenarioFiles) {
        switch mode {
        case .main: reduceMain(action, files: files)
        case .help, .explain: reduceScroll(action)
        case .form: reduceForm(action, files: files)
        case .picker: reducePicker(action, files: files)
        case .confirm: reduceConfirm(action, files: files)
        case .count: reduceCount(action)
        }
    }

    mutating func reduceMain(_ action: Action, files: ScenarioFiles) {
        message = nil
        switch action {
        case .step:
            running = false
            untilEvent = false
            advance(1)
        case .runPause:
            running.toggle()
            untilEvent = false
        case .faster: speedIndex = Swift.min(speedIndex + 1, AppState.speeds.count - 1)
        case .slower: speedIndex = Swift.max(speedIndex - 1, 0)
        case .stepCount: overlay = .count("")
        case .runUntilEvent:
            running = true
            untilEvent = true
            untilEventStart = kernel.tick
        case .toggleOOMInvocation:
            setPolicy(.oomInvocation, kernel.policy.oomInvocation == .direct ? "kswapd" : "direct")
        case .toggleReaper: setPolicy(.oomReaper, kernel.policy.oomReaper ? "off" : "on")
        case .toggleReservations: setPolicy(.reservations, kernel.policy.reservations ? "off" : "on")
        case .toggleEra: setPolicy(.era, kernel.policy.era == .v2015 ? "modern" : "2015")
        case .cycleVictimTimeout:
            let next = [0: "1000", 1000: "5000"][kernel.policy.victimTimeoutMs] ?? "0"
            setPolicy(.victimTimeoutMs, next)
        case .cyclePanicOnOOM: setPolicy(.panicOnOOM, String((kernel.policy.panicOnOOM + 1) % 3))
        case .toggleKillAllocating: setPolicy(.oomKillAllocatingTask, kernel.policy.oomKillAllocatingTask ? "off" : "on")
        case .cycleHungTask:
            let next = [120: "10", 10: "0"][kernel.policy.hungTaskTimeoutSecs] ?? "120"
            setPolicy(.hungTaskTimeoutSecs, next)
        case .addTask: overlay = .form(AddTaskForm.make(kernel: kernel))
        case .addLock: overlay = .form(SmallForms.addLock(kernel: kernel))
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
            do {
                try kernel.kill(pid: t.pid)
                let note = t.state == .blocked && t.wait?.isUninterruptible == true
                    ? " (in D state: it dies only when its wait ends)" : ""
                message = Message(text: "SIGKILL sent to \(t.name)[\(t.pid)]\(note)", isError: false)
            } catch {
                fail(String(describing: error))
            }
        case .explain:
            guard let t = selectedTask else { return fail("no task selected") }
            overlay = .explain(pid: t.pid, scroll: 0)
        case .save:
            let name = sourcePath.map(lastPathComponent) ?? kernel.scenarioName + ".yaml"
            overlay = .form(SmallForms.save(defaultPath: name))
        case .open:
            let entries = files.openable()
            guard !entries.isEmpty else { return fail("no presets found and no .yaml files in this folder") }
            overlay = .picker(Picker(title: "Open a scenario", entries: entries))
        case .focusNext: focus = AppState.Panel.allCases[(AppState.Panel.allCases.firstIndex(of: focus)! + 1) % 3]
        case .focusPrevious: focus = AppState.Panel.allCases[(AppState.Panel.allCases.firstIndex(of: focus)! + 2) % 3]
        case .up: move(-1)
        case .down: move(1)
        case .pageUp: move(-Swift.max(1, logPage - 1))
        case .pageDown: move(Swift.max(1, logPage - 1))
        case .top: move(-Int.max / 2)
        case .bottom: move(Int.max / 2)
        case .help: overlay = .help(scroll: 0)
        case .quit: quitRequested = true
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
        do {
            try kernel.setPolicy(key, value)
            message = Message(text: "\(key.rawValue) = \(kernel.policy.value(of: key))", isError: false)
        } catch {
            fail(String(describing: error))
        }
    }

    /// Moves the selection in the focused panel (or scrolls the log).
    mutating func move(_ delta: Int) {
        switch focus {
        case .tasks:
            let rows = taskRows
            guard !rows.isEmpty else { return }
            let i = rows.firstIndex { $0.pid == selectedPid } ?? 0
            selectedPid = rows[clamp(i.addingReportingOverflow(delta).partialValue, 0, rows.count - 1)].pid
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
            let done = advance(Swift.min(n, AppState.maxStepCount))
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
