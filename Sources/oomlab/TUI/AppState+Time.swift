import OOMLab
import OOMLabKernel

/// Time travel: one tick back (`,`), the previous and next marker (`[`, `]`)
/// and going to a tick or time (`g`). Every move is `Run.seek(to:)`, which
/// gives exactly the state stepping forward gives; while forked both sides
/// move together.
extension AppState {
    /// The furthest `g` may compute past what is known.
    static let maxGoToAhead = AppState.maxStepCount

    /// Moves the run (and the fork's other side) to `tick`.
    mutating func seek(to tick: Int) {
        running = false
        untilEvent = false
        run.seek(to: questionLimit.map { Swift.min(tick, $0) } ?? tick)
        fork?.other.seek(to: run.position)
        keepSelectionValid()
    }

    mutating func stepBack() {
        guard run.position > 0 else { return fail("already at tick 0; nothing before it") }
        seek(to: run.position - 1)
        message = Message(text: "back to tick \(run.position)", isError: false)
    }

    mutating func jumpToMarker(forward: Bool) {
        let from = run.position
        let found: Marker?
        if forward {
            let known = Swift.max(run.frontier, kernel.ticksPlanned)
            let ahead = from < known ? known : from + AppState.untilEventLimit
            // An unanswered lesson question: look no further than the tick before its answer.
            let limit = questionLimit.map { Swift.min(ahead, $0) } ?? ahead
            running = false
            untilEvent = false
            found = run.seekToNextMarker(limit: limit)
            fork?.other.seek(to: run.position)
            keepSelectionValid()
            guard let found else {
                if limit < ahead && run.position == limit { return askFirst() }
                return fail("no marker after tick \(from) up to tick \(run.position)\(panicNote)")
            }
            message = Message(text: markerText(at: found), isError: false)
        } else {
            found = run.previousMarker(before: from)
            guard let found else { return fail("no marker before tick \(from)") }
            seek(to: found.tick)
            message = Message(text: markerText(at: found), isError: false)
        }
    }

    /// "marker: OOM kill of postgres[1337] at tick 216": where several
    /// markers share a tick, the first (the kernel's before a narration
    /// cue or a user action) is named and the others counted.
    private func markerText(at found: Marker) -> String {
        let here = run.markers.filter { $0.tick == found.tick }
        let first = here.first ?? found
        let others = here.count - 1
        let more = others == 0 ? "" : others == 1 && here.last?.kind == .cue ? " (and a narration cue)" : " (and \(others) more)"
        return "marker: \(describe(first)) at tick \(found.tick)\(more)"
    }

    private var panicNote: String { kernel.panicVerdict != nil ? " (the kernel panicked)" : "" }

    /// A marker in words, naming its task as the log does: "OOM kill of
    /// postgres[1337]".
    func describe(_ m: Marker) -> String {
        let who = m.pid.map { pid in kernel.task(pid: pid).map { "\($0.name)[\(pid)]" } ?? "pid \(pid)" }
        switch m.kind {
        case .oomKill: return "OOM kill of " + (who ?? "a task")
        case .reap: return "OOM reaper reaped " + (who ?? "a victim")
        case .victimStall: return "victim stall detected" + (who.map { ": " + $0 + " cannot exit" } ?? "")
        case .livelock: return "livelock detected"
        case .deadlock: return "deadlock detected" + (who.map { " (" + $0 + " in the cycle)" } ?? "")
        case .hungTask: return "hung task reported"
        case .panic: return "kernel panic"
        case .cue: return "cue"
        case .userAction:
            let text = run.events(at: m.tick).first { $0.kind == .user }?.text
            return "your action" + (text.map { ": " + $0 } ?? "")
        }
    }

    mutating func reduceGoTo(_ action: Action) {
        guard case .goTo(let text) = overlay else { return }
        switch action {
        case .close: overlay = .none
        case .deleteBackward: overlay = .goTo(String(text.dropLast()))
        case .submit:
            overlay = .none
            switch AppState.parseGoTo(text, limit: run.frontier + AppState.maxGoToAhead) {
            case .failure(let error): fail(error.text)
            case .success(let tick):
                let from = run.position
                if tick > run.frontier + AppState.sliceThreshold {
                    // Far past what is known: go to the frontier at once, compute the rest in slices.
                    seek(to: Swift.max(run.position, run.frontier))
                    return startGoal(tick, verb: "at")
                }
                seek(to: tick)
                if run.position < tick, let held = questionLimit, run.position == held { return askFirst() }
                let verb = tick < from ? "back to" : "at"
                let stopped = run.position < tick ? " (stopped: the kernel panicked at tick \(run.position))" : ""
                message = Message(text: "\(verb) tick \(run.position) (\(Format.seconds(ms: kernel.timeMs)))\(stopped)", isError: false)
            }
        default: break
        }
    }

    struct GoToError: Error, Equatable { var text: String }

    /// "800" is a tick; "7.5s" and "750ms" are times, which must fall on a
    /// tick (10 ms). Anything else, or past `limit`, is an error that says
    /// what to type.
    static func parseGoTo(_ raw: String, limit: Int) -> Result<Int, GoToError> {
        let text = raw.trimmingSpaces.lowercased()
        let usage = "type a tick (800) or a time (7.5s, 750ms) after g, then Enter"
        guard !text.isEmpty else { return .failure(GoToError(text: usage)) }
        let tick: Int
        if let n = Int(text) {
            tick = n
        } else if text.hasSuffix("ms"), let ms = Int(text.dropLast(2)) {
            guard ms % Units.tickMs == 0 else {
                return .failure(GoToError(text: "\(raw) does not fall on a tick: a tick is \(Units.tickMs) ms"))
            }
            tick = ms / Units.tickMs
        } else if text.hasSuffix("s"), let ms = milliseconds(seconds: String(text.dropLast())) {
            guard ms % Units.tickMs == 0 else {
                return .failure(GoToError(text: "\(raw) does not fall on a tick: a tick is \(Units.tickMs) ms"))
            }
            tick = ms / Units.tickMs
        } else {
            return .failure(GoToError(text: "'\(raw)' is neither a tick nor a time; " + usage))
        }
        guard tick >= 0 else { return .failure(GoToError(text: "a tick is 0 or more; " + usage)) }
        guard tick <= limit else {
            return .failure(GoToError(text: "tick \(tick) is too far: g goes at most to tick \(limit)"))
        }
        return .success(tick)
    }

    /// "7.5" seconds as 7500 ms; nil for anything but digits with at most
    /// three decimals, or a number too large.
    static func milliseconds(seconds text: String) -> Int? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int(parts[0]), whole >= 0, whole < 1_000_000_000 else { return nil }
        var ms = whole * 1000
        if parts.count == 2 {
            let frac = parts[1]
            guard !frac.isEmpty, frac.count <= 3, frac.allSatisfy(\.isNumber), let f = Int(frac) else { return nil }
            ms += f * [100, 10, 1][frac.count - 1]
        }
        return ms
    }
}
