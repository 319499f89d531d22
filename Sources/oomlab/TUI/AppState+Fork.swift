import OOMLab
import OOMLabKernel

/// Two futures of one moment side by side (`f`): the current timeline on the
/// left, a fork that took one change at the fork tick on the right. Both
/// step, run and seek together; keys that act (policy switches, kill, ...)
/// act on the focused side, and `Tab` moves the focus. `f` again keeps one
/// side.
struct ForkState: Sendable {
    /// The side not focused; the focused one is `AppState.run`.
    var other: Run
    /// Where the fork took its change.
    var tick: Int
    /// The change, as the picker worded it ("oom_reaper = on").
    var change: String
    /// Whether the focused side (`AppState.run`) is the right one, the fork.
    var focusRight: Bool
}

extension AppState {
    /// The left run (the timeline forked from) and the right (the fork).
    var forkSides: (left: Run, right: Run)? {
        guard let f = fork else { return nil }
        return f.focusRight ? (f.other, run) : (run, f.other)
    }

    mutating func forkKey() {
        running = false
        untilEvent = false
        if fork != nil {
            overlay = .keepSide
            return
        }
        var entries = AppState.forkChoices(kernel)
        if let old = run.replacedFuture {
            // The future an action after a rewind replaced stays reachable:
            // side by side it is the right, and keeping it undoes the action.
            entries.insert(Picker.Entry(label: AppState.replacedLabel, detail: "as it ran before your action at tick \(old.position)",
                                        path: ""), at: 0)
        }
        overlay = .picker(Picker(title: "Fork at tick \(run.position): take which change on the right?",
                                 entries: entries, purpose: .fork))
    }

    static let replacedLabel = "the future you replaced"

    /// Splits the screen with the future the last action after a rewind
    /// replaced on the right, at this tick.
    mutating func forkReplacedFuture() {
        guard var right = run.replacedFuture else { return fail("no replaced future to show") }
        right.seek(to: run.position)
        run.discardReplacedFuture()
        fork = ForkState(other: run, tick: run.position, change: AppState.replacedLabel, focusRight: true)
        run = right
        focus = .tasks
        keepSelectionValid()
        message = Message(text: "right: \(AppState.replacedLabel); f then r keeps it (undoing your action)", isError: false)
    }

    /// Every change a fork can take: each policy switch to each value it
    /// does not have now, then SIGKILL to each live task.
    static func forkChoices(_ k: Kernel) -> [Picker.Entry] {
        var entries: [Picker.Entry] = []
        for key in PolicyKey.allCases {
            let now = k.policy.value(of: key)
            for value in forkValues(key) where value != now {
                entries.append(Picker.Entry(label: "\(key.rawValue) = \(value)", detail: "now \(now)", path: "",
                                            action: .setPolicy(key, value)))
            }
        }
        for t in k.tasks where t.isAlive && t.state != .new {
            entries.append(Picker.Entry(label: "kill \(t.name)[\(t.pid)]", detail: "SIGKILL from user space", path: "",
                                        action: .kill(pid: t.pid)))
        }
        return entries
    }

    /// The values the fork picker offers for a switch: the ones its key on
    /// the main screen cycles through (`PolicySwitch.cycle`).
    static func forkValues(_ key: PolicyKey) -> [String] { key.descriptor.cycle }

    /// Splits the screen: the right side is this run forked here with `action`.
    mutating func startFork(with action: UserAction, label: String) {
        do {
            let right = try run.fork(at: run.position, with: [action])
            fork = ForkState(other: run, tick: run.position, change: label, focusRight: true)
            focus = .tasks
            run = right
            keepSelectionValid()
            message = Message(text: "forked at tick \(fork!.tick): right takes \(label); Tab switches sides, f keeps one",
                              isError: false)
        } catch {
            fail(String(describing: error))
        }
    }

    mutating func switchSide() {
        guard var f = fork else { return }
        swap(&f.other, &run)
        f.focusRight.toggle()
        fork = f
        keepSelectionValid()
        message = Message(text: "focus: the \(f.focusRight ? "right (fork)" : "left") side", isError: false)
    }

    mutating func reduceKeepSide(_ action: Action) {
        guard let f = fork else { overlay = .none; return }
        switch action {
        case .keepLeft, .keepRight:
            let keepRight = action == .keepRight
            if keepRight != f.focusRight { run = f.other }
            fork = nil
            overlay = .none
            keepSelectionValid()
            message = Message(text: keepRight ? "kept the fork (\(f.change) at tick \(f.tick))" : "kept the left side; the fork is closed",
                              isError: false)
        case .close:
            overlay = .none
        default: break
        }
    }

    /// The first event after the fork tick where the two sides' logs differ
    /// (the user's own action lines aside), nil while they agree.
    static func firstDifference(_ left: Run, _ right: Run, after tick: Int) -> ForkDifference? {
        let x = kernelEvents(left, after: tick), y = kernelEvents(right, after: tick)
        var i = 0
        while i < x.count && i < y.count && x[i] == y[i] { i += 1 }
        let a = i < x.count ? x[i] : nil, b = i < y.count ? y[i] : nil
        guard a != nil || b != nil else { return nil }
        // The earlier of the two is where the logs part; the other side
        // logged nothing (or something else) at that tick.
        let at = Swift.min(a?.tick ?? Int.max, b?.tick ?? Int.max)
        return ForkDifference(tick: at, left: a?.tick == at ? a : nil, right: b?.tick == at ? b : nil)
    }

    /// The events a run logged after `tick` up to its position, the user's
    /// own lines left out.
    static func kernelEvents(_ r: Run, after tick: Int) -> [Event] {
        r.log.lines(after: tick).filter { $0.tick <= r.position && $0.kind != .user }
    }
}

/// Where the two sides of a fork first log differently: the tick, and each
/// side's event there (nil: that side logged nothing different there).
struct ForkDifference: Equatable, Sendable {
    var tick: Int
    var left: Event?
    var right: Event?
}
