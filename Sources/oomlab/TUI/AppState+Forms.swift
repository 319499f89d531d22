import OOMLab
import OOMLabKernel

/// Saving and opening scenarios, behind a protocol so that tests can use a
/// fake folder. `PresetFiles` is the real one.
protocol ScenarioFiles {
    /// Presets from the library's folders, then `*.yaml` in the current folder.
    func openable() -> [AppState.Picker.Entry]
    /// A scenario file, as a session (a plain scenario has no timeline).
    func load(path: String) throws -> Session
    func exists(path: String) -> Bool
    /// Writes the scenario as loaded, the timeline and the position,
    /// atomically. Returns a note for the status line when the file holds
    /// less than the session ("" when it holds all of it).
    func save(_ session: Session, to path: String, overwrite: Bool) throws -> String
    /// A lesson file (the picker lists lessons first).
    func loadLesson(path: String) throws -> Lesson
}

extension ScenarioFiles {
    func loadLesson(path: String) throws -> Lesson {
        try LessonLoader.load(path: path, presets: PresetSearchPath.library)
    }
}

extension AppState {
    mutating func reduceForm(_ action: Action, files: ScenarioFiles) {
        guard case .form(var form) = overlay else { return }
        switch action {
        case .close:
            overlay = .none
            afterSave = nil
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

    /// Applies a valid form; throws the form's error otherwise. Every change
    /// to the kernel is a `UserAction` on the run.
    mutating func submit(_ form: Form, files: ScenarioFiles) throws(FormError) {
        func apply(_ action: UserAction, field: String) throws(FormError) -> String {
            do { return try perform(action) } catch { throw FormError(field: field, message: String(describing: error)) }
        }
        switch form.purpose {
        case .addTask:
            let result = try AddTaskForm.validate(form, kernel: kernel)
            var note = ""
            if let lock = result.newLock { note = try apply(.addLock(lock), field: "name") }
            note += try apply(.addTask(result.spec), field: "name")
            selectedPid = result.spec.pid
            focus = .tasks
            message = Message(text: "added \(result.spec.name)[\(result.spec.pid)]" + note, isError: false)
        case .cgroup:
            let action = try CgroupForm.validate(form)
            let note = try apply(action, field: "cgroup")
            message = Message(text: CgroupForm.done(action) + note, isError: false)
        case .addLock:
            let name = try SmallForms.validateLock(form, kernel: kernel)
            let note = try apply(.addLock(name), field: "name")
            selectedLock = kernel.locks.count - 1
            message = Message(text: "added lock \(name)" + note, isError: false)
        case .takeLock(let pid):
            let lock = form.value("lock")
            let wait = LockWait(rawValue: form.value("wait")) ?? .uninterruptible
            let note = try apply(.takeLock(pid: pid, lock: lock, wait: wait), field: "lock")
            message = Message(text: "pid \(pid) will take \(lock)" + note, isError: false)
        case .releaseLock(let pid):
            let lock = form.value("lock")
            let note = try apply(.releaseLock(pid: pid, lock: lock), field: "lock")
            message = Message(text: "pid \(pid) released \(lock)" + note, isError: false)
        case .setOOMScoreAdj(let pid):
            let adj = try SmallForms.validateAdj(form)
            let note = try apply(.setOOMScoreAdj(pid: pid, adj), field: "oom_score_adj")
            message = Message(text: "pid \(pid) oom_score_adj = \(adj)" + note, isError: false)
        case .save:
            let path = try SmallForms.validateSavePath(form)
            let session = run.session
            if files.exists(path: path) {
                overlay = .confirm(Confirm(question: "\(path) exists. Overwrite it?", path: path, session: session))
                return
            }
            let note: String
            do { note = try files.save(session, to: path, overwrite: false) } catch {
                throw FormError(field: "file", message: String(describing: error))
            }
            saved(to: path, note: note, files: files)
        }
    }

    /// After a session was written: nothing is unsaved, and what waited on
    /// the save (quit, open, reset) goes ahead.
    mutating func saved(to path: String, note: String, files: ScenarioFiles) {
        let actions = run.timeline.count
        run.markSaved()
        sourcePath = path
        let what = note.isEmpty ? "(\(actions) action\(actions == 1 ? "" : "s"), at tick \(run.position))" : note
        message = Message(text: "saved \(path) \(what)", isError: false)
        if let next = afterSave {
            afterSave = nil
            overlay = .none
            proceed(next, files: files)
        }
    }

    mutating func reduceConfirm(_ action: Action, files: ScenarioFiles) {
        guard case .confirm(let confirm) = overlay else { return }
        switch action {
        case .yes:
            overlay = .none
            do {
                let note = try files.save(confirm.session, to: confirm.path, overwrite: true)
                saved(to: confirm.path, note: note, files: files)
            } catch {
                afterSave = nil
                fail(String(describing: error))
            }
        case .no, .close:
            overlay = .none
            afterSave = nil
            message = Message(text: "not saved", isError: false)
        default: break
        }
    }

    mutating func reducePicker(_ action: Action, files: ScenarioFiles) {
        guard case .picker(var picker) = overlay else { return }
        let n = Swift.max(1, picker.visible.count)
        switch action {
        case .close where picker.filter != nil:
            picker.filter = nil
            picker.selected = 0
        case .close: overlay = .none; return
        case .filter: picker.filter = picker.filter ?? ""
        case .deleteBackward:
            guard let f = picker.filter else { break }
            picker.filter = f.isEmpty ? nil : String(f.dropLast())
            picker.selected = 0
        case .up: picker.selected = Swift.max(0, picker.selected - 1)
        case .down: picker.selected = Swift.min(n - 1, picker.selected + 1)
        case .pageUp: picker.selected = Swift.max(0, picker.selected - 10)
        case .pageDown: picker.selected = Swift.min(n - 1, picker.selected + 10)
        case .top: picker.selected = 0
        case .bottom: picker.selected = n - 1
        case .submit:
            let visible = picker.visible
            guard picker.selected < visible.count else {
                overlay = .picker(picker)
                return fail("nothing matches '\(picker.filter ?? "")'; Backspace or Esc to change the filter")
            }
            let entry = visible[picker.selected]
            overlay = .none
            if picker.purpose == .fork, let action = entry.action {
                startFork(with: action, label: entry.label)
            } else if picker.purpose == .fork {
                forkReplacedFuture()
            } else if entry.isLesson {
                do { startLesson(try files.loadLesson(path: entry.path)) } catch { fail(String(describing: error)) }
            } else {
                open(entry.path, files: files)
            }
            return
        default: break
        }
        overlay = .picker(picker)
    }

    /// Loads a file and replaces the run (and any fork) with it, paused.
    mutating func open(_ path: String, files: ScenarioFiles) {
        do {
            let session = try files.load(path: path)
            let loaded = try Run(session: session)
            lesson = nil
            replaceRun(with: loaded, path: path)
            message = Message(text: "opened \(path)" + (run.position == 0 ? "" : " at tick \(run.position)"), isError: false)
        } catch {
            fail(String(describing: error))
        }
    }

    mutating func replaceRun(with new: Run, path: String?) {
        run = new
        fork = nil
        sourcePath = path
        running = false
        untilEvent = false
        logScroll = 0
        selectedPid = firstTaskPid
        selectedLock = 0
    }
}

extension Error {
    /// The error as one line for the UI.
    var uiMessage: String { String(describing: self) }
}
