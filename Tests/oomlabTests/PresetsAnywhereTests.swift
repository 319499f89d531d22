import Foundation
import Testing
import OOMLabKernel

/// The binary run from a folder with no presets/ (issue 13, "Done means"):
/// the built-in presets and lessons, the user's folder, did-you-mean, the
/// exit codes, and `schema_version` in every JSON output.
@Suite("Presets from anywhere, exit codes and JSON schema: the binary from /tmp", .slow)
struct PresetsAnywhereTests {
    let folder: URL
    let data: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("oomlab-anywhere-\(UUID().uuidString)")
        data = folder.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
    }

    func run(_ args: [String], data: Bool = false) throws -> Binary.Result {
        try Binary.run(args, in: folder, environment: data ? ["XDG_DATA_HOME": self.data.path] : [:])
    }

    @Test("presets, run, check, compare and lessons work with no ./presets")
    func builtins() throws {
        let list = try run(["presets"])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains("xfs-kmem-alloc-loop        built-in  era=2015 oom=direct reaper=off resv=off"))
        #expect(list.stdout.split(separator: "\n").count == ShippedPresetCount.value, "one line per file in presets/")
        let r = try run(["run", "xfs-kmem-alloc-loop", "--ticks", "8s"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("oomlab run: xfs-kmem-alloc-loop\n"))
        #expect(r.stdout.contains("\nverdict: stall since 2.12 s (tick 212): "))
        #expect(r.stderr.isEmpty)
        let check = try run(["check", "oom-reaper", "simple-leak"])
        #expect(check.status == 0, "\(check.stdout)")
        #expect(check.stdout.hasSuffix(" passed, 0 failed\n"))
        let compare = try run(["compare", "oom-reaper", "--vary", "oom_reaper", "--ticks", "10s"])
        #expect(compare.status == 0)
        #expect(compare.stdout.hasPrefix("oom-reaper: 1000 ticks; baseline "))
        #expect(compare.stderr.isEmpty, "no progress when stderr is not a terminal")
        let lessons = try run(["lessons"])
        #expect(lessons.status == 0)
        #expect(lessons.stdout.contains("tif-memdie-2015 "))
    }

    @Test("a mistyped preset or command: did you mean, exit 64")
    func didYouMean() throws {
        let r = try run(["run", "xfs-kmem-aloc-loop"])
        #expect(r.status == 64)
        #expect(r.stderr.hasPrefix("oomlab: error: no preset named 'xfs-kmem-aloc-loop' (looked in presets, "))
        #expect(r.stderr.hasSuffix("builtin:presets); did you mean 'xfs-kmem-alloc-loop'?\n"))
        #expect(r.stdout.isEmpty)
        let command = try run(["rnu"])
        #expect(command.status == 64)
        #expect(command.stderr == "oomlab: error: unknown command or preset 'rnu'; did you mean 'run'?\n")
        let ticks = try run(["run", "--ticks", "99999999999h"])
        #expect(ticks.status == 64)
        #expect(ticks.stderr.hasPrefix("Error: --ticks must be between 0 and 100000000 ticks (1000000 s); '99999999999h' is out of range\n"))
    }

    @Test("a user preset shadows the built-in with a note; a broken one is listed with its located error")
    func userPresets() throws {
        let presets = data.appendingPathComponent("oomlab/presets")
        try FileManager.default.createDirectory(at: presets, withIntermediateDirectories: true)
        try "description: my leak\nmachine: {ram: 64MiB}\nticks: 10\n".write(to: presets.appendingPathComponent("simple-leak.yaml"),
                                                                           atomically: true, encoding: .utf8)
        try "machine: {ram: 1MiB, swapp: 0}\n".write(to: presets.appendingPathComponent("broken.yaml"), atomically: true, encoding: .utf8)
        let list = try run(["presets"], data: true)
        #expect(list.status == 1)
        #expect(list.stdout.contains("simple-leak                \(presets.path) (shadows built-in)  era=2015"))
        #expect(list.stdout.contains("my leak\n"))
        let from = presets.path.padding(toLength: presets.path.count + " (shadows built-in)".count, withPad: " ", startingAt: 0)
        #expect(list.stdout.contains("broken                     \(from)  (does not load: \(presets.path)/broken.yaml:1:22: error: unknown key 'swapp' in machine; did you mean 'swap'?)\n"))
        let r = try run(["run", "simple-leak"], data: true)
        #expect(r.status == 0)
        #expect(r.stderr == "oomlab: note: preset 'simple-leak' is \(presets.path)/simple-leak.yaml, which shadows the built-in one"
                + " (run that as builtin:presets/simple-leak.yaml)\n")
        let builtin = try run(["run", "builtin:presets/simple-leak.yaml", "--ticks", "1"], data: true)
        #expect(builtin.status == 0 && builtin.stderr.isEmpty)
        let json = try run(["presets", "--format", "json"], data: true)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let entries = try #require(object["presets"] as? [[String: Any]])
        let leak = try #require(entries.first { $0["name"] as? String == "simple-leak" })
        #expect(leak["from"] as? String == presets.path)
        #expect(leak["shadows"] as? [String] == ["builtin:presets/simple-leak.yaml"])
        #expect(leak["same_as_builtin"] as? Bool == false)
        #expect((entries.first { $0["name"] as? String == "broken" }?["error"] as? String)?.hasSuffix("did you mean 'swap'?") == true)
    }

    @Test("every --format json starts with schema_version 1")
    func schemaVersion() throws {
        let fixture = Binary.packageRoot.appendingPathComponent("Tests/OOMLabTests/Fixtures/oom-reports/027-stress-ng-6.11-qemu-adj1000.txt").path
        for args in [["run", "simple-leak", "--ticks", "50", "--format", "json"], ["compare", "simple-leak", "--ticks", "50", "--format", "json"],
                     ["presets", "--format", "json"], ["explain-report", fixture, "--format", "json"],
                     ["check", "simple-leak", "--format", "json"], ["lessons", "--format", "json"]] {
            let r = try run(args)
            #expect(r.status == 0, "\(args): \(r.stderr)")
            #expect(r.stdout.hasPrefix("{\n  \"schema_version\": 1,\n"), "\(args)")
            let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
            #expect(object?["schema_version"] as? Int == 1, "\(args)")
        }
    }

    @Test("check --format json: one object per check, a load failure included, the counts and exit 1")
    func checkJSON() throws {
        let r = try run(["check", "simple-leak", "nosuch", "--format", "json"])
        #expect(r.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let checks = try #require(object["checks"] as? [[String: Any]])
        let text = try run(["check", "simple-leak", "nosuch"])
        let lines = text.stdout.split(separator: "\n")
        #expect(checks.count == lines.count - 1, "one per text line but the total")
        #expect(object["failed"] as? Int == 1)
        #expect(object["passed"] as? Int == checks.count - 1)
        let failed = try #require(checks.last)
        #expect(failed["target"] as? String == "nosuch" && failed["passed"] as? Bool == false && failed["scenario"] is NSNull)
        #expect((failed["message"] as? String)?.hasPrefix("error: no preset named 'nosuch'") == true)
    }
}
