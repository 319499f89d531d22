import OOMLab
import OOMLabKernel

/// Two header rows: where the run is (scenario, time, tick, run state,
/// speed, verdict) and every policy switch with the key that flips it.
enum HeaderView {
    static func draw(_ state: AppState, in r: Rect, on s: inout Screen) {
        let k = state.kernel
        let badge = verdictBadge(k)
        // The position in the longest wording that still leaves the verdict
        // room: "t=7.16 s  tick 716 of 3000", then without the time, then
        // "716/3000". The verdict's fullest wording is worth dropping the
        // time for (the tick says it), not the word "tick"; its shortest
        // must always fit.
        let forms = positionForms(state)
        func fits(_ form: String, _ text: String) -> Bool {
            r.x + width(state, form, nameLimit: nameLimit(r)) + text.count + 2 <= r.maxX
        }
        let fullest = badge.texts.first ?? "", shortest = badge.texts.last ?? ""
        let chosen = forms.prefix(2).first { fits($0, fullest) } ?? forms.first { fits($0, shortest) } ?? forms[forms.count - 1]
        let x = drawLeft(state, chosen, nameLimit: nameLimit(r), y: r.y, x: r.x, on: &s)
        let room = r.maxX - 1 - (x + 1)
        if let text = badge.texts.first(where: { $0.count <= room }) {
            s.write(r.maxX - 1 - text.count, r.y, text, badge.style)
        }
        drawSwitches(k.policy, in: r.dropTop(1), on: &s)
    }

    static func nameLimit(_ r: Rect) -> Int { Swift.max(10, r.width / 4) }

    /// The position's wordings, longest first.
    static func positionForms(_ state: AppState) -> [String] {
        let k = state.kernel
        let of = Swift.max(k.ticksPlanned, state.run.frontier)
        let time = "t=" + Format.seconds(ms: k.timeMs)
        return ["\(time)  tick \(k.tick) of \(of)", "tick \(k.tick) of \(of)", "\(k.tick)/\(of)"]
    }

    /// The columns the left part takes with a position wording.
    static func width(_ state: AppState, _ position: String, nameLimit: Int) -> Int {
        var scratch = Screen(width: 400, height: 1)
        scratch.glyphs = Glyphs(unicode: state.unicode, color: state.color)
        return drawLeft(state, position, nameLimit: nameLimit, y: 0, x: 0, on: &scratch)
    }

    /// " oomlab NAME  POSITION [rewound]  ▶ running SPEED"; returns where it ends.
    @discardableResult
    static func drawLeft(_ state: AppState, _ position: String, nameLimit: Int, y: Int, x x0: Int, on s: inout Screen) -> Int {
        var x = s.write(x0, y, " oomlab ", .focusedTitle)
        x = s.write(x, y, state.kernel.scenarioName, .title, limit: nameLimit)
        x = s.write(x + 2, y, position, .normal)
        if state.run.position < state.run.frontier {
            // Behind what was computed: stepping or running replays.
            x = s.write(x + 1, y, "rewound", .rewound)
        }
        x += 2
        if state.running {
            let what = state.untilEvent ? " running until event " : " running "
            x = s.write(x, y, s.glyphs.play + what, .running)
        } else {
            x = s.write(x, y, s.glyphs.pause + " paused ", .paused)
        }
        return s.write(x, y, Format.speed(state.speed, achieved: state.running ? state.achievedRate : nil), .normal)
    }

    /// The verdict at the right of the first row, longest first (the header
    /// shows the longest that fits): a pending victim's age counts up, a
    /// stall says since when, a recovery says what it recovered from.
    static func verdictBadge(_ k: Kernel) -> (texts: [String], style: Style) {
        // The badge needs the verdict's kind and tick, which the outcome
        // holds; `Kernel.verdict` also words its reason (a wait chain, task
        // names), about 5% of a running frame's CPU. A panic's tick is the
        // panic verdict's own.
        let current = k.outcome.current
        let v = (kind: current.kind, tick: current.kind == .panic ? k.verdict.tick : current.tick)
        let since = Format.seconds(ms: Units.ms(ticks: v.tick))
        let age = Format.seconds(ms: Units.ms(ticks: k.tick - v.tick))
        switch v.kind {
        case .ok:
            return ([], .normal)
        case .pending:
            let victim = k.outcome.oldestVictim.flatMap { k.task(pid: $0) }
            let ms = victim?.victimSince.map { Units.ms(ticks: k.tick - $0) } ?? Units.ms(ticks: k.tick - v.tick)
            let name = victim.map { " \($0.name)" } ?? " allocations"
            return (["PENDING\(name) \(Format.seconds(ms: ms))", "PENDING \(Format.seconds(ms: ms))",
                     "PENDING \(Format.shortSeconds(ms: ms))", "PENDING"], .pending)
        case .recovered:
            guard let stuck = k.stuckSummary else { return (["RECOVERED"], .good) }
            return (["RECOVERED after \(stuck)", "RECOVERED"], .good)
        case .panic:
            return (["PANIC at \(since)", "PANIC"], .victim)
        case .stall, .livelock, .deadlock:
            let word = v.kind.rawValue.uppercased()
            let short = Format.shortSeconds(ms: Units.ms(ticks: k.tick - v.tick))
            return (["\(word) since \(since) (\(age))", "\(word) since \(since)", "\(word) \(short)", word], .victim)
        }
    }

    /// The switches as (key, name, value, on?), in the order they are drawn.
    static func switches(_ p: Policy) -> [(key: String, name: String, value: String, on: Bool)] {
        PolicySwitch.onScreen.map { s in
            let shown = s.shown(s.read(p))
            return (String(s.screen.key), s.screen.label, shown.text, shown.on)
        }
    }

    /// Lays the switches out over the rows of `r`, "k OOM from: direct", as
    /// many to a row as fit.
    static func drawSwitches(_ p: Policy, in r: Rect, on s: inout Screen) {
        var x = r.x + 1, y = r.y
        for item in switches(p) {
            let width = item.key.count + 1 + item.name.count + 2 + item.value.count
            if x > r.x + 1 && x + width > r.maxX {
                x = r.x + 1
                y += 1
            }
            guard y < r.maxY else { return }
            x = s.write(x, y, item.key, .headerKey)
            x = s.write(x + 1, y, item.name + ": ", .dim)
            x = s.write(x, y, item.value, item.on ? .switchOn : .switchOff) + 3
        }
    }
}

/// The line above the key bar: the last message or error, else the verdict.
enum StatusView {
    static func draw(_ state: AppState, in r: Rect, on s: inout Screen) {
        if let m = state.message {
            s.write(r.x + 1, r.y, m.text, m.isError ? .error : .good, limit: r.width - 2)
            return
        }
        let v = state.kernel.verdict
        if v.kind != .ok {
            let style: Style = v.kind == .recovered ? .good : v.kind == .pending ? .normal : .logOOMLab
            s.write(r.x + 1, r.y, "\(v.headline): \(v.reason)", style, limit: r.width - 2)
        } else {
            s.write(r.x + 1, r.y, "no OOM so far; space steps, p runs, ? lists every key", .dim, limit: r.width - 2)
        }
    }
}

/// The key bar: the most useful keys of the current mode, from the key table.
enum KeyBarView {
    /// Which labelled bindings to keep first when the bar is too narrow.
    static let priority = ["help", "quit", "step", "run", "oom", "explain", "add", "kill", "until", "speed",
                           "back", "mark", "save", "open", "fork", "goto", "lock", "close", "ok", "cancel", "next",
                           "choice", "yes", "no", "discard", "left", "right"]

    static func draw(_ mode: Mode, in r: Rect, on s: inout Screen) {
        let items = KeyTable.bindings(in: mode).compactMap { b -> (key: String, label: String)? in
            guard let label = b.bar, let first = b.keys.first else { return nil }
            return (first.name, label)
        }
        // Choose by priority, then draw in table order.
        var chosen = Set<String>()
        var used = 0
        for label in priority + items.map(\.label) where !chosen.contains(label) {
            guard let item = items.first(where: { $0.label == label }) else { continue }
            let cost = item.key.count + item.label.count + 3
            if used + cost <= r.width - 1 { chosen.insert(label); used += cost }
        }
        var x = r.x
        for item in items where chosen.contains(item.label) {
            x = s.write(x, r.y, item.key, .keyName)
            x = s.write(x + 1, r.y, item.label, .normal)
            x += 2
        }
    }
}
