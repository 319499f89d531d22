import OOMLab
import OOMLabKernel

/// Moving the run forward and acting on it: every step goes through
/// `Run.step()` and every user action through `Run.apply(_:)`, so all of it
/// lands on the timeline and can be rewound, replayed and saved.
extension AppState {
    /// Steps `count` ticks (both sides in lockstep while forked). Stops
    /// early, and pauses, when running until an event and one arrives, or
    /// when a kernel panics. Returns the ticks actually stepped.
    @discardableResult
    mutating func advance(_ count: Int) -> Int {
        var done = 0
        while done < count {
            if let side = panickedSide {
                if running { pause(because: "the kernel\(side) panicked: \(panickedKernel.verdict.reason)") }
                break
            }
            if questionBlocksStep {
                askFirst()
                break
            }
            let behind = run.position < run.frontier
            // The kind alone: `verdict` words its reason, too dear for every tick.
            let verdictBefore = kernel.outcome.kind
            let events = run.step()
            fork?.other.step()
            done += 1
            if behind, let user = events.first(where: { $0.kind == .user }) {
                message = Message(text: "replayed your action at tick \(kernel.tick): \(user.text)", isError: false)
            } else if behind && run.position == run.frontier && running {
                message = Message(text: "caught up at tick \(kernel.tick): from here on new ticks are computed", isError: false)
            }
            if running && kernel.tick == kernel.ticksPlanned {
                pause(because: "reached the scenario's end at tick \(kernel.ticksPlanned) (\(Format.seconds(ms: kernel.timeMs))); p runs on past it")
                break
            }
            if running && teachingStop(verdictBefore: verdictBefore) { break }
            if untilEvent, let first = (events + (fork.map { Array($0.other.events(at: kernel.tick)) } ?? []))
                .first(where: { $0.kind != .user && !$0.isCue }) {
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

    /// "" when the kernel on screen panicked, " on the other side" when the
    /// fork's did (lockstep stops either way), nil when neither.
    private var panickedSide: String? {
        if kernel.panicVerdict != nil { return "" }
        if fork?.other.kernel.panicVerdict != nil { return " on the other side" }
        return nil
    }

    private var panickedKernel: Kernel {
        kernel.panicVerdict != nil ? kernel : (fork?.other.kernel ?? kernel)
    }

    mutating func pause(because text: String) {
        running = false
        untilEvent = false
        message = Message(text: text, isError: false)
    }

    mutating func keepSelectionValid() {
        if selectedPid == nil || selectedTask == nil { selectedPid = firstTaskPid }
        selectedLock = Swift.min(selectedLock, Swift.max(0, kernel.locks.count - 1))
    }

    /// When running from behind the frontier: says that the user's later
    /// actions will be replayed (and that acting replaces them).
    mutating func noteReplay() {
        guard run.position < run.frontier else { return }
        let ahead = run.timeline.entries.filter { $0.tick > run.position }.count
        let text = ahead > 0
            ? "replaying your actions (\(ahead) ahead, up to tick \(run.frontier) computed); acting now replaces them"
            : "replaying ticks computed before, up to tick \(run.frontier)"
        message = Message(text: text, isError: false)
    }

    /// Applies a user action to the run. Returns what to add to the message:
    /// acting behind the frontier (or before recorded actions) replaces the
    /// old future, and the user should know.
    mutating func perform(_ action: UserAction) throws(Kernel.ActionError) -> String {
        let replacing = run.position < run.frontier || run.timeline.hasEntries(after: run.position)
        try run.apply(action)
        return replacing ? "; the old future after tick \(run.position) is replaced" : ""
    }

    /// Applies an action and says so, or shows why not.
    mutating func act(_ action: UserAction, _ text: (AppState) -> String) {
        do {
            let note = try perform(action)
            message = Message(text: text(self) + note, isError: false)
        } catch {
            fail(String(describing: error))
        }
    }
}

extension Run {
    /// A run of `scenario` with no actions yet. Only replaying a timeline can
    /// fail, and an empty one has nothing to replay.
    init(fresh scenario: Scenario) {
        do {
            try self.init(scenario: scenario)
        } catch {
            preconditionFailure("a run without actions cannot fail to replay: \(error)")
        }
    }
}
