import Foundation
import Testing
@testable import OOMLab
@testable import OOMLabKernel

/// The shipped presets in `presets/`: each loads, passes its own `expect` and
/// `expect_with` checks, survives a save/load round trip, and opens with its
/// comment header.
@Suite("Shipped presets: every file in presets/ checks itself", .slow)
struct ShippedPresetTests {
    /// The repository's `presets` folder, found from this file's place.
    static let folder: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("presets").path

    /// Every `presets/*.yaml` file name, sorted.
    static let files: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
        .filter { $0.hasSuffix(".yaml") && !$0.hasPrefix(".") }
        .sorted()

    static func text(_ file: String) throws -> String {
        try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
    }

    @Test("the library is there: the issue's presets, at least")
    func libraryIsComplete() {
        let names = Set(Self.files.map { String($0.dropLast(".yaml".count)) })
        let required: Set = [
            "xfs-kmem-alloc-loop", "gfp-nofail-under-lock", "kswapd-oom", "kswapd-oom-still-stalls",
            "transaction-reservations", "oom-reaper", "oom-reaper-mmap-lock-held", "victim-timeout",
            "simple-leak", "oom-score-adj", "no-killable-tasks", "dirty-writeback-storm",
            "nofs-cannot-shrink", "many-small-tasks",
        ]
        #expect(required.subtracting(names).isEmpty, "missing presets: \(required.subtracting(names).sorted())")
    }

    @Test("loads, and every expect and expect_with check passes", arguments: files)
    func checksPass(file: String) throws {
        let scenario = try ScenarioLoader.load(path: Self.folder + "/" + file)
        let results = ScenarioCheck.run(scenario)
        #expect(!results.isEmpty, "\(file) has no expect block")
        #expect(scenario.expect != nil, "\(file) has no expect block for its own policy")
        for r in results {
            let variant = r.variant.isEmpty ? "" : " [\(r.variant)]"
            let at = r.check.location.map { "\($0): " } ?? ""
            #expect(r.passed, "\(at)\(scenario.name)\(variant): \(r.message)")
        }
    }

    @Test("saves and loads back to an equal scenario", arguments: files)
    func roundTrip(file: String) throws {
        let scenario = try ScenarioLoader.parse(yaml: Self.text(file), file: file)
        let saved = ScenarioWriter.yaml(for: scenario)
        let reloaded = try ScenarioLoader.parse(yaml: saved, file: "saved-" + file)
        #expect(reloaded == scenario)
    }

    @Test("opens with its comment header: '# NAME: ...'", arguments: files)
    func header(file: String) throws {
        let name = String(file.dropLast(".yaml".count))
        let lines = try Self.text(file).split(separator: "\n", omittingEmptySubsequences: false)
        let first = try #require(lines.first)
        #expect(first.hasPrefix("# \(name): "), "\(file) must open with '# \(name): what it shows'")
        // The header is a block of comments before the first key.
        let header = lines.prefix { $0.hasPrefix("#") }
        #expect(header.count >= 5, "\(file): a header says what it shows, the history and what to watch for")
        let body = header.joined(separator: "\n")
        #expect(body.contains("What it shows") || body.contains("what it shows"), "\(file): header lacks 'What it shows'")
        #expect(body.contains("History"), "\(file): header lacks 'History'")
        #expect(body.contains("Watch for"), "\(file): header lacks 'Watch for'")
    }

    @Test("running twice gives the same kills and verdict", arguments: files)
    func deterministic(file: String) throws {
        let scenario = try ScenarioLoader.load(path: Self.folder + "/" + file)
        let a = ScenarioCheck.run(scenario, ticks: scenario.ticks)
        let b = ScenarioCheck.run(scenario, ticks: scenario.ticks)
        #expect(a.oomKills == b.oomKills)
        #expect(a.verdict == b.verdict)
        #expect(a.memory == b.memory)
    }

    @Test("a wrong expectation fails, located at its 'verdict' key")
    func wrongExpectationIsLocated() throws {
        let file = "xfs-kmem-alloc-loop.yaml"
        var lines = try Self.text(file).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // The `verdict:` of the top-level `expect` block (not an expect_with entry).
        let expectLine = try #require(lines.firstIndex(of: "expect:"))
        let index = try #require(lines[expectLine...].firstIndex { $0.hasPrefix("  verdict: ") })
        #expect(lines[index] == "  verdict: stall")
        lines[index] = "  verdict: ok"
        let scenario = try ScenarioLoader.parse(yaml: lines.joined(separator: "\n"), file: "wrong.yaml")

        let results = ScenarioCheck.run(scenario)
        let failed = results.filter { !$0.passed }
        #expect(failed.count == 1, "only the altered check fails: \(failed.map(\.message))")
        let miss = try #require(failed.first)
        #expect(miss.variant == "")
        #expect(miss.check.kind == .verdict(.ok))
        #expect(miss.check.location == SourceLocation(file: "wrong.yaml", line: index + 1, column: 3))
        #expect(miss.message.hasPrefix("expected verdict ok, got stall since 2.12 s: OOM victim postgres[1337] cannot exit"))
    }

    @Test("a wrong expect_with entry fails at its own line, under its overrides")
    func wrongConditionalExpectationIsLocated() throws {
        let file = "oom-reaper.yaml"
        var lines = try Self.text(file).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let setLine = try #require(lines.firstIndex(of: "  - set: {oom_reaper: off}"))
        let index = setLine + 1
        #expect(lines[index] == "    verdict: stall")
        lines[index] = "    verdict: recovered"
        let scenario = try ScenarioLoader.parse(yaml: lines.joined(separator: "\n"), file: "wrong.yaml")

        let failed = ScenarioCheck.run(scenario).filter { !$0.passed }
        #expect(failed.count == 1)
        let miss = try #require(failed.first)
        #expect(miss.variant == "oom_reaper=off")
        #expect(miss.check.location == SourceLocation(file: "wrong.yaml", line: index + 1, column: 5))
    }
}
