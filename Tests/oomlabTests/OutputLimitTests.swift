import Foundation
import Testing
import OOMLabKernel

/// Issue 14, class 7 (floods): a few lines of scenario must not write
/// without bound. 500 allocating tasks on 64 MiB: every OOM report lists
/// all 500 (dump_tasks), about 45 KiB of text, and oom_rs lets ten through
/// per 5 s, one a tick from tick 1. `--max-output` stops the run (exit 3) with a message
/// that says where; JSON prints nothing rather than half an object.
@Suite("oomlab run --max-output: floods stop, say so, exit 3", .slow)
struct OutputLimitTests {
    static let flood = "ticks: 15\nmachine: {ram: 64MiB, swap: 0}\n"
        + "tasks: [{pid: 100, name: t, count: 500, program: [{repeat: forever, body: [{alloc: 64KiB}]}]}]\n"

    func inFolder(_ body: (URL) throws -> Void) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("oomlab-flood-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.flood.write(to: dir.appendingPathComponent("flood.yaml"), atomically: true, encoding: .utf8)
        try body(dir)
    }

    @Test("text: stdout stops after the tick that passed the limit; exit 3; the message names the limit and the tick")
    func text() throws {
        try inFolder { dir in
            let whole = try Binary.run(["run", "flood.yaml", "--max-output", "unlimited"], in: dir)
            #expect(whole.status == 0)
            #expect(whole.stdout.utf8.count > 256 << 10, "the flood is real: \(whole.stdout.utf8.count) bytes")
            let r = try Binary.run(["run", "flood.yaml", "--max-output", "64KiB"], in: dir)
            #expect(r.status == 3)
            #expect(r.stdout.utf8.count > 64 << 10)
            // One tick past the limit at most: a tick here prints one report.
            #expect(r.stdout.utf8.count < 160 << 10, "\(r.stdout.utf8.count) bytes")
            #expect(whole.stdout.hasPrefix(r.stdout), "what was printed is the run's own trace, cut at a tick")
            #expect(!r.stdout.contains("\nverdict:"), "no verdict for a run that did not end")
            let message = try #require(r.stderr.split(separator: "\n").last.map(String.init))
            #expect(message.hasPrefix("oomlab: error: the trace passed --max-output 64KiB at tick "))
            #expect(message.hasSuffix(" of 15; stdout ends there. Each OOM report lists all 500 tasks; "
                                      + "run fewer --ticks, or raise --max-output (unlimited lifts it)"), "\(message)")
        }
    }

    @Test("a small scenario's message starts its advice as a sentence")
    func fewTasks() throws {
        let r = try Binary.run(["run", "--max-output", "1KiB"])
        #expect(r.status == 3)
        #expect(r.stderr.hasSuffix("; stdout ends there. Run fewer --ticks, or raise --max-output (unlimited lifts it)\n"), "\(r.stderr)")
    }

    @Test("json: nothing on stdout, exit 3; under the limit the same object as without one")
    func json() throws {
        try inFolder { dir in
            let r = try Binary.run(["run", "flood.yaml", "--format", "json", "--max-output", "64KiB"], in: dir)
            #expect(r.status == 3)
            #expect(r.stdout.isEmpty)
            #expect(r.stderr.contains("--max-output 64KiB at tick ") && r.stderr.contains("; nothing was printed. "))
            let small = try Binary.run(["run", "flood.yaml", "--format", "json", "--ticks", "2", "--max-output", "64MiB"], in: dir)
            let free = try Binary.run(["run", "flood.yaml", "--format", "json", "--ticks", "2"], in: dir)
            #expect(small.status == 0 && small.stdout == free.stdout && !free.stdout.isEmpty)
        }
    }

    @Test("compare: past --max-output it prints nothing and exits 3; under it the same output as without one")
    func compare() throws {
        try inFolder { dir in
            let whole = try Binary.run(["compare", "flood.yaml", "--vary", "oom_reaper", "--format", "json"], in: dir)
            #expect(whole.status == 0 && whole.stdout.utf8.count > 4 << 10, "\(whole.stdout.utf8.count) bytes")
            let r = try Binary.run(["compare", "flood.yaml", "--vary", "oom_reaper", "--format", "json", "--max-output", "4KiB"], in: dir)
            #expect(r.status == 3)
            #expect(r.stdout.isEmpty)
            #expect(r.stderr.contains("oomlab: error: the comparison is \(whole.stdout.utf8.count) bytes, past --max-output 4KiB; "
                                      + "nothing was printed. Raise --max-output (unlimited lifts it)"), "\(r.stderr)")
            let big = try Binary.run(["compare", "flood.yaml", "--vary", "oom_reaper", "--format", "json", "--max-output", "1MiB"], in: dir)
            #expect(big.status == 0 && big.stdout == whole.stdout)
            let bad = try Binary.run(["compare", "flood.yaml", "--max-output", "lots"], in: dir)
            #expect(bad.status == 64)
        }
    }

    @Test("a bad --max-output is a usage error that says what it takes")
    func badValue() throws {
        for bad in ["100", "0MiB", "lots", "99999999999PiB"] {
            let r = try Binary.run(["run", "--max-output", bad, "--ticks", "1"])
            #expect(r.status == 64, "\(bad)")
            #expect(r.stderr.contains("--max-output takes a size with a unit (64MiB, 1GiB; B, KiB, MiB, GiB, TiB, PiB) or unlimited; not '\(bad)'"), "\(r.stderr)")
        }
    }
}
