import Foundation
import Testing
@testable import OOMLab
@testable import OOMLabKernel

/// `oomlab snapshot`'s cgroup reader on fake /sys/fs/cgroup and /proc
/// trees in a temporary folder: v2, v1, processes placed in their
/// cgroups, and located errors for what the kernel would not print.
@Suite("Snapshot of /sys/fs/cgroup and /proc/PID/cgroup")
struct CgroupSnapshotTests {
    /// Writes `files` (path relative to the folder -> text), creating folders.
    func tree(_ files: [String: String]) throws -> TemporaryFolder {
        let t = try TemporaryFolder()
        for (path, text) in files {
            let full = t.path + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: false, encoding: .utf8)
        }
        return t
    }

    static let v2: [String: String] = [
        "sys/cgroup.controllers": "cpuset cpu io memory pids\n",
        "sys/kubepods/memory.max": "4294967296\n",
        "sys/kubepods/memory.current": "1073741824\n",
        "sys/kubepods/pod-a/memory.max": "1073741824\n",
        "sys/kubepods/pod-a/memory.high": "966367641\n",
        "sys/kubepods/pod-a/memory.low": "268435456\n",
        "sys/kubepods/pod-a/memory.min": "0\n",
        "sys/kubepods/pod-a/memory.swap.max": "max\n",
        "sys/kubepods/pod-a/memory.oom.group": "1\n",
        "sys/kubepods/pod-a/memory.current": "536870912\n",
        "sys/kubepods/pod-a/memory.events": "low 0\nhigh 12\nmax 3\noom 1\noom_kill 1\noom_group_kill 0\n",
        "sys/system.slice/memory.max": "max\n",
        "proc/100/cgroup": "0::/kubepods/pod-a\n",
        "proc/200/cgroup": "0::/system.slice\n",
        "proc/300/cgroup": "0::/\n",
    ]

    @Test("v2: every cgroup's files in pages, memory.events, each process in its cgroup")
    func readsV2() throws {
        let t = try tree(Self.v2)
        let s = try #require(try CgroupReader.read(sys: t.path + "/sys", proc: t.path + "/proc", pids: [100, 200, 300, 400]))
        #expect(s.version == .v2)
        #expect(s.groups.map(\.path.description) == ["/kubepods", "/kubepods/pod-a", "/system.slice"])
        let pod = s.groups[1]
        #expect(pod.spec.max == 262_144 && pod.spec.high == 235_929 && pod.spec.low == 65_536 && pod.spec.min == 0)
        #expect(pod.spec.swapMax == PageCounter.max && pod.spec.oomGroup)
        #expect(pod.currentPages == 131_072)
        #expect(pod.events?[.high] == 12 && pod.events?[.max] == 3 && pod.events?[.oomKill] == 1)
        #expect(s.groups[2].spec.max == PageCounter.max && s.groups[2].events == nil)
        #expect(s.taskCgroups[100]?.description == "/kubepods/pod-a" && s.taskCgroups[200]?.description == "/system.slice")
        #expect(s.taskCgroups[300] == .root && s.taskCgroups[400] == nil)   // 400 has exited
    }

    @Test("v1 where only the memory hierarchy is mounted: memory.limit_in_bytes, oom_control, the memory line")
    func readsV1() throws {
        let t = try tree([
            "sys/memory/memory.limit_in_bytes": "9223372036854771712\n",
            "sys/memory/docker/abc/memory.limit_in_bytes": "536870912\n",
            "sys/memory/docker/abc/memory.usage_in_bytes": "104857600\n",
            "sys/memory/docker/abc/memory.oom_control": "oom_kill_disable 1\nunder_oom 0\noom_kill 2\n",
            "proc/7/cgroup": "12:pids:/docker/abc\n5:memory:/docker/abc\n0::/\n",
        ])
        let s = try #require(try CgroupReader.read(sys: t.path + "/sys", proc: t.path + "/proc", pids: [7]))
        #expect(s.version == .v1 && s.root == t.path + "/sys/memory")
        #expect(s.groups.map(\.path.description) == ["/docker", "/docker/abc"])
        #expect(s.groups[1].spec.max == 131_072 && s.groups[1].spec.oomKillDisable && s.groups[1].currentPages == 25_600)
        #expect(s.groups[0].spec.max == nil)   // /docker has no files in the fake tree
        #expect(s.taskCgroups[7]?.description == "/docker/abc")
    }

    @Test("no memory controller mounted: no cgroups, not an error")
    func none() throws {
        let t = try tree(["sys/unrelated": "x\n"])
        #expect(try CgroupReader.read(sys: t.path + "/sys", proc: t.path + "/proc", pids: []) == nil)
    }

    @Test("what the kernel would not print is a located error naming the file", arguments: [
        ("sys/kubepods/memory.max", "12 34\n", "memory.max:1:3: error: unexpected whitespace in '12 34'"),
        ("sys/kubepods/memory.oom.group", "2\n", "memory.oom.group:1:1: error: expected 0 or 1, got '2'"),
        ("sys/kubepods/memory.events", "oom 1\noom 2\n", "memory.events:2:1: error: 'oom' appears twice"),
        ("proc/100/cgroup", "garbage\n", "cgroup:1:1: error: expected 'hierarchy-ID:controllers:path', got 'garbage'"),
    ])
    func errors(file: String, text: String, suffix: String) throws {
        var files = Self.v2
        files[file] = text
        let t = try tree(files)
        do {
            _ = try CgroupReader.read(sys: t.path + "/sys", proc: t.path + "/proc", pids: [100])
            Issue.record("no error for \(file)")
        } catch {
            #expect(error.description == t.path + "/" + (file as NSString).deletingLastPathComponent + "/" + suffix)
        }
    }

    @Test("an unreadable file is an error, not a crash")
    func unreadable() throws {
        let t = try tree(Self.v2)
        let file = t.path + "/sys/kubepods/memory.max"
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: file)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file) }
        // root reads any file: the test can only check the reader where permissions hold.
        guard FileManager.default.contents(atPath: file) == nil else { return }
        #expect(throws: ScenarioError("cannot read the file (permission?)", at: SourceLocation(file: file, line: 1, column: 1))) {
            try CgroupReader.read(sys: t.path + "/sys", proc: t.path + "/proc", pids: [])
        }
    }

    @Test("the snapshot scenario puts each task in its cgroup, declares them with their limits, and loads back equal")
    func scenario() throws {
        let t = try tree(Self.v2)
        let cgroups = try #require(try CgroupReader.read(sys: t.path + "/sys", proc: t.path + "/proc", pids: [100, 200, 300]))
        func process(_ pid: Int, rss: Int) -> ProcProcess {
            ProcProcess(pid: pid, name: "p\(pid)", uid: 0, rss: rss, swap: 0, pageTables: 1, oomScoreAdj: 0,
                        kernelOOMScore: 0, capSysAdmin: false, hasMM: true, isGlobalInit: false)
        }
        let procs = ProcSnapshot(kernel: KernelVersion(release: "6.8.0"), memTotalKB: 8 << 20, swapTotalKB: 0,
                                 minFreeKbytes: nil, pageSize: 4096,
                                 processes: [process(100, rss: 300_000), process(200, rss: 1000), process(300, rss: 10)],
                                 vanished: 0, unstable: [])
        let s = procs.scenario(cgroups: cgroups)
        #expect(s.cgroups.groups.map(\.path.description) == ["/kubepods", "/kubepods/pod-a", "/system.slice"])
        #expect(s.tasks.map(\.cgroup.description) == ["/kubepods/pod-a", "/system.slice", "/", "/"])
        // 300,000 pages of VmRSS over pod-a's 262,144: raised to fit, and said so.
        #expect(s.cgroups.groups[1].max == 300_000)
        #expect(s.description.contains("/kubepods/pod-a: the tasks' rss (300000 pages"))
        #expect(s.cgroups.groups[1].high == 235_929 && s.cgroups.groups[1].oomGroup)
        let loaded = try ScenarioLoader.parse(yaml: ScenarioWriter.yaml(for: s), file: "snapshot.yaml")
        #expect(loaded == s)
    }
}
