import Foundation
import Testing
@testable import OOMLabTUI
import OOMLabKernel

@Suite("Key table")
struct KeyTableTests {
    @Test("every key means one thing per mode", arguments: Mode.allCases)
    func unique(mode: Mode) {
        var seen: [Key: Action] = [:]
        for b in KeyTable.bindings(in: mode) {
            for key in b.keys {
                #expect(seen[key] == nil, "\(key.name) is bound twice in \(mode)")
                seen[key] = b.action
            }
        }
    }

    @Test("help lists every key of every binding")
    func helpListsEverything() {
        let help = HelpView.lines().map(\.text).joined(separator: "\n")
        for b in KeyTable.bindings {
            #expect(help.contains(KeyTable.keyNames(b) + String(repeating: " ", count: max(1, 23 - KeyTable.keyNames(b).count)) + b.help),
                    "\(KeyTable.keyNames(b)) missing from help")
        }
    }

    @Test("the issue's keys do what it says on the main screen")
    func issueKeys() {
        let expected: [(Key, Action)] = [
            (.char(" "), .step), (.char("p"), .runPause), (.enter, .runPause), (.char("+"), .faster), (.char("-"), .slower),
            (.char("n"), .stepCount), (.char("k"), .cyclePolicy(.oomInvocation)),
            (.char("r"), .cyclePolicy(.oomReaper)), (.char("v"), .cyclePolicy(.reservations)), (.char("E"), .cyclePolicy(.era)),
            (.char("V"), .cyclePolicy(.victimTimeoutMs)), (.char("P"), .cyclePolicy(.panicOnOOM)),
            (.char("A"), .cyclePolicy(.oomKillAllocatingTask)), (.char("H"), .cyclePolicy(.hungTaskTimeoutSecs)), (.char("a"), .addTask), (.char("l"), .addLock),
            (.char("x"), .kill), (.char("e"), .explain), (.char("s"), .save), (.char("o"), .open), (.tab, .focusNext),
            (.up, .up), (.down, .down), (.char("j"), .down), (.char("q"), .quit), (.f(10), .quit), (.ctrl("c"), .quit),
            (.char("?"), .help), (.f(1), .help),
            // Time travel (issue 9), as atop/below and video players have them.
            (.char(","), .stepBack), (.char("."), .step), (.char("["), .previousMarker), (.char("]"), .nextMarker),
            (.char("g"), .goTo), (.char("R"), .reset), (.char("f"), .fork),
        ]
        for (key, action) in expected {
            #expect(KeyTable.action(for: key, in: .main) == action, "\(key.name)")
        }
    }

    @Test("the key bar only shows keys the mode has", arguments: Mode.allCases)
    func keyBar(mode: Mode) {
        let items = KeyTable.bindings(in: mode).compactMap { b in b.bar.map { "\(b.keys[0].name) \($0)" } }
        #expect(!items.isEmpty, "every mode labels at least one key")
        var wide = Screen(width: 400, height: 1)
        KeyBarView.draw(mode, in: wide.bounds, on: &wide)
        #expect(wide.text.trimmingCharacters(in: .whitespacesAndNewlines) == items.joined(separator: "  "),
                "at 400 columns the bar is every labelled binding of the mode, in table order")
        var narrow = Screen(width: 80, height: 1)
        KeyBarView.draw(mode, in: narrow.bounds, on: &narrow)
        let shown = narrow.text.trimmingCharacters(in: .whitespacesAndNewlines)
        let kept = items.filter { shown.contains($0) }
        #expect(!kept.isEmpty && shown == kept.joined(separator: "  "), "at 80 columns, some of them: \(shown)")
    }
}

@Suite("Docs")
struct DocsTests {
    @Test("docs/screen.txt lists the keys the key table has (regenerate: oomlab tui --print-keys)")
    func keyList() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let docs = try String(contentsOf: root.appendingPathComponent("docs/screen.txt"), encoding: .utf8)
        #expect(docs.contains(HelpView.lines().map(\.text).joined(separator: "\n")))
    }
}
