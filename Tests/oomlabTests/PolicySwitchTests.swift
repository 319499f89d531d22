import Foundation
import OOMLab
import Testing
@testable import oomlab
@testable import OOMLabTUI
import OOMLabKernel

/// Every policy switch through every consumer of the switch table
/// (`PolicySwitch.all`): the CLI's --set and --vary, scenario files in and
/// out, the TUI's keys, header, help and fork picker, JSON and the trace.
@Suite("Policy switches: one table, every consumer")
struct PolicySwitchConsumerTests {
    static let switches = PolicySwitch.all.map(\.key)

    @Test("the table has one entry per key, with distinct TUI keys and header places")
    func table() {
        #expect(PolicySwitch.all.map(\.key) == PolicyKey.allCases)
        #expect(Set(PolicySwitch.all.map(\.screen.key)).count == PolicySwitch.all.count)
        #expect(PolicySwitch.all.map(\.screen.order).sorted() == Array(0..<PolicySwitch.all.count))
        for s in PolicySwitch.all {
            #expect(!s.cycle.isEmpty && !s.compared.isEmpty)
            for value in s.cycle + s.compared + Era.allCases.map(s.defaultValue) {
                #expect(s.canonical(value) == value, "\(s.key.rawValue): '\(value)' is not canonical")
            }
        }
    }

    @Test("--set takes every value; a bad value names the accepted ones", arguments: switches)
    func cli(key: PolicyKey) throws {
        let s = key.descriptor
        for value in s.cycle {
            var spec = PolicySpec()
            try ScenarioArgument.apply(["\(key.rawValue)=\(value.uppercased())"], to: &spec)
            #expect(spec.resolved.value(of: key) == value)
        }
        var spec = PolicySpec()
        #expect(throws: (any Error).self) { try ScenarioArgument.apply(["\(key.rawValue)=bogus"], to: &spec) }
        do {
            try ScenarioArgument.apply(["\(key.rawValue)=bogus"], to: &spec)
        } catch {
            #expect("\(error)".contains("\(key.rawValue) takes \(s.allowedValues), not 'bogus'"), "\(error)")
        }
        #expect(RunCommand.helpMessage(columns: 1000).contains("\(key.rawValue) (\(s.usage))"))
        let compare = try CompareCommand.parse(["--vary", key.rawValue])
        #expect(try compare.keys() == [key])
    }

    @Test("a scenario file sets every value, and the writer writes it back", arguments: switches)
    func yaml(key: PolicyKey) throws {
        for value in key.descriptor.cycle {
            let text = "name: t\nmachine:\n  ram: 64MiB\npolicy:\n  \(key.rawValue): \(value)\ntasks:\n  - pid: 1\n    name: init\n"
            let scenario = try ScenarioLoader.parse(yaml: text, file: "t.yaml")
            #expect(scenario.policy.resolved.value(of: key) == value)
            let written = ScenarioWriter.yaml(for: scenario)
            #expect(written.contains("\n  \(key.rawValue): \(value)\n"), "\(written)")
            #expect(try ScenarioLoader.parse(yaml: written, file: "w.yaml").policy == scenario.policy)
        }
        let bad = "name: t\nmachine:\n  ram: 64MiB\npolicy:\n  \(key.rawValue): bogus\ntasks:\n  - pid: 1\n    name: init\n"
        #expect(throws: ScenarioError.self) { try ScenarioLoader.parse(yaml: bad, file: "t.yaml") }
    }

    @Test("the TUI key steps the switch through its cycle; header, help and fork picker show it", arguments: switches)
    func tui(key: PolicyKey) {
        let s = key.descriptor
        #expect(KeyTable.action(for: .char(s.screen.key), in: .main) == .cyclePolicy(key))
        let help = HelpView.lines().map(\.text).joined(separator: "\n")
        #expect(help.contains(s.screen.help))
        var state = Snap.state(ticks: 0)
        for _ in 0..<s.cycle.count {
            let before = state.kernel.policy.value(of: key)
            Snap.press(&state, [.char(s.screen.key)])
            let after = state.kernel.policy.value(of: key)
            #expect(after == s.next(after: before))
            let shown = s.shown(after)
            #expect(MainView.render(state, width: 200, height: 40).text.contains("\(s.screen.key) \(s.screen.label): \(shown.text)"))
            let choices = AppState.forkChoices(state.kernel).map(\.label)
            for value in s.cycle where value != after { #expect(choices.contains("\(key.rawValue) = \(value)")) }
        }
    }

    @Test("JSON and the text trace print every switch", arguments: switches)
    func output(key: PolicyKey) {
        let k = Kernel(scenario: .defaultScenario)
        let value = k.policy.value(of: key)
        let json = k.policy.json.rendered()
        #expect(json.contains("\"\(key.rawValue)\": \(Int(value).map(String.init) ?? "\"\(value)\"")"), "\(json)")
        let trace = RunTrace(format: .text, scenario: .defaultScenario, ticks: 0).header(k)
        #expect(trace.contains("policy.\(key.rawValue)"))
    }

    @Test("presets/README.md's policy table is the switch table")
    func readme() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let docs = try String(contentsOf: root.appendingPathComponent("presets/README.md"), encoding: .utf8)
        for s in PolicySwitch.all {
            let values: String
            switch s.values {
            case .onOff: values = "switch"
            case .words(let words): values = words.map { "`\($0.word)`" }.joined(separator: ", ")
            case .number(let range, let unit?): values = "\(unit.rawValue), `\(range.lowerBound)` = off"
            case .number(let range, nil): values = range.map { "`\($0)`" }.joined(separator: ", ")
            }
            let old = s.key == .era ? PolicySpec().era.rawValue : s.defaultValue(.v2015)
            let new = s.key == .era ? old : s.defaultValue(.modern)
            let defaults = old == new ? "`\(old)`" : "`\(old)` in 2015, `\(new)` in modern"
            let row = "| `\(s.key.rawValue)` | \(values) | \(defaults) | \(s.meaning) |"
            #expect(docs.contains(row), "presets/README.md lacks the row\n\(row)")
        }
    }
}

/// The reducer's policy keys, written out value by value (not derived from
/// the table, so a table change that alters what a key does fails here).
@Suite("Policy keys in the reducer")
struct PolicyCycleTests {
    static let cycles: [(key: Character, policy: PolicyKey, values: [String])] = [
        ("k", .oomInvocation, ["direct", "kswapd", "direct"]),
        ("r", .oomReaper, ["off", "on", "off"]),
        ("v", .reservations, ["off", "on", "off"]),
        ("E", .era, ["2015", "modern", "2015"]),
        ("V", .victimTimeoutMs, ["0", "1000", "5000", "0"]),
        ("P", .panicOnOOM, ["0", "1", "2", "0"]),
        ("A", .oomKillAllocatingTask, ["off", "on", "off"]),
        // The built-in scenario sets hung_task_timeout_secs: 10.
        ("H", .hungTaskTimeoutSecs, ["10", "0", "120", "10"]),
    ]

    @Test("each key steps its switch through its values and logs each change")
    func cycles() {
        for c in Self.cycles {
            var state = Snap.state(ticks: 0)
            #expect(state.kernel.policy.value(of: c.policy) == c.values[0])
            for (before, after) in zip(c.values, c.values.dropFirst()) {
                Snap.press(&state, [.char(c.key)])
                #expect(state.kernel.policy.value(of: c.policy) == after, "\(c.key): \(before) -> \(after)")
                #expect(state.message?.text == "\(c.policy.rawValue) = \(after)")
                #expect(state.kernel.recentEvents.last?.text.hasPrefix("oomlab: policy ") == true)
            }
            #expect(state.run.timeline.entries.count == c.values.count - 1, "each press is an action on the timeline")
        }
    }

    @Test("a value outside a key's cycle steps to the cycle's first value")
    func outside() throws {
        var state = Snap.state(ticks: 0)
        try state.run.apply(.setPolicy(.victimTimeoutMs, "300"))
        try state.run.apply(.setPolicy(.hungTaskTimeoutSecs, "30"))
        Snap.press(&state, [.char("V"), .char("H")])
        #expect(state.kernel.policy.victimTimeoutMs == 0)
        #expect(state.kernel.policy.hungTaskTimeoutSecs == 120)
    }

    @Test("E to modern re-derives the switches not set explicitly: the reaper comes on unless set")
    func era() {
        var state = Snap.state(ticks: 0)
        Snap.press(&state, [.char("E")])
        #expect(state.kernel.policy.oomReaper, "modern's default")
        var explicit = Snap.state(ticks: 0)
        Snap.press(&explicit, [.char("r"), .char("r"), .char("E")])
        #expect(!explicit.kernel.policy.oomReaper, "set explicitly off under 2015, it stays off under modern")
    }
}
