import Testing
@testable import OOMLab
@testable import OOMLabKernel

/// `oomlab run --format json` streams its events through an EventSpool; the
/// bytes must be those of the one JSON object rendered whole.
@Suite("Streaming JSON trace")
struct StreamingTraceTests {
    /// The trace as the whole object used to be rendered, for comparison.
    static func wholeObject(_ trace: RunTrace, _ k: Kernel, _ events: [Event]) -> String {
        let fields = trace.jsonFields(k).map { key, value in
            key == "events"
                ? (key, JSON.array(events.map { .object([("tick", .int($0.tick)), ("text", .string($0.text))]) }))
                : (key, value)
        }
        return JSON.object(fields).rendered() + "\n"
    }

    static func streamed(_ s: Scenario, ticks: Int, memoryLimit: Int) -> (String, String) {
        var trace = RunTrace(format: .json, scenario: s, ticks: ticks)
        trace.spool = EventSpool(memoryLimit: memoryLimit)
        var k = Kernel(scenario: s)
        var all: [Event] = []
        _ = trace.header(k)
        for _ in 0..<ticks {
            let events = k.step()
            all += events
            _ = trace.tick(k, events: events)
        }
        var out = ""
        trace.footer(k) { out += $0 }
        return (out, wholeObject(trace, k, all))
    }

    @Test("the default scenario's trace, spilled to the temporary file every few events, is the whole object byte for byte")
    func spilled() {
        let s = Scenario.defaultScenario
        let (streamed, whole) = Self.streamed(s, ticks: 3000, memoryLimit: 200)
        #expect(whole.contains("\"events\": [\n    {"), "the run logs events")
        #expect(streamed == whole)
    }

    @Test("a run without events prints an empty array, as the whole object does")
    func empty() {
        let s = Scenario.defaultScenario
        let (streamed, whole) = Self.streamed(s, ticks: 1, memoryLimit: 200)
        #expect(whole.contains("\"events\": []"))
        #expect(streamed == whole)
    }

    @Test("text read back from the file keeps multi-byte characters whole across chunk boundaries")
    func utf8Chunks() {
        // A limit of 5 bytes puts chunk ends inside the 2-, 3- and 4-byte sequences.
        let spool = EventSpool(memoryLimit: 5)
        let items = ["é", "ab€", "𝄞x", "Grüße", "日本語テキスト", "plain"]
        for item in items { spool.append(item) }
        var chunks: [String] = []
        spool.drain { chunks.append($0) }
        #expect(chunks.joined() == items.joined(separator: ",\n"))
        #expect(chunks.count > 2, "it spilled and read back in several chunks")
        #expect(!chunks.joined().contains("\u{FFFD}"), "no sequence was cut")
    }
}
