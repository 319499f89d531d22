import OOMLab

/// Saving and opening scenarios, behind a protocol so that tests can use a
/// fake folder. `PresetFiles` is the real one.
protocol ScenarioFiles {
    /// Presets from the library's folders, then `*.yaml` in the current folder.
    func openable() -> [AppState.Picker.Entry]
    func load(path: String) throws -> Scenario
    func exists(path: String) -> Bool
    func save(_ scenario: Scenario, to path: String, overwrite: Bool) throws
}

extension AppState {
    mutating func reduceForm(_ action: Action, files: ScenarioFiles) {
        guard case .form(var form) = overlay else { return }
        switch action {
        case .close:
            overlay = .none
            return
        case .nextField: form.focus = (form.focus + 1) % form.fields.count
        case .previousField: form.focus = (form.focus + form.fields.count - 1) % form.fields.count
        case .choicePrevious: form.fields[form.focus].cycle(-1)
        case .choiceNext: form.fields[form.focus].cycle(1)
        case .deleteBackward:
            form.fields[form.focus].deleteBackward()
            form.error = nil
        case .submit:
            do {
                try submit(form, files: files)
                if case .form = overlay { overlay = .none }
            } catch {
                form.error = error.message
                form.focus(on: error.field)
                overlay = .form(form)
            }
            return
        default: break
        }
        overlay = .form(form)
    }

    /// Applies a valid form; throws the form's error otherwise.
    mutating func submit(_ form: Form, files: ScenarioFiles) throws(FormError) {
        func kernelError(_ field: String, _ error: Error) -> FormError {
            FormError(field: field, message: String(describing: error))
        }
        switch form.purpose {
        case .addTask:
            let result = try AddTaskForm.validate(form, kernel: kernel)
            do {
                if let lock = result.newLock { try kernel.addLock(lock) }
                try kernel.addTask(result.spec)
            } catch { throw kernelError("name", error) }
            selectedPid = result.spec.pid
            focus = .tasks
            message = Message(text: "added \(result.spec.name)[\(result.spec.pid)]", isError: false)
        case .addLock:
            let name = try SmallForms.validateLock(form, kernel: kernel)
            do { try kernel.addLock(name) } catch { throw kernelError("name", error) }
            selectedLock = kernel.locks.count - 1
            message = Message(text: "added lock \(name)", isError: false)
        case .takeLock(let pid):
            let lock = form.value("lock")
            let wait = LockWait(rawValue: form.value("wait")) ?? .uninterruptible
            do { try kernel.takeLock(pid: pid, lock: lock, wait: wait) } catch { throw kernelError("lock", error) }
            message = Message(text: "pid \(pid) will take \(lock)", isError: false)
        case .releaseLock(let pid):
            let lock = form.value("lock")
            do { try kernel.releaseLock(pid: pid, lock: lock) } catch { throw kernelError("lock", error) }
            message = Message(text: "pid \(pid) released \(lock)", isError: false)
        case .setOOMScoreAdj(let pid):
            let adj = try SmallForms.validateAdj(form)
            do { try kernel.setOOMScoreAdj(pid: pid, adj) } catch { throw kernelError("oom_score_adj", error) }
            message = Message(text: "pid \(pid) oom_score_adj = \(adj)", isError: false)
        case .save:
            let path = try SmallForms.validateSavePath(form)
            let scenario = kernel.toScenario()
            if files.exists(path: path) {
                overlay = .confirm(Confirm(question: "\(path) exists. Overwrite it?", path: path, scenario: scenario))
                return
            }
            do { try files.save(scenario, to: path, overwrite: false) } catch { throw kernelError("file", error) }
            sourcePath = path
            message = Message(text: "saved \(path)", isError: false)
        }
    }

    mutating func reduceConfirm(_ action: Action, files: ScenarioFiles) {
        guard case .confirm(let confirm) = overlay else { return }
        switch action {
        case .yes:
            overlay = .none
            do {
                try files.save(confirm.scenario, to: confirm.path, overwrite: true)
                sourcePath = confirm.path
                message = Message(text: "saved \(confirm.path)", isError: false)
            } catch {
                fail(String(describing: error))
            }
        case .no, .close:
            overlay = .none
            message = Message(text: "not saved", isError: false)
        default: break
        }
    }

    mutating func reducePicker(_ action: Action, files: ScenarioFiles) {
        guard case .picker(var picker) = overlay else { return }
        let n = picker.entries.count
        switch action {
        case .close: overlay = .none; return
        case .up: picker.selected = Swift.max(0, picker.selected - 1)
        case .down: picker.selected = Swift.min(n - 1, picker.selected + 1)
        case .pageUp: picker.selected = Swift.max(0, picker.selected - 10)
        case .pageDown: picker.selected = Swift.min(n - 1, picker.selected + 10)
        case .top: picker.selected = 0
        case .bottom: picker.selected = n - 1
        case .submit:
            let entry = picker.entries[picker.selected]
            overlay = .none
            do {
                let scenario = try files.load(path: entry.path)
                open(scenario, path: entry.path)
            } catch {
                fail(String(describing: error))
            }
            return
        default: break
        }
        overlay = .picker(picker)
    }

    /// Replaces the kernel with a fresh one on a scenario, paused.
    mutating func open(_ scenario: Scenario, path: String?) {
        kernel = Kernel(scenario: scenario)
        sourcePath = path
        running = false
        untilEvent = false
        logScroll = 0
        selectedPid = taskRows.first?.pid
        selectedLock = 0
        message = Message(text: "opened \(path ?? scenario.name)", isError: false)
    }
}

extension Error {
    /// The error as one line for the UI.
    var uiMessage: String { String(describing: self) }
}
