import Foundation
import Testing
import OOMLabKernel

/// Sessions from the command line: `run` and `check` replay a timeline,
/// `compare --from` forks at a tick.
@Suite("oomlab run, check, compare on sessions", .slow)
struct SessionCommandTests {
    /// The shipped 2015 XFS preset with the reaper flipped on at tick 300.
    static func session(in dir: URL, _ timeline: String = "timeline:\n  - {tick: 300, set: {oom_reaper: on}}\nat: 300\n") throws -> String {
        let preset = try String(contentsOf: Binary.packageRoot.appendingPathComponent("presets/xfs-kmem-alloc-loop.yaml"), encoding: .utf8)
        try (preset + timeline).write(to: dir.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        return "s.yaml"
    }

    static func folder(_ name: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("oomlab-test-\(getpid())-\(name)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test("run SESSION --format json shows the switch at tick 300 and ends recovered")
    func runJSON() throws {
        let dir = try Self.folder("session-json")
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try Binary.run(["run", try Self.session(in: dir), "--format", "json"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let events = try #require(object["events"] as? [[String: Any]])
        let switches = events.filter { ($0["text"] as? String)?.hasPrefix("oomlab: policy") == true }
        #expect(switches.count == 1)
        #expect(switches.first?["tick"] as? Int == 300)
        #expect(switches.first?["text"] as? String == "oomlab: policy oom_reaper: off -> on")
        let ticks = events.compactMap { $0["tick"] as? Int }
        #expect(ticks == ticks.sorted(), "events in tick order")
        #expect((object["verdict"] as? [String: Any])?["kind"] as? String == "recovered")
        #expect((object["policy"] as? [String: Any])?["oom_reaper"] as? String == "on")
    }

    @Test("run SESSION as text prints the action at its time; a bad pid names its line")
    func runText() throws {
        let dir = try Self.folder("session-text")
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try Binary.run(["run", try Self.session(in: dir)], in: dir)
        #expect(r.status == 0)
        #expect(r.stdout.contains("[    3.000000] oomlab: policy oom_reaper: off -> on\n"))
        let lines = try String(contentsOf: Binary.packageRoot.appendingPathComponent("presets/xfs-kmem-alloc-loop.yaml"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).count
        let bad = try Binary.run(["run", try Self.session(in: dir, "timeline:\n  - {tick: 300, kill: 4242}\n")], in: dir)
        #expect(bad.status == 1)
        #expect(bad.stderr == "s.yaml:\(lines + 1):23: error: kill at tick 300: no live task with pid 4242 at that tick\n")
        #expect(bad.stdout.isEmpty)
    }

    @Test("check SESSION judges the replayed run: the reaper at 300 breaks 'verdict: stall'")
    func check() throws {
        let dir = try Self.folder("session-check")
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try Binary.run(["check", try Self.session(in: dir)], in: dir)
        #expect(r.status == 1)
        #expect(r.stdout.contains("xfs-kmem-alloc-loop: expected verdict stall, got recovered at "))
        #expect(r.stdout.contains("ok   xfs-kmem-alloc-loop [oom_reaper=on]: verdict recovered\n"))
    }

    @Test("compare --from forks at the tick: the baseline stalls, the reaper turned on there recovers")
    func compareFrom() throws {
        let r = try Binary.run(["compare", "--from", "300", "--vary", "oom_reaper", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["from"] as? Int == 300)
        let rows = try #require(object["rows"] as? [[String: Any]])
        #expect(rows.map { $0["variant"] as? String } == ["baseline", "oom_reaper=on"])
        #expect(rows.map { ($0["verdict"] as? [String: Any])?["kind"] as? String } == ["stall", "recovered"])
        // Both rows share the past: the OOM kill before tick 300 is the same.
        let kills = rows.map { (($0["oom_kills"] as? [[String: Any]])?.first)?["tick"] as? Int }
        #expect(kills[0] != nil && kills[0] == kills[1] && kills[0]! <= 300)

        let text = try Binary.run(["compare", "--from", "300", "--vary", "oom_reaper"])
        #expect(text.stdout.hasPrefix("xfs-kmem-alloc-loop: 3000 ticks, forked at tick 300 (3.00s); baseline "))
        let late = try Binary.run(["compare", "--from", "5000"])
        #expect(late.status == 1)
        #expect(late.stderr == "oomlab: --from 5000 is past the end of the run (3000 ticks); raise --ticks\n")
    }
}
