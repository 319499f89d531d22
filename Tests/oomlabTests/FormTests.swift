import OOMLab
import Testing
@testable import OOMLabTUI
import OOMLabKernel

@Suite("Form validation")
struct FormValidationTests {
    static let kernel = Kernel(scenario: .defaultScenario)

    static func addTask(_ changes: [String: String]) -> Form {
        var form = AddTaskForm.make(kernel: kernel)
        for (label, value) in changes {
            if let i = form.fields.firstIndex(where: { $0.label == label }) { form.fields[i].value = value }
        }
        return form
    }

    static func error(_ changes: [String: String]) -> FormError? {
        do {
            _ = try AddTaskForm.validate(addTask(changes), kernel: kernel)
            return nil
        } catch {
            return error
        }
    }

    @Test("the defaults make a valid memory hog")
    func defaults() throws {
        let result = try AddTaskForm.validate(Self.addTask([:]), kernel: Self.kernel)
        #expect(result.spec.name == "hog")
        #expect(result.spec.pid == 3000)
        #expect(result.newLock == nil)
    }

    @Test("each bad value names its field and the rule", arguments: [
        (["name": ""], "name", "name must not be empty"),
        (["name": "two words"], "name", "name must not contain spaces"),
        (["name": "a-very-long-task-name"], "name", "name must be at most 15 characters"),
        (["rss MiB": "x"], "rss MiB", "rss must be a whole number"),
        (["rss MiB": "9999"], "rss MiB", "rss must be between 0 and 250 MiB"),
        (["size MiB": "0"], "size MiB", "size must be between 1 and 1073741824 MiB"),
        (["size MiB": ""], "size MiB", "size is required"),
        (["rate": "0"], "rate", "rate must be between 1 and 1000000 pages per tick"),
        (["oom_score_adj": "1001"], "oom_score_adj", "oom_score_adj must be between -1000 and 1000"),
        (["pid": "0"], "pid", "pid must be between 1 and 4194304"),
        (["pid": "1337"], "pid", "pid 1337 is already in use"),
        (["kind": "lock waiter", "lock": ""], "lock", "lock must not be empty"),
        (["rss MiB": "200"], "rss MiB", "rss 200 MiB does not fit in 54 MiB free"),
    ])
    func errors(changes: [String: String], field: String, message: String) {
        #expect(Self.error(changes) == FormError(field: field, message: message))
    }

    @Test("a template that uses a new lock creates it")
    func newLock() throws {
        let result = try AddTaskForm.validate(Self.addTask(["kind": "fs writer (NOFAIL)", "lock": "agi"]), kernel: Self.kernel)
        #expect(result.newLock == "agi")
        let existing = try AddTaskForm.validate(Self.addTask(["kind": "lock waiter", "lock": "agf"]), kernel: Self.kernel)
        #expect(existing.newLock == nil)
    }

    @Test("every template builds a task the kernel runs", arguments: TaskTemplate.allCases)
    func templates(template: TaskTemplate) throws {
        var k = Self.kernel
        let result = try AddTaskForm.validate(Self.addTask(["kind": template.rawValue, "lock": "agi", "size MiB": "8"]), kernel: k)
        if let lock = result.newLock { try k.addLock(lock) }
        try k.addTask(result.spec)
        for _ in 0..<300 {
            k.step()
            try k.checkInvariants()
        }
        let task = try #require(k.task(pid: result.spec.pid), "the task is in the kernel")
        #expect(task.name == result.spec.name)
        #expect(task.state != .new, "it started and ran: \(task.state)")
    }

    @Test("lock, oom_score_adj and save forms")
    func smallForms() {
        var lock = SmallForms.addLock(kernel: Self.kernel)
        lock.fields[0].value = "agf"
        #expect(throws: FormError(field: "name", message: "lock agf already exists")) { try SmallForms.validateLock(lock, kernel: Self.kernel) }
        lock.fields[0].value = " "
        #expect(throws: FormError(field: "name", message: "lock name must not be empty")) { try SmallForms.validateLock(lock, kernel: Self.kernel) }
        var adj = SmallForms.setOOMScoreAdj(task: Self.kernel.tasks[0])
        adj.fields[0].value = "-1001"
        #expect(throws: FormError(field: "oom_score_adj", message: "oom_score_adj must be between -1000 and 1000")) { try SmallForms.validateAdj(adj) }
        var save = SmallForms.save(defaultPath: "x.yaml")
        save.fields[0].value = "x.txt"
        #expect(throws: FormError(field: "file", message: "file name must end in .yaml")) { try SmallForms.validateSavePath(save) }
    }

    @Test("a bad form stays open with the error and the field focused")
    func staysOpen() {
        var state = AppState(scenario: .defaultScenario)
        Snap.press(&state, [.char("a")] + Array(repeating: .backspace, count: 3) + [.enter])
        guard case .form(let form) = state.overlay else {
            Issue.record("form closed")
            return
        }
        #expect(form.error == "name must not be empty")
        #expect(form.fields[form.focus].label == "name")
    }
}

@Suite("App actions")
struct AppActionTests {
    @Test("space steps one tick; n 50 Enter steps fifty")
    func stepping() {
        var state = Snap.state(ticks: 0)
        Snap.press(&state, [.char(" ")])
        #expect(state.kernel.tick == 1)
        Snap.press(&state, [.char("n")] + Snap.type("50") + [.enter])
        #expect(state.kernel.tick == 51)
        #expect(state.message?.text == "stepped 50 ticks")
    }

    @Test("run until the next event stops at the OOM kill")
    func untilEvent() {
        var state = Snap.state(ticks: 0)
        Snap.press(&state, [.char("u")])
        #expect(state.running && state.untilEvent)
        while state.running { state.advance(16) }
        #expect(state.kernel.tick == Snap.firstEventTick)
        #expect(state.logLines.contains { $0.text.hasPrefix("Killed process 1337 (postgres)") })
    }

    @Test("k flips where the OOM killer is invoked from, and the header shows it")
    func toggleOOM() {
        var state = Snap.state(ticks: 0)
        #expect(MainView.render(state, width: 80, height: 24).text.contains("k OOM from: direct"))
        Snap.press(&state, [.char("k")])
        #expect(state.kernel.policy.oomInvocation == .kswapd)
        #expect(MainView.render(state, width: 80, height: 24).text.contains("k OOM from: kswapd"))
        #expect(state.kernel.recentEvents.last?.text == "oomlab: policy oom_invocation: direct -> kswapd")
    }

    @Test("adding a task through the form puts it in the list, selected")
    func addTask() {
        var state = Snap.state(ticks: 0)
        Snap.press(&state, [.char("a")] + Array(repeating: .backspace, count: 3) + Snap.type("stress") + [.enter])
        #expect(state.overlay == .none)
        #expect(state.kernel.task(pid: 3000)?.name == "stress")
        #expect(state.selectedPid == 3000)
        #expect(MainView.render(state, width: 80, height: 24).text.contains("3000 stress"))
    }

    @Test("x on a task in D state sends SIGKILL, which does not kill it yet")
    func killBlocked() {
        var state = Snap.state(ticks: 800)
        Snap.press(&state, [.char("x")])
        #expect(state.message?.text == "SIGKILL sent to xfs-writer[412] (in D state: it dies only when its wait ends)")
        state.advance(5)
        #expect(state.kernel.task(pid: 412)?.isAlive == true)
    }

    @Test("take and release a lock, change oom_score_adj")
    func lockActions() {
        var state = Snap.state(ticks: 10)
        Snap.press(&state, [.char("l")] + Snap.type("agi") + [.enter])
        #expect(state.kernel.lock(named: "agi") != nil)
        Snap.press(&state, [.char("t"), .right, .enter])
        #expect(state.message?.text == "pid 412 will take agi")
        state.advance(3)
        #expect(state.kernel.task(pid: 412)?.heldLocks.contains("agi") == true)
        Snap.press(&state, [.char("T")])
        if case .form(let f) = state.overlay, f.value("lock") != "agi" { Snap.press(&state, [.right]) }
        Snap.press(&state, [.enter])
        #expect(state.kernel.task(pid: 412)?.heldLocks.contains("agi") == false)
        Snap.press(&state, [.char("O")] + Array(repeating: .backspace, count: 2) + Snap.type("-999") + [.enter])
        #expect(state.kernel.task(pid: 412)?.oomScoreAdj == -999)
    }

    @Test("save asks before overwriting; open loads the file back")
    func saveAndOpen() {
        let files = FakeFiles()
        var state = Snap.state(ticks: 120)
        Snap.press(&state, [.char("s")] + Array(repeating: .backspace, count: 40) + Snap.type("mine.yaml") + [.enter], files: files)
        #expect(state.message?.text == "saved mine.yaml (0 actions, at tick 120)")
        #expect(files.saved["mine.yaml"] == Session(scenario: .defaultScenario, at: 120))
        Snap.press(&state, [.char("s"), .enter], files: files)
        #expect(state.overlay == .confirm(AppState.Confirm(question: "mine.yaml exists. Overwrite it?", path: "mine.yaml",
                                                           session: state.run.session)))
        Snap.press(&state, [.char("n")], files: files)
        #expect(state.message?.text == "not saved")
        files.presets["mine.yaml"] = files.saved["mine.yaml"]
        Snap.press(&state, [.char("o"), .enter], files: files)
        // A session reopens where it was saved.
        #expect(state.kernel.tick == 120)
        #expect(state.message?.text == "opened mine.yaml at tick 120")
    }

    @Test("errors from files show in the UI")
    func openError() {
        var state = Snap.state(ticks: 0)
        Snap.press(&state, [.char("o")])
        #expect(state.message == AppState.Message(text: "no presets found and no .yaml files in this folder", isError: true))
    }
}
