import Testing
@testable import OOMLab
@testable import OOMLabKernel

/// The `cgroups:` block and a task's `cgroup:`: what loads, what is refused
/// (located, worded exactly), the writer's round trip, and the kernel's
/// tree built from them. docs/memcg.md §14.
@Suite("Memcg scenarios: cgroups in the file, the loader, the writer, the kernel's tree")
struct MemcgScenarioTests {
    static let modern = "machine: {ram: 4GiB}\npolicy: {era: modern}\n"

    static let pod = modern + """
        cgroups:
          /kubepods:
            memory.max: 3GiB
          /kubepods/burstable/pod-a:
            memory.max: 1GiB
            memory.high: 900MiB
            memory.low: 256MiB
            memory.min: 0
            memory.swap.max: max
            memory.oom.group: 1
          /user.slice: {}
        tasks:
          - {pid: 1, name: init, anon: 1MiB}
          - {pid: 100, name: app, anon: 512MiB, cgroup: /kubepods/burstable/pod-a}
          - {pid: 101, name: side, anon: 64MiB, cgroup: /kubepods/burstable}
          - {pid: 200, name: sh, anon: 4MiB, cgroup: /user.slice/}

        """

    func load(_ yaml: String) throws(ScenarioError) -> Scenario { try ScenarioLoader.parse(yaml: yaml, file: "t.yaml") }

    @Test("a v2 tree loads with its files, implicit parents first, tasks in their cgroups")
    func loadsV2() throws {
        let s = try load(Self.pod)
        #expect(s.cgroups.version == nil)
        #expect(s.cgroups.version(for: s.policy.era) == .v2)
        #expect(s.cgroups.groups.map(\.path.description)
            == ["/kubepods", "/kubepods/burstable", "/kubepods/burstable/pod-a", "/user.slice"])
        let pod = try #require(s.cgroups.group(try CgroupPath.parse("/kubepods/burstable/pod-a", at: .init(file: "", line: 1, column: 1))))
        #expect(pod.max == 262_144)
        #expect(pod.high == 230_400)
        #expect(pod.low == 65_536)
        #expect(pod.min == 0)
        #expect(pod.swapMax == PageCounter.max)
        #expect(pod.oomGroup)
        #expect(s.cgroups.groups[1] == CgroupSpec(path: s.cgroups.groups[1].path))
        #expect(s.tasks.map(\.cgroup.description) == ["/", "/kubepods/burstable/pod-a", "/kubepods/burstable", "/user.slice"])
    }

    @Test("write, load: the same scenario, cgroups and task cgroups included")
    func roundTrip() throws {
        let s = try load(Self.pod)
        let text = ScenarioWriter.yaml(for: s)
        #expect(text.contains("cgroups:\n  /kubepods: {memory.max: 3GiB}\n  /kubepods/burstable: {}\n"
            + "  /kubepods/burstable/pod-a: {memory.max: 1GiB, memory.high: 900MiB, memory.low: 256MiB, memory.min: 0, "
            + "memory.swap.max: max, memory.oom.group: 1}\n  /user.slice: {}\n"))
        #expect(text.contains("    cgroup: /kubepods/burstable/pod-a\n"))
        #expect(try load(text) == s)
    }

    @Test("v1 spellings load on v1 (the 2015 default) and are written back as v1")
    func v1() throws {
        let s = try load("""
            machine: {ram: 1GiB}
            cgroups:
              /docker/c1: {memory.limit_in_bytes: 256MiB, oom_kill_disable: 1}
            tasks:
              - {pid: 5, name: java, anon: 100MiB, cgroup: /docker/c1}

            """)
        #expect(s.cgroups.version(for: .v2015) == .v1)
        let c1 = s.cgroups.groups[1]
        #expect(c1.max == 65_536 && c1.oomKillDisable)
        let text = ScenarioWriter.yaml(for: s)
        #expect(text.contains("  /docker/c1: {memory.limit_in_bytes: 256MiB, oom_kill_disable: 1}\n"))
        #expect(try load(text) == s)
    }

    static let bad: [BadFile] = [
        BadFile(what: "v1 file on v2", yaml: modern + "cgroups:\n  /a: {memory.limit_in_bytes: 1GiB}\n",
                error: "t.yaml:4:8: error: memory.limit_in_bytes is a cgroup v1 file (v2 spells it memory.max); "
                    + "this scenario's cgroups are v2, the default for era modern; set cgroups: {version: v1} to change"),
        BadFile(what: "v2 file on v1 by default in 2015", yaml: "machine: {ram: 1GiB}\ncgroups:\n  /a: {memory.high: 1GiB}\n",
                error: "t.yaml:3:8: error: memory.high is a cgroup v2 file; this scenario's cgroups are v1, the default "
                    + "for era 2015; set cgroups: {version: v2} to change"),
        BadFile(what: "memory.max on explicit v1", yaml: modern + "cgroups:\n  version: v1\n  /a: {memory.max: 1GiB}\n",
                error: "t.yaml:5:8: error: memory.max is a cgroup v2 file (v1 spells it memory.limit_in_bytes); "
                    + "this scenario's cgroups are v1"),
        BadFile(what: "a file newer than 4.0", yaml: "machine: {ram: 1GiB}\ncgroups:\n  version: v2\n  /a: {memory.min: 1GiB}\n",
                error: "t.yaml:4:8: error: memory.min arrived in Linux 4.18; era 2015 (Linux 4.0) has no such file"),
        BadFile(what: "memsw", yaml: "machine: {ram: 1GiB}\ncgroups:\n  /a: {memory.memsw.limit_in_bytes: 1GiB}\n",
                error: "t.yaml:3:8: error: memory.memsw.limit_in_bytes (v1's memory+swap limit) is not modelled: the model "
                    + "has no memsw counter (docs/memcg.md §13); limit memory with memory.limit_in_bytes"),
        BadFile(what: "bare number", yaml: modern + "cgroups:\n  /a: {memory.max: 536870912}\n",
                error: "t.yaml:4:20: error: bare number '536870912' for 'memory.max': the kernel's file counts bytes, a "
                    + "scenario counts pages; write a unit (536870912B, or e.g. 512MiB) or max"),
        BadFile(what: "size out of range", yaml: modern + "cgroups:\n  /a: {memory.max: 2PiB}\n",
                error: "t.yaml:4:20: error: memory.max must be between 0 and 1PiB, found 2PiB"),
        BadFile(what: "oom.group 2", yaml: modern + "cgroups:\n  /a: {memory.oom.group: 2}\n",
                error: "t.yaml:4:26: error: memory.oom.group must be between 0 and 1, found 2"),
        BadFile(what: "unknown file", yaml: modern + "cgroups:\n  /a: {memory.maxx: 1GiB}\n",
                error: "t.yaml:4:8: error: unknown key 'memory.maxx' in cgroup '/a'; did you mean 'memory.max'?"),
        BadFile(what: "path without a slash", yaml: modern + "cgroups:\n  kubepods: {}\n",
                error: "t.yaml:4:3: error: unknown key 'kubepods' in cgroups; expected 'version' or a cgroup path such as '/kubepods'"),
        BadFile(what: "bad version", yaml: modern + "cgroups:\n  version: v3\n",
                error: "t.yaml:4:12: error: bad value 'v3' for 'version': expected v1 or v2; did you mean 'v1'?"),
        BadFile(what: "the root", yaml: modern + "cgroups:\n  /: {memory.max: 1GiB}\n",
                error: "t.yaml:4:3: error: the root cgroup '/' has no limit files; put the limits on a cgroup below it"),
        BadFile(what: "twice", yaml: modern + "cgroups:\n  /a: {}\n  /a/: {}\n",
                error: "t.yaml:5:3: error: cgroup '/a' is declared twice (first at line 4)"),
        BadFile(what: "empty name", yaml: modern + "cgroups:\n  /a//b: {}\n",
                error: "t.yaml:4:6: error: empty cgroup name in the path (two '/' in a row)"),
        BadFile(what: "undeclared cgroup", yaml: modern + "cgroups:\n  /kubepods: {}\ntasks:\n  - {pid: 1, name: a, cgroup: /kubepod}\n",
                error: "t.yaml:6:31: error: cgroup '/kubepod' is not declared under cgroups; did you mean '/kubepods'?"),
        BadFile(what: "cgroup without cgroups", yaml: modern + "tasks:\n  - {pid: 1, name: a, cgroup: /a}\n",
                error: "t.yaml:4:31: error: cgroup '/a' is not declared under cgroups (the scenario declares no cgroups; "
                    + "list them under 'cgroups')"),
        BadFile(what: "over the limit at the start, counted up the tree", yaml: modern
                    + "cgroups:\n  /a: {memory.max: 100MiB}\n  /a/b: {}\n"
                    + "tasks:\n  - {pid: 1, name: x, anon: 60MiB, cgroup: /a}\n  - {pid: 2, name: y, anon: 60MiB, cgroup: /a/b}\n",
                error: "t.yaml:4:20: error: the tasks of cgroup '/a' start with 120MiB of anon memory, over its limit of "
                    + "100MiB; raise the limit or shrink the tasks"),
    ]

    @Test("bad cgroups are refused with the place and the fix", arguments: bad)
    func refused(_ c: BadFile) {
        #expect(throws: ScenarioError.self) { try load(c.yaml) }
        do {
            _ = try load(c.yaml)
        } catch {
            #expect(error.description == c.error)
        }
    }

    @Test("the kernel's tree: limits set, tick-0 charges hierarchical, the root charged for nothing of its own")
    func kernelTree() throws {
        let k = Kernel(scenario: try load(Self.pod))
        let tree = k.memcg.tree
        try tree.checkInvariants()
        #expect(k.memcg.isEnabled && k.memcg.version == .v2)
        func id(_ p: String) throws -> CgroupID {
            try #require(tree.id(of: try CgroupPath.parse(p, at: .init(file: "", line: 1, column: 1))))
        }
        #expect(tree[try id("/kubepods/burstable/pod-a")].memory.usage == 131_072)
        #expect(tree[try id("/kubepods/burstable")].memory.usage == 131_072 + 16_384)
        #expect(tree[try id("/kubepods")].memory.usage == 147_456)
        #expect(tree[try id("/kubepods")].memory.limit == 786_432)
        #expect(tree[try id("/kubepods/burstable/pod-a")].memory.high == 230_400)
        #expect(tree[try id("/kubepods/burstable/pod-a")].oomGroup)
        #expect(tree[CgroupTree.rootID].memory.usage == 147_456 + 1024)
        let app = try #require(k.task(pid: 100))
        #expect(k.cgroupPath(of: app).description == "/kubepods/burstable/pod-a")
        #expect(k.cgroupPath(of: try #require(k.task(pid: 1))) == .root)
        #expect(k.tasks(inCgroup: try id("/kubepods")).isEmpty)
        #expect(k.tasks(inCgroup: try id("/kubepods"), recursive: true).map(\.pid) == [100, 101])
    }

    @Test("a scenario without cgroups has the root only and writes no cgroups block")
    func noCgroups() throws {
        let s = try load(Self.modern + "tasks:\n  - {pid: 1, name: a, anon: 1MiB}\n")
        #expect(s.cgroups.isEmpty)
        let k = Kernel(scenario: s)
        #expect(!k.memcg.isEnabled && k.memcg.tree.count == 1 && k.memcg.tree[0].memory.usage == 0)
        #expect(!ScenarioWriter.yaml(for: s).contains("cgroup"))
    }

    @Test("a running kernel saved as a scenario keeps its cgroups and each task's cgroup")
    func toScenario() throws {
        let s = try load(Self.pod)
        let saved = Kernel(scenario: s).toScenario()
        #expect(saved.cgroups.groups.map(\.path) == s.cgroups.groups.map(\.path))
        #expect(saved.cgroups.groups.map(\.max) == s.cgroups.groups.map { $0.max == PageCounter.max ? nil : $0.max })
        #expect(saved.tasks.map(\.cgroup) == s.tasks.map(\.cgroup))
        #expect(try load(ScenarioWriter.yaml(for: saved)).cgroups == saved.cgroups)
    }

    @Test("a task added at run time must fit in its cgroup")
    func addTaskChecksRoom() throws {
        var k = Kernel(scenario: try load(Self.pod))
        let pod = try CgroupPath.parse("/kubepods/burstable/pod-a", at: .init(file: "", line: 1, column: 1))
        #expect(throws: Kernel.ActionError.badValue("cgroup /kubepods/burstable/pod-a has room for 131072 pages, not 200000 pages of initial rss")) {
            try k.addTask(TaskSpec(pid: 300, name: "big", anonPages: 200_000, cgroup: pod, program: []))
        }
        try k.addTask(TaskSpec(pid: 301, name: "small", anonPages: 1000, cgroup: pod, program: []))
        #expect(k.memcg.tree[try #require(k.memcg.tree.id(of: pod))].memory.usage == 132_072)
        try k.memcg.tree.checkInvariants()
    }
}
