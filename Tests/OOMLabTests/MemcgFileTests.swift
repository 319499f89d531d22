import Testing
@testable import OOMLabKernel

@Suite("cgroup paths and the memory controller's files (docs/memcg.md §12)")
struct MemcgFileTests {
    /// The error's text as the user sees it.
    func message(_ body: () throws -> Void) -> String {
        do { try body() } catch { return String(describing: error) }
        return "no error"
    }

    @Test("paths: root, nested, trailing slash; located errors for the rest")
    func paths() throws {
        let at = SourceLocation(file: "s.yaml", line: 3, column: 11)
        #expect(try CgroupPath.parse("/", at: at) == .root)
        let p = try CgroupPath.parse("/kubepods/pod1/", at: at)
        #expect(p.components == ["kubepods", "pod1"] && p.description == "/kubepods/pod1")
        #expect(p.parent?.description == "/kubepods" && p.name == "pod1")
        #expect(p.isDescendant(of: .root) && p.isDescendant(of: p) && !(p.parent ?? .root).isDescendant(of: p))
        #expect(message { _ = try CgroupPath.parse("kubepods", at: at) }
                == "s.yaml:3:11: error: a cgroup path starts with '/' (the root of the hierarchy), as in '/kubepods/pod1'; got 'kubepods'")
        #expect(message { _ = try CgroupPath.parse("/a//b", at: at) }
                == "s.yaml:3:14: error: empty cgroup name in the path (two '/' in a row)")
        #expect(message { _ = try CgroupPath.parse("/a/../b", at: at) } == "s.yaml:3:14: error: a cgroup cannot be named '..'")
        #expect(message { _ = try CgroupPath.parse("/a/b\u{1b}[2J", at: at) } == "s.yaml:3:14: error: control character in a cgroup name")
        #expect(message { _ = try CgroupPath.parse("/" + String(repeating: "x", count: 256), at: at) }
                == "s.yaml:3:12: error: cgroup name longer than 255 bytes (NAME_MAX)")
        #expect(p.appending("ctr")?.description == "/kubepods/pod1/ctr" && p.appending("a/b") == nil)
    }

    @Test("memory.max and friends: 'max' or bytes, in pages; v1's unlimited value is PAGE_COUNTER_MAX")
    func limits() throws {
        #expect(try CgroupFiles.limit("max\n", file: "memory.max") == PageCounter.max)
        #expect(try CgroupFiles.limit("infinity\n", file: "memory.max") == PageCounter.max, "4.0's spelling")
        #expect(try CgroupFiles.limit("104857600\n", file: "memory.max") == 25_600)
        #expect(try CgroupFiles.limit("4097", file: "memory.max") == 1, "rounded down to whole pages")
        #expect(try CgroupFiles.limit("9223372036854771712\n", file: "memory.limit_in_bytes") == PageCounter.max)
        #expect(try CgroupFiles.limit("9223372036854775807\n", file: "memory.limit_in_bytes") == PageCounter.max)
        #expect(try CgroupFiles.bytes("8192\n", file: "memory.current") == 2)
        #expect(message { _ = try CgroupFiles.limit("18446744073709551615\n", file: "memory.max") }
                == "memory.max:1:1: error: 18446744073709551615 bytes is out of range (more than PAGE_COUNTER_MAX, 2251799813685247 pages)")
        #expect(message { _ = try CgroupFiles.limit("99999999999999999999999\n", file: "memory.max") }
                == "memory.max:1:1: error: 99999999999999999999999 bytes is out of range (more than PAGE_COUNTER_MAX, 2251799813685247 pages)")
        #expect(message { _ = try CgroupFiles.limit("-1\n", file: "memory.max") }
                == "memory.max:1:1: error: expected 'max' or a byte count, got '-1'")
        #expect(message { _ = try CgroupFiles.bytes("max\n", file: "memory.current") }
                == "memory.current:1:1: error: expected a byte count, got 'max'")
        #expect(message { _ = try CgroupFiles.limit("12 \n", file: "memory.max") }
                == "memory.max:1:3: error: unexpected whitespace in '12 '")
        #expect(message { _ = try CgroupFiles.limit("", file: "memory.max") } == "memory.max:1:1: error: empty file, expected one value")
        #expect(message { _ = try CgroupFiles.limit("1\n2\n", file: "memory.max") } == "memory.max:2:1: error: expected one line, found 2")
        #expect(try CgroupFiles.flag("1\n", file: "memory.oom.group"))
        #expect(message { _ = try CgroupFiles.flag("2\n", file: "memory.oom.group") }
                == "memory.oom.group:1:1: error: expected 0 or 1, got '2'")
    }

    @Test("memory.events: known keys read, newer keys skipped, bad lines located")
    func events() throws {
        let text = "low 1\nhigh 22\nmax 333\noom 4\noom_kill 5\noom_group_kill 6\nsock_throttled 7\n"
        let e = try CgroupFiles.events(text, file: "memory.events")
        #expect(e == MemoryEvents(low: 1, high: 22, max: 333, oom: 4, oomKill: 5, oomGroupKill: 6))
        let old = try CgroupFiles.events("low 0\nhigh 0\nmax 9\noom 2\n", file: "memory.events")
        #expect(old.max == 9 && old.oomKill == 0, "a 4.x file without oom_kill")
        #expect(try CgroupFiles.events(e.fileText, file: "x") == e, "what the model prints reads back")
        #expect(message { _ = try CgroupFiles.events("low 0\nlow 1\n", file: "memory.events") }
                == "memory.events:2:1: error: 'low' appears twice")
        #expect(message { _ = try CgroupFiles.events("low 0\noom x\n", file: "memory.events") }
                == "memory.events:2:5: error: expected a decimal count, got 'x'")
        #expect(message { _ = try CgroupFiles.events("max 99999999999999999999\n", file: "memory.events") }
                == "memory.events:1:5: error: count 99999999999999999999 is out of range (more than 9223372036854775807)")
        #expect(message { _ = try CgroupFiles.events("max  1\n", file: "memory.events") }
                == "memory.events:1:1: error: expected 'key count', got 'max  1'")
    }

    @Test("v1 memory.oom_control")
    func oomControl() throws {
        let c = try CgroupFiles.oomControl("oom_kill_disable 1\nunder_oom 0\noom_kill 3\n", file: "memory.oom_control")
        #expect(c == CgroupFiles.OOMControl(oomKillDisable: true, underOOM: false, oomKill: 3))
        #expect(try CgroupFiles.oomControl("oom_kill_disable 0\nunder_oom 1\n", file: "f").oomKill == nil)
        #expect(message { _ = try CgroupFiles.oomControl("oom_kill_disable 2\nunder_oom 0\n", file: "f") }
                == "f:1:18: error: oom_kill_disable is 0 or 1, got 2")
        #expect(message { _ = try CgroupFiles.oomControl("under_oom 0\n", file: "f") } == "f:1:1: error: no 'oom_kill_disable' line")
    }

    @Test("/proc/PID/cgroup: the v2 path and v1's memory controller path")
    func procCgroup() throws {
        let v2 = try CgroupFiles.procCgroup("0::/user.slice/user-1000.slice/session-2.scope\n", file: "cgroup")
        #expect(v2.unified?.description == "/user.slice/user-1000.slice/session-2.scope" && v2.memoryV1 == nil)
        let v1 = try CgroupFiles.procCgroup("12:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc\n1:name=systemd:/init.scope\n",
                                            file: "cgroup")
        #expect(v1.memoryV1?.description == "/docker/abc" && v1.unified == nil)
        #expect(message { _ = try CgroupFiles.procCgroup("0::relative\n", file: "cgroup") }
                == "cgroup:1:4: error: a cgroup path starts with '/' (the root of the hierarchy), as in '/kubepods/pod1'; got 'relative'")
        #expect(message { _ = try CgroupFiles.procCgroup("x:memory:/a\n", file: "cgroup") }
                == "cgroup:1:1: error: expected 'hierarchy-ID:controllers:path', got 'x:memory:/a'")
    }
}

@Suite("kubelet QoS oom_score_adj (docs/memcg.md §11)")
struct KubeletQoSTests {
    let gib = 1 << 30

    @Test("Guaranteed -997, BestEffort 1000, node-critical -997")
    func fixedClasses() {
        #expect(KubeletOOMScoreAdj.forContainer(qos: .guaranteed, memoryRequestBytes: gib, memoryCapacityBytes: 8 * gib) == -997)
        #expect(KubeletOOMScoreAdj.forContainer(qos: .bestEffort, memoryRequestBytes: 0, memoryCapacityBytes: 8 * gib) == 1000)
        #expect(KubeletOOMScoreAdj.forContainer(qos: .bestEffort, memoryRequestBytes: 0, memoryCapacityBytes: 8 * gib,
                                                nodeCritical: true) == -997)
    }

    @Test("Burstable: 1000 - 1000*request/capacity, within [3, 999]", arguments: [
        (10, 100, 900), (50, 100, 500), (1, 3, 667), (0, 100, 999), (1, 1000, 999),
        (997, 1000, 3), (998, 1000, 3), (1000, 1000, 3), (5000, 1000, 3), (996, 1000, 4),
    ] as [(Int, Int, Int)])
    func burstable(request: Int, capacity: Int, adj: Int) {
        #expect(KubeletOOMScoreAdj.forContainer(qos: .burstable, memoryRequestBytes: request * gib,
                                                memoryCapacityBytes: capacity * gib) == adj)
    }

    @Test("no capacity or a negative request is no answer; huge requests do not trap")
    func bad() {
        #expect(KubeletOOMScoreAdj.forContainer(qos: .burstable, memoryRequestBytes: 1, memoryCapacityBytes: 0) == nil)
        #expect(KubeletOOMScoreAdj.forContainer(qos: .burstable, memoryRequestBytes: -1, memoryCapacityBytes: 10) == nil)
        #expect(KubeletOOMScoreAdj.forContainer(qos: .burstable, memoryRequestBytes: Int.max, memoryCapacityBytes: 1) == 3)
        #expect(KubeletOOMScoreAdj.forContainer(qos: .burstable, memoryRequestBytes: Int.max / 2,
                                                memoryCapacityBytes: Int.max) == 501)
    }
}
