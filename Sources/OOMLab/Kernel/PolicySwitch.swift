/// One policy switch, described once. Every consumer derives from this
/// table: `Policy.defaults(for:)` and `PolicySpec` (text in, canonical text
/// out), `--set` and its error messages, the YAML decoder and writer, the
/// TUI's keys, header and fork picker, `compare --vary`, `run --help`, JSON
/// and the trace (the way htop's meter table and swift-argument-parser's
/// value lists work). Adding a switch is a `PolicyKey` case, a `Policy`
/// field, one entry in `all`, and its effect in the kernel
/// (CONTRIBUTING.md shows the diff).
public struct PolicySwitch: Sendable {
    /// The values a switch accepts and how they read.
    public enum Values: Sendable {
        /// on or off (also true/false, yes/no, 1/0 on input).
        case onOff
        /// One of some words; each with the other spellings accepted for it.
        /// The first word is the kernel's own behaviour.
        case words([Word])
        /// A whole number in `range`. With a unit, 0 means off.
        case number(ClosedRange<Int>, unit: Unit?)
    }

    public struct Word: Sendable {
        public let word: String
        public let aliases: [String]
        public init(_ word: String, aliases: [String] = []) {
            self.word = word
            self.aliases = aliases
        }
    }

    public enum Unit: String, Sendable {
        case milliseconds, seconds
        var short: String { self == .milliseconds ? "ms" : "s" }
    }

    /// Where the switch shows in the TUI: its key (which steps it through
    /// `cycle`), its label in the header, its place there, its help line and
    /// its key-bar label if it has one.
    public struct Screen: Sendable {
        public let key: Character
        public let label: String
        public let order: Int
        public let help: String
        public let bar: String?
    }

    public let key: PolicyKey
    public let values: Values
    /// What the switch means, for the docs' table.
    public let meaning: String
    /// The value each era's kernel ships (canonical text).
    public let defaultValue: @Sendable (Era) -> String
    /// The values the TUI key steps through, in order (a value outside the
    /// list steps to the first); the fork picker offers the same ones.
    public let cycle: [String]
    /// The values `compare --vary` tries, in order.
    public let compared: [String]
    public let screen: Screen
    /// Reads the switch from a policy, as canonical text.
    public let read: @Sendable (Policy) -> String
    /// Sets the switch in a policy from canonical text.
    public let write: @Sendable (inout Policy, String) -> Void
}

extension PolicySwitch {
    /// Every switch, in the order files, `--set` lists, JSON and the trace
    /// print them (`era` first: it sets the defaults of the others).
    public static let all: [PolicySwitch] = [
        PolicySwitch(
            key: .era, values: .words([Word("2015", aliases: ["4.0", "v4.0", "3.19"]),
                                       Word("modern", aliases: ["6.x", "6", "v6"])]),
            meaning: "whose rules: v4.0 (the 2015 debate) or v6.x",
            defaultValue: { $0.rawValue }, cycle: ["2015", "modern"], compared: ["2015", "modern"],
            screen: Screen(key: "E", label: "era", order: 3, help: "kernel era: 2015 (v4.0) <-> modern (v6.x) rules", bar: nil),
            read: { $0.era.rawValue }, write: { p, v in p.era = Era(rawValue: v) ?? p.era }),
        PolicySwitch(
            key: .oomInvocation, values: .words(OOMInvocation.allCases.map { Word($0.rawValue) }),
            meaning: "who calls the OOM killer: the allocating task, or kswapd (Dave Chinner's proposal)",
            defaultValue: { _ in "direct" }, cycle: ["direct", "kswapd"], compared: ["direct", "kswapd"],
            screen: Screen(key: "k", label: "OOM from", order: 0,
                           help: "OOM killer invoked from direct reclaim <-> from kswapd", bar: "oom"),
            read: { $0.oomInvocation.rawValue },
            write: { p, v in p.oomInvocation = OOMInvocation(rawValue: v) ?? p.oomInvocation }),
        PolicySwitch(
            key: .oomReaper, values: .onOff, meaning: "the OOM reaper (v4.6)",
            defaultValue: { $0 == .modern ? "on" : "off" }, cycle: ["on", "off"], compared: ["off", "on"],
            screen: Screen(key: "r", label: "reaper", order: 1, help: "OOM reaper on/off", bar: nil),
            read: { $0.oomReaper ? "on" : "off" }, write: { p, v in p.oomReaper = v == "on" }),
        PolicySwitch(
            key: .reservations, values: .onOff, meaning: "transaction reservations (Dave Chinner's proposal)",
            defaultValue: { _ in "off" }, cycle: ["on", "off"], compared: ["off", "on"],
            screen: Screen(key: "v", label: "reservations", order: 2, help: "transaction reservations on/off", bar: nil),
            read: { $0.reservations ? "on" : "off" }, write: { p, v in p.reservations = v == "on" }),
        PolicySwitch(
            key: .victimTimeoutMs, values: .number(0...86_400_000, unit: .milliseconds),
            meaning: "Tetsuo Handa's victim timeout",
            defaultValue: { _ in "0" }, cycle: ["0", "1000", "5000"], compared: ["0", "1000", "5000"],
            screen: Screen(key: "V", label: "victim timeout", order: 4, help: "victim timeout: off, 1000 ms, 5000 ms", bar: nil),
            read: { String($0.victimTimeoutMs) }, write: { p, v in p.victimTimeoutMs = Int(v) ?? 0 }),
        PolicySwitch(
            key: .panicOnOOM, values: .number(0...2, unit: nil), meaning: "vm.panic_on_oom",
            defaultValue: { _ in "0" }, cycle: ["0", "1", "2"], compared: ["0", "1"],
            screen: Screen(key: "P", label: "panic", order: 5, help: "vm.panic_on_oom: 0, 1, 2", bar: nil),
            read: { String($0.panicOnOOM) }, write: { p, v in p.panicOnOOM = Int(v) ?? 0 }),
        PolicySwitch(
            key: .oomKillAllocatingTask, values: .onOff, meaning: "vm.oom_kill_allocating_task",
            defaultValue: { _ in "off" }, cycle: ["on", "off"], compared: ["off", "on"],
            screen: Screen(key: "A", label: "oom_kill_alloc", order: 6, help: "vm.oom_kill_allocating_task on/off", bar: nil),
            read: { $0.oomKillAllocatingTask ? "on" : "off" }, write: { p, v in p.oomKillAllocatingTask = v == "on" }),
        PolicySwitch(
            key: .hungTaskTimeoutSecs, values: .number(0...86_400_000, unit: .seconds),
            meaning: "kernel.hung_task_timeout_secs",
            defaultValue: { _ in "120" }, cycle: ["120", "10", "0"], compared: ["0", "120"],
            screen: Screen(key: "H", label: "hung task", order: 7, help: "hung_task_timeout_secs: 120, 10, off", bar: nil),
            read: { String($0.hungTaskTimeoutSecs) }, write: { p, v in p.hungTaskTimeoutSecs = Int(v) ?? 0 }),
    ]

    /// The switches in the order the TUI's header and key help show them.
    public static var onScreen: [PolicySwitch] { all.sorted { $0.screen.order < $1.screen.order } }

    /// The descriptor of a key. Every key has one (a test checks it).
    public static func of(_ key: PolicyKey) -> PolicySwitch {
        guard let s = all.first(where: { $0.key == key }) else { preconditionFailure("no PolicySwitch for \(key.rawValue)") }
        return s
    }

    /// The value text in the one spelling used for output ("on", "off",
    /// "2015"), or nil if the switch does not take `text`.
    public func canonical(_ text: String) -> String? {
        let t = text.trimmedLowercase
        switch values {
        case .onOff:
            switch t {
            case "on", "true", "yes", "1": return "on"
            case "off", "false", "no", "0": return "off"
            default: return nil
            }
        case .words(let words):
            return words.first { $0.word == t || $0.aliases.contains(t) }?.word
        case .number(let range, _):
            guard let n = Int(t), range.contains(n) else { return nil }
            return String(n)
        }
    }

    /// The canonical words, for "did you mean" (none for numbers).
    public var words: [String] {
        switch values {
        case .onOff: return ["on", "off"]
        case .words(let words): return words.map(\.word)
        case .number: return []
        }
    }

    /// The values in words, for help and error messages: "on or off".
    public var allowedValues: String {
        switch values {
        case .onOff: return "on or off"
        case .words(let words): return Self.list(words.map(\.word))
        case .number(let range, let unit?): return "\(unit.rawValue), \(range.lowerBound) = off"
        case .number(let range, nil): return Self.list(range.map(String.init))
        }
    }

    /// The values in short, for `run --help`: "on|off", "ms, 0 = off".
    public var usage: String {
        switch values {
        case .onOff: return "on|off"
        case .words(let words): return words.map(\.word).joined(separator: "|")
        case .number(let range, let unit?): return "\(unit.short), \(range.lowerBound) = off"
        case .number(let range, nil): return range.map(String.init).joined(separator: "|")
        }
    }

    /// The value the TUI key steps to from `value`.
    public func next(after value: String) -> String {
        guard let i = cycle.firstIndex(of: value) else { return cycle[0] }
        return cycle[(i + 1) % cycle.count]
    }

    /// How the TUI's header shows a value, and whether it is highlighted as
    /// a change from the kernel's own behaviour: "5 s", "off", "kswapd".
    public func shown(_ value: String) -> (text: String, on: Bool) {
        switch values {
        case .onOff: return (value, value == "on")
        case .words(let words): return (value, value != words[0].word)
        case .number(_, let unit):
            let n = Int(value) ?? 0
            switch unit {
            case nil: return (value, n > 0)
            case _ where n == 0: return ("off", false)
            case .seconds: return ("\(n) s", true)
            case .milliseconds: return (n % 1000 == 0 ? "\(n / 1000) s" : "\(n) ms", true)
            }
        }
    }

    /// "a, b or c".
    static func list(_ items: [String]) -> String {
        items.count < 2 ? items.joined() : items.dropLast().joined(separator: ", ") + " or " + items[items.count - 1]
    }
}
