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
