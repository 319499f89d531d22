import Testing
@testable import OOMLab

/// Bytes from a file that would drive the terminal (ESC, BEL, CR...) are
/// written out in every error message, never sent.
@Suite("Error messages escape control characters from the input")
struct ControlEscapeTests {
    // YAML refuses raw control characters, but its escapes make them.
    @Test("a scenario value with an OSC title sequence and a bell")
    func scenarioValue() {
        do {
            _ = try ScenarioLoader.parse(yaml: "machine: {ram: \"\\e]0;pwned\\a\"}\n", file: "e.yaml")
            Issue.record("loaded")
        } catch {
            #expect(error.description == "e.yaml:1:16: error: bad size '\\x1b]0;pwned\\x07' for 'ram': "
                    + "expected pages, or a number with KiB, MiB, GiB, TiB or PiB")
        }
    }

    @Test("an unknown key holding ESC [2J (clear screen) and C1 CSI")
    func scenarioKey() {
        do {
            _ = try ScenarioLoader.parse(yaml: "machine: {ram: 64MiB}\n\"x\\e[2J\\x9b\": 1\n", file: "e.yaml")
            Issue.record("loaded")
        } catch {
            #expect(error.description.hasPrefix("e.yaml:2:1: error: unknown key 'x\\x1b[2J\\u{9b}' in the scenario"))
            #expect(!error.description.unicodeScalars.contains { $0.value == 0x1b || $0.value == 0x9b })
        }
    }

    @Test("a report line quoted in an error")
    func reportLine() {
        // An unreadable header is a warning now (the report is kept); the
        // warning quotes the line with its control characters written out.
        let r = try? OOMReportParser().parse("evil\u{1b}]2;x\u{7} invoked oom-killer: gfp_mask=zz\n")
        #expect(r?.warnings == ["line 1: cannot read the oom-killer header (expected gfp_mask=0x...): "
                + "evil\\x1b]2;x\\x07 invoked oom-killer: gfp_mask=zz; the invoking task is unknown"])
    }

    @Test("escaping is idempotent and leaves tabs and text alone")
    func idempotent() {
        let s = "a\tb\u{1b}c\u{7f}\r\n"
        #expect(s.escapingControlCharacters == "a\tb\\x1bc\\x7f\\r\\n")
        #expect(s.escapingControlCharacters.escapingControlCharacters == s.escapingControlCharacters)
        #expect("plain ünïcode".escapingControlCharacters == "plain ünïcode")
    }
}
