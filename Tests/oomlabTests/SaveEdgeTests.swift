import Foundation
import Testing
import OOMLabKernel

/// The edges of `run --save-as`: a signal mid-save leaves no temporary file,
/// `--ticks 0` saves a file that loads, and `--force` onto a commented file
/// names the option that allows it.
@Suite("Saving: signals, --ticks 0, commented files", .slow)
struct SaveEdgeTests {
    let dir: URL
    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("oomlab-save-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    func files() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() }

    @Test("a signal between writing and placing the file removes the temporary file", arguments: [SIGINT, SIGTERM, SIGHUP])
    func signalMidSave(_ sig: Int32) throws {
        for force in [false, true] {
            if force { try "name: old\n".write(to: dir.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8) }
            let r = try Binary.run(["run", "--ticks", "1", "--save-as", "s.yaml"] + (force ? ["--force"] : []), in: dir,
                                   environment: ["OOMLAB_TEST_SIGNAL_DURING_SAVE": String(sig)], timeout: 60)
            #expect(r.status == sig, "killed by the signal, as without a save in progress")
            #expect(try files() == (force ? ["s.yaml"] : []), "no .s.yaml.*.tmp left")
            if force {
                #expect(try String(contentsOf: dir.appendingPathComponent("s.yaml"), encoding: .utf8) == "name: old\n")
            }
        }
    }

    @Test("--ticks 0 --save-as writes a file that runs")
    func zeroTicks() throws {
        let r = try Binary.run(["run", "--ticks", "0", "--save-as", "z.yaml"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("verdict: ok"))
        let again = try Binary.run(["run", "z.yaml"], in: dir)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try String(contentsOf: dir.appendingPathComponent("z.yaml"), encoding: .utf8).contains("ticks: 0\n"))
    }

    @Test("--save-as with options that change the run leaves out the expect checks that no longer hold, and says which")
    func checksThatNoLongerHold() throws {
        // With the reaper on, the preset's own stall and its lone victim no
        // longer hold; its first kill by tick 300 and the variants' recoveries do.
        let r = try Binary.run(["run", "xfs-kmem-alloc-loop", "--set", "oom_reaper=on", "--save-as", "r.yaml"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first == "oomlab: saved r.yaml")
        #expect(lines.dropFirst().first == "oomlab: left out 4 expect checks that no longer hold with these options (oomlab check would fail them):")
        #expect(lines.filter { $0.hasPrefix("  expected verdict stall, got recovered") }.count == 1)
        #expect(lines.filter { $0.hasPrefix("  [oom_invocation=kswapd] expected OOM kills [postgres], got postgres[1337]") }.count == 1)
        let check = try Binary.run(["check", "r.yaml"], in: dir)
        #expect(check.status == 0, "\(check.stdout)")
        #expect(check.stdout.hasSuffix("4 passed, 0 failed\n"))
        // Unchanged, every check holds and none is left out.
        let same = try Binary.run(["run", "xfs-kmem-alloc-loop", "--save-as", "same.yaml"], in: dir)
        #expect(same.stderr == "oomlab: saved same.yaml\n")
        #expect(try Binary.run(["check", "same.yaml"], in: dir).stdout.hasSuffix("8 passed, 0 failed\n"))
    }

    @Test("--force onto a commented file names --discard-comments, which then replaces it")
    func commented() throws {
        let path = dir.appendingPathComponent("c.yaml")
        let original = "# my notes\nmachine: {ram: 64MiB}\ntasks: []\n"
        try original.write(to: path, atomically: true, encoding: .utf8)
        let r = try Binary.run(["run", "--ticks", "1", "--save-as", "c.yaml", "--force"], in: dir)
        #expect(r.status == 1)
        #expect(r.stderr == "oomlab: error: 'c.yaml' has comments that saving would discard; "
                + "save under a new name, or add --discard-comments to replace it anyway\n")
        #expect(try String(contentsOf: path, encoding: .utf8) == original)
        let d = try Binary.run(["run", "--ticks", "1", "--save-as", "c.yaml", "--force", "--discard-comments"], in: dir)
        #expect(d.status == 0, "\(d.stderr)")
        #expect(try String(contentsOf: path, encoding: .utf8) != original)
        #expect(try files() == ["c.yaml"])
    }
}

@Suite("A long run says so", .slow)
struct LongRunTests {
    @Test("more than 10^8 task-ticks: a note on stderr before the run starts; a short run has none")
    func note() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("oomlab-long-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "machine: {ram: 64GiB}\ntasks: [{pid: 10, name: t, count: 100000, program: [{repeat: forever, body: [{alloc: 4KiB}, {free: all}]}]}]\n"
            .write(to: dir.appendingPathComponent("many.yaml"), atomically: true, encoding: .utf8)
        // Killed after a few seconds: only the note matters, not the run.
        let long = try Binary.run(["run", "many.yaml", "--ticks", "1001"], in: dir, timeout: 15)
        #expect(long.stderr.hasPrefix("oomlab: note: 100000 tasks for 1001 ticks (100100000 task-ticks) may take minutes; "
                                      + "--ticks N runs fewer\n"), "\(long.stderr)")
        let short = try Binary.run(["run", "many.yaml", "--ticks", "1"], in: dir, timeout: 120)
        #expect(!short.stderr.contains("note:"))
    }
}
