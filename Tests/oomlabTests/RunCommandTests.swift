import Foundation
import Testing
import OOMLabKernel

@Suite("oomlab run, check, compare, presets: the binary, as scripts use it", .slow)
struct RunCommandTests {
    @Test("run with no scenario: parameters, log, verdict; exit 0")
    func defaultRun() throws {
        let r = try Binary.run(["run"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("oomlab run: xfs-kmem-alloc-loop\n"))
        #expect(r.stdout.contains("  policy.oom_invocation            direct\n"))
        #expect(r.stdout.contains("] XFS: possible memory allocation deadlock in kmem_alloc (mode:0x250)\n"))
        #expect(r.stdout.contains("\noutcome:\n      0.00 s  ok\n      2.12 s  stall (noticed at 7.12 s)\n  stalled 27.88 s; not recovered\n"))
        #expect(r.stdout.contains("\nverdict: stall since 2.12 s (tick 212): "))
        #expect(r.stdout.contains("): OOM victim postgres[1337] cannot exit: waits in mutex_lock for agf"))
        #expect(r.stderr.isEmpty, "progress only goes to a terminal")
    }

    @Test("an unknown --set key is a usage error with a suggestion (exit 64)")
    func badKey() throws {
        let r = try Binary.run(["run", "--set", "oom_reapr=on"])
        #expect(r.status == 64)
        #expect(r.stderr.hasPrefix("Error: unknown policy key 'oom_reapr'; did you mean 'oom_reaper'?\n"))
        #expect(r.stdout.isEmpty)
    }

    @Test("a bad --set value is a usage error naming what the key takes")
    func badValue() throws {
        let r = try Binary.run(["run", "--set", "era=2016"])
        #expect(r.status == 64)
        #expect(r.stderr.hasPrefix("Error: era takes 2015 or modern, not '2016'; did you mean '2015'?\n"))
        let typo = try Binary.run(["run", "--set", "oom_invocation=kswap"])
        #expect(typo.status == 64)
        #expect(typo.stderr.hasPrefix("Error: oom_invocation takes direct or kswapd, not 'kswap'; did you mean 'kswapd'?\n"))
    }

    @Test("an unknown preset is a usage error (exit 64) with a suggestion")
    func unknownPreset() throws {
        let r = try Binary.run(["run", "xfs-kmem-alloc-lop"])
        #expect(r.status == 64)
        #expect(r.stderr.hasPrefix("oomlab: error: no preset named 'xfs-kmem-alloc-lop' (looked in presets, "))
        #expect(r.stderr.hasSuffix("; did you mean 'xfs-kmem-alloc-loop'?\n"))
    }

    @Test("a broken file is reported compiler-style, nothing on stdout")
    func brokenFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("oomlab-test-\(getpid())-broken")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "machine:\n  ram: 64MiB\n  swapp: 0\n".write(to: dir.appendingPathComponent("b.yaml"), atomically: true, encoding: .utf8)
        let r = try Binary.run(["run", "b.yaml"], in: dir)
        #expect(r.status == 1)
        #expect(r.stderr == "b.yaml:3:3: error: unknown key 'swapp' in machine; did you mean 'swap'?\n")
        #expect(r.stdout.isEmpty)
    }

    @Test("json has the documented keys in order, and is the same bytes twice")
    func json() throws {
        let a = try Binary.run(["run", "--format", "json", "--ticks", "400"])
        let b = try Binary.run(["run", "--format", "json", "--ticks", "400"])
        #expect(a.status == 0)
        #expect(a.stdout == b.stdout)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(a.stdout.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["schema_version", "scenario", "seed", "ticks", "tick_ms", "policy", "verdict", "oom_kills", "events", "final", "tasks"])
        let order = ["\"schema_version\"", "\"scenario\"", "\"seed\"", "\"ticks\"", "\"tick_ms\"", "\"policy\"", "\"verdict\"", "\"oom_kills\"", "\"events\"", "\"final\"", "\"tasks\""]
            .map { a.stdout.range(of: $0)?.lowerBound }
        #expect(order.compactMap { $0 } == order.compactMap { $0 }.sorted())
        let final = try #require(object["final"] as? [String: Int])
        #expect(final["total"] == 65536)
        let kills = try #require(object["oom_kills"] as? [[String: Any]])
        #expect(kills.first?["name"] as? String == "postgres")
        #expect(kills.first?["invoked_by"] as? String == "journald")
        let verdict = try #require(object["verdict"] as? [String: Any])
        #expect(Array(verdict.keys).sorted() == ["history", "kind", "reason", "recovery_ms", "stalled_ms", "tick"])
    }

    /// The `verdict` object of `run --format json` with these arguments.
    static func verdict(_ args: [String]) throws -> [String: Any] {
        let r = try Binary.run(["run", "--format", "json"] + args)
        #expect(r.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        return try #require(object["verdict"] as? [String: Any])
    }

    static func kinds(_ verdict: [String: Any]) -> [String] {
        (verdict["history"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
    }

    @Test("json verdict follows the run: pending while the victim lives, stall once it cannot exit, recovered with the reaper")
    func jsonOutcome() throws {
        let early = try Self.verdict(["--ticks", "400"])
        #expect(early["kind"] as? String == "pending")
        #expect((early["reason"] as? String ?? "").contains("OOM victim postgres[1337] has had TIF_MEMDIE for 1.88 s"))
        #expect(early["recovery_ms"] is NSNull)

        let stalled = try Self.verdict(["--ticks", "3000"])
        #expect(stalled["kind"] as? String == "stall")
        #expect(stalled["tick"] as? Int == 212, "dated from the kill, when the victim was already stuck")
        #expect(Self.kinds(stalled) == ["ok", "stall"])
        #expect(stalled["stalled_ms"] as? Int == 27_880)

        let reaped = try Self.verdict(["--ticks", "3000", "--set", "oom_reaper=on"])
        #expect(reaped["kind"] as? String == "recovered")
        let kinds = Self.kinds(reaped)
        let pending = try #require(kinds.firstIndex(of: "pending"))
        #expect(kinds.lastIndex(of: "recovered").map { $0 > pending } == true)
        #expect(reaped["stalled_ms"] as? Int == 0)
        #expect((reaped["recovery_ms"] as? Int ?? 0) > 0)
    }

    @Test("csv: a header and one row per tick; pages add up to total")
    func csv() throws {
        let r = try Binary.run(["run", "--format", "csv", "--ticks", "50", "--set", "oom_reaper=on"])
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "tick,total,free,anon,page_tables,file_clean,file_dirty,writeback,slab_reclaimable,slab_unreclaimable,kernel,reservation_pool,swap_used,blocked,psi_some,psi_full")
        #expect(lines.count == 51)
        for line in lines.dropFirst() {
            let v = line.split(separator: ",").map { Double($0) ?? -1 }
            #expect(v[1] == v[2...11].reduce(0, +), "categories add up to total: \(line)")
        }
    }

    @Test("check passes the built-in preset and fails a wrong expectation at its line")
    func check() throws {
        let ok = try Binary.run(["check", "xfs-kmem-alloc-loop"])
        #expect(ok.status == 0)
        #expect(ok.stdout.hasSuffix("8 passed, 0 failed\n"))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("oomlab-test-\(getpid())-check")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = try String(contentsOf: Binary.packageRoot.appendingPathComponent("presets/xfs-kmem-alloc-loop.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "expect:\n  verdict: stall", with: "expect:\n  verdict: ok")
        try text.write(to: dir.appendingPathComponent("wrong.yaml"), atomically: true, encoding: .utf8)
        let bad = try Binary.run(["check", "wrong.yaml"], in: dir)
        #expect(bad.status == 1)
        let line = text.components(separatedBy: "\n").firstIndex(of: "  verdict: ok").map { $0 + 1 } ?? 0
        #expect(bad.stdout.contains("FAIL wrong.yaml:\(line):3: xfs-kmem-alloc-loop: expected verdict ok, got stall since 2.12 s: "))
    }

    @Test("compare: one row per policy change")
    func compare() throws {
        let r = try Binary.run(["compare", "--ticks", "1500"])
        #expect(r.status == 0)
        let rows = r.stdout.split(separator: "\n").map(String.init)
        #expect(rows.contains { $0.hasPrefix("baseline ") && $0.contains(" stall ") })
        #expect(rows.contains { $0.hasPrefix("oom_reaper=on ") && $0.contains(" recovered ") })
        #expect(rows.contains { $0.hasPrefix("reservations=on ") && $0.contains(" recovered ") })
        #expect(rows.contains { $0.hasPrefix("oom_invocation=kswapd ") && $0.contains(" stall ") })
    }

    @Test("compare reports the outcome: when trouble began, recovery, time stalled, kills; json rows carry run's verdict")
    func compareOutcome() throws {
        let r = try Binary.run(["compare", "victim-timeout", "--vary", "victim_timeout_ms"])
        #expect(r.status == 0)
        let rows = r.stdout.split(separator: "\n").map(String.init)
        #expect(rows.contains { $0.hasPrefix("policy ") && $0.contains(" began ") && $0.contains(" recovered ") && $0.contains(" kills ") })
        let baseline = try #require(rows.first { $0.hasPrefix("baseline ") })
        let cells = baseline.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        // baseline recovered 1.15s 1.15s postgres[1337] 10.20s 5.01s 3 ...
        #expect(cells[1] == "recovered")
        #expect(cells[2] == "1.15s")
        #expect(cells[5] == "10.20s", "recovered when the last victim went, not at the first kill")
        #expect(cells[6] == "5.01s", "five seconds of a victim that could not exit are a stall, even with a 5 s timeout")
        #expect(cells[7] == "3")

        let json = try Binary.run(["compare", "victim-timeout", "--vary", "victim_timeout_ms", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let first = try #require((object["rows"] as? [[String: Any]])?.first)
        let verdict = try #require(first["verdict"] as? [String: Any])
        #expect(verdict["stalled_ms"] as? Int == 5010)
        #expect((first["oom_kills"] as? [[String: Any]])?.map { $0["name"] as? String } == ["postgres", "nginx", "journald"])
    }

    @Test("run --save-as writes a file that loads back to the same run, and never overwrites")
    func saveAs() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("oomlab-test-\(getpid())-save")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = try Binary.run(["run", "--set", "oom_reaper=on", "--ticks", "600", "--save-as", "mine.yaml", "--format", "json"], in: dir)
        #expect(first.status == 0)
        let again = try Binary.run(["run", "mine.yaml", "--format", "json"], in: dir)
        #expect(again.stdout == first.stdout)
        let refused = try Binary.run(["run", "--save-as", "mine.yaml", "--ticks", "1"], in: dir)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("already exists"))
    }
}

@Suite("The README tells the truth", .slow)
struct ReadmeTests {
    @Test("the README's compare table is what oomlab compare prints (scripts/update-readme-snippets.py)")
    func readmeCompare() throws {
        let readme = try String(contentsOf: Binary.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let r = try Binary.run(["compare"])
        #expect(r.status == 0)
        #expect(readme.contains("```\n" + r.stdout), "stale README: run scripts/update-readme-snippets.py")
    }
}
