import Testing
@testable import OOMLab
@testable import OOMLabKernel

/// The cgroup user actions (create a cgroup, write a limit file): the
/// kernel's tree after them, the log line, the refusals worded exactly,
/// a session's timeline round trip, and `--set cgroup:` on a scenario.
@Suite("Cgroup user actions: mkdir, limit writes, --set cgroup:")
struct CgroupActionTests {
    static let yaml = """
        name: pods
        machine: {ram: 1GiB}
        policy: {era: modern}
        cgroups:
          /pod-a: {memory.max: 256MiB}
        tasks:
          - {pid: 100, name: app, anon: 64MiB, cgroup: /pod-a}
          - {pid: 200, name: sh, anon: 4MiB}

        """

    func scenario() throws -> Scenario { try ScenarioLoader.parse(yaml: Self.yaml, file: "t.yaml") }
    func path(_ s: String) throws -> CgroupPath { try CgroupPath.parse(s, at: SourceLocation(file: "t", line: 1, column: 1)) }

    @Test("mkdir and a limit write change the tree at once and log like a policy switch")
    func applies() throws {
        var run = try Run(session: Session(scenario: try scenario()))
        for _ in 0..<5 { _ = run.step() }
        try run.apply(.createCgroup(try path("/pod-a/web")))
        try run.apply(.setCgroupLimit(try path("/pod-a/web"), .high, pages: 16_384))
        try run.apply(.setCgroupLimit(try path("/pod-a"), .max, pages: 32_768))
        let tree = run.kernel.memcg.tree
        let web = try #require(tree.id(of: try path("/pod-a/web")))
        #expect(tree[web].memory.high == 16_384 && tree[web].memory.limit == PageCounter.max && tree[web].parent == 1)
        #expect(tree[1].memory.limit == 32_768)
        let lines = run.kernel.recentEvents.map(\.text).filter { $0.hasPrefix("oomlab: ") }
        #expect(lines.suffix(3) == [
            "oomlab: mkdir /pod-a/web (cgroup v2)",
            "oomlab: cgroup /pod-a/web memory.high: max -> 16384 pages",
            "oomlab: cgroup /pod-a memory.max: 65536 pages -> 32768 pages",
        ])
        // Recorded at their tick: seeking back and forth replays them.
        #expect(run.timeline.entries.map(\.tick) == [5, 5, 5])
        run.seek(to: 0)
        #expect(run.kernel.memcg.tree.id(of: try path("/pod-a/web")) == nil)
        run.seek(to: 6)
        #expect(run.kernel.memcg.tree[1].memory.limit == 32_768)
    }

    @Test("memory.max written below usage: v2 in 6.x reclaims, then the memcg OOM killer runs in the writer's context; v1 and 4.0 fail with EBUSY and keep the limit")
    func lowerMaxBelowUsage() throws {
        let pod = try path("/pod-a")
        for (era, version) in [(Era.modern, CgroupVersion.v2), (.modern, .v1), (.v2015, .v2)] {
            var s = try scenario()
            s.policy.era = era
            s.cgroups.version = version
            var k = Kernel(scenario: s)
            let id = try #require(k.memcg.tree.id(of: pod))
            while k.memcg.tree[id].memory.usage <= 8_192 && k.tick < 500 { _ = k.step() }
            #expect(k.memcg.tree[id].memory.usage > 8_192, "app's pages are charged")
            try k.setCgroupLimit(pod, .max, pages: 8_192)   // 32 MiB; no swap, no page cache: nothing to reclaim
            let action = k.recentEvents.last { $0.kind == .user }?.text
            let usageAfterWrite = k.memcg.tree[id].memory.usage
            // What the kernel printed during the write comes out with the next step.
            let recent = k.recentEvents.map(\.text)
            let lines = k.step().map(\.text)
            #expect(k.recentEvents.map(\.text).filter { $0.hasPrefix("oomlab invoked") }.count == recent.filter { $0.hasPrefix("oomlab invoked") }.count,
                    "shown in the log at once, and only once")
            if era == .modern && version == .v2 {
                #expect(k.memcg.tree[id].memory.limit == 8_192, "memory_max_write sets the limit first")
                #expect(k.memcg.tree[id].eventsLocal.oom == 1)
                #expect(k.oomKills.map(\.pid) == [100] && k.oomKills.first?.invokedBy == "oomlab")
                #expect(lines.contains { $0.hasPrefix("oomlab invoked oom-killer: gfp_mask=") && $0.contains("GFP_KERNEL") && $0.hasSuffix("order=0, oom_score_adj=0") })
                #expect(lines.contains(" memory_max_write"))
                #expect(lines.contains { $0.hasPrefix("Memory cgroup out of memory: Killed process 100 (app)") })
                #expect(action == "oomlab: cgroup /pod-a memory.max: 65536 pages -> 8192 pages")
                for _ in 0..<50 { _ = k.step() }
                #expect(!lines.contains { $0.contains("Killed process 200") }, "sh is outside the cgroup")
                #expect(k.memcg.tree[id].memory.usage <= 8_192, "the victim exited and was uncharged")
                try k.checkInvariants()
            } else {
                #expect(k.memcg.tree[id].memory.limit == 65_536, "-EBUSY: the old limit stays")
                #expect(k.oomKills.isEmpty && k.memcg.tree[id].eventsLocal.oom == 0)
                #expect(action == "oomlab: cgroup /pod-a memory.max: write of 8192 pages failed with EBUSY: "
                        + "usage \(usageAfterWrite) pages stays above it after reclaim; the limit stays 65536 pages")
            }
        }
    }

    @Test("a Run's log holds what the kernel printed during a limit write once, after the action's line")
    func limitWriteInTheRunLog() throws {
        var run = try Run(session: Session(scenario: try scenario()))
        while run.kernel.memcg.tree[1].memory.usage <= 8_192 && run.kernel.tick < 500 { _ = run.step() }
        let at = run.kernel.tick
        try run.apply(.setCgroupLimit(try path("/pod-a"), .max, pages: 8_192))
        for _ in 0..<3 { _ = run.step() }
        let lines = (at...(at + 3)).flatMap { run.events(at: $0) }.map(\.text)
        #expect(lines.filter { $0.hasPrefix("oomlab invoked oom-killer") }.count == 1, "\(lines)")
        let action = try #require(lines.firstIndex(of: "oomlab: cgroup /pod-a memory.max: 65536 pages -> 8192 pages"))
        let report = try #require(lines.firstIndex { $0.hasPrefix("oomlab invoked oom-killer") })
        #expect(action < report)
    }

    @Test("refusals: an existing cgroup, a missing parent, the root, a v2 file on v1, an unknown cgroup")
    func refusals() throws {
        var k = Kernel(scenario: try scenario())
        func error(_ a: UserAction) -> String {
            do { try k.apply(a); return "no error" } catch { return error.description }
        }
        #expect(error(.createCgroup(try path("/pod-a"))) == "cgroup /pod-a already exists")
        #expect(error(.createCgroup(.root)) == "the root cgroup always exists")
        #expect(error(.createCgroup(try path("/x/y"))) == "no cgroup /x: create the parent first")
        #expect(error(.setCgroupLimit(try path("/nope"), .max, pages: 1)) == "no cgroup /nope")
        #expect(error(.setCgroupLimit(.root, .max, pages: 1)) == "the root cgroup has no memory.max")
        var v1 = try scenario()
        v1.cgroups.version = .v1
        k = Kernel(scenario: v1)
        #expect(error(.setCgroupLimit(try path("/pod-a"), .low, pages: 1))
            == "memory.low is a cgroup v2 file; this kernel's cgroups are v1 (memory.max means memory.limit_in_bytes)")
        #expect(error(.setCgroupLimit(try path("/pod-a"), .max, pages: 1)) == "no error")
    }

    @Test("a session's timeline holds create_cgroup and cgroup_limit and loads back equal")
    func session() throws {
        let timeline = Timeline([
            Timeline.Entry(tick: 3, action: .createCgroup(try path("/pod-b"))),
            Timeline.Entry(tick: 4, action: .setCgroupLimit(try path("/pod-b"), .max, pages: 131_072)),
            Timeline.Entry(tick: 5, action: .setCgroupLimit(try path("/pod-a"), .swapMax, pages: PageCounter.max)),
        ])
        let s = Session(scenario: try scenario(), timeline: timeline, at: 6)
        let text = SessionWriter.yaml(for: s)
        #expect(text.contains("  - {tick: 3, create_cgroup: /pod-b}\n"))
        #expect(text.contains("  - {tick: 4, cgroup_limit: {cgroup: /pod-b, memory.max: 512MiB}}\n"))
        #expect(text.contains("  - {tick: 5, cgroup_limit: {cgroup: /pod-a, memory.swap.max: max}}\n"))
        let back = try SessionLoader.parse(yaml: text, file: "s.yaml")
        #expect(back.timeline.entries.map(\.action) == timeline.entries.map(\.action))
        let run = try Run(session: back)
        #expect(run.kernel.memcg.tree.id(of: try path("/pod-b")).map { run.kernel.memcg.tree[$0].memory.limit } == 131_072)
    }

    @Test("a session's bad cgroup entries are located errors", arguments: [
        ("  - {tick: 1, create_cgroup: /pod-a}\n", "s.yaml:10:30: error: cgroup /pod-a already exists"),
        ("  - {tick: 1, create_cgroup: /a/b}\n", "s.yaml:10:30: error: no cgroup /a: create the parent first"),
        ("  - {tick: 1, cgroup_limit: {cgroup: /pod-a, memory.max: 512MiB, memory.low: 0}}\n",
         "s.yaml:10:29: error: cgroup_limit sets one file: memory.max, memory.high, memory.low, memory.min or memory.swap.max"),
        ("  - {tick: 1, cgroup_limit: {cgroup: /pod-a, memory.max: 4096}}\n",
         "s.yaml:10:58: error: bare number '4096' for 'memory.max': the kernel's file counts bytes, a scenario counts pages; write a unit (4096B, or e.g. 512MiB) or max"),
    ])
    func sessionErrors(entry: String, message: String) throws {
        do {
            _ = try SessionLoader.parse(yaml: Self.yaml + "timeline:\n" + entry, file: "s.yaml")
            Issue.record("no error")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("--set cgroup:PATH:FILE=VALUE sets the scenario's file; bad ones are worded exactly")
    func override() throws {
        var s = try scenario()
        try CgroupOverride.parse("cgroup:/pod-a:memory.high=128MiB").apply(to: &s)
        try CgroupOverride.parse("cgroup:/pod-a:memory.max=max").apply(to: &s)
        #expect(s.cgroups.groups[0].high == 32_768 && s.cgroups.groups[0].max == PageCounter.max)
        func error(_ item: String) -> String {
            var t = (try? scenario()) ?? s
            do { try CgroupOverride.parse(item).apply(to: &t); return "no error" } catch { return error.description }
        }
        #expect(error("cgroup:/pod-a") == "--set cgroup: takes cgroup:PATH:FILE=VALUE (e.g. cgroup:/pod:memory.max=512MiB), not 'cgroup:/pod-a'")
        #expect(error("cgroup:/pod-a:memory.hihg=1G") == "--set cgroup: unknown file 'memory.hihg'; did you mean 'memory.high'?")
        #expect(error("cgroup:/pod-b:memory.max=1G") == "--set cgroup: no cgroup /pod-b in the scenario; did you mean '/pod-a'?")
        #expect(error("cgroup:/pod-a:memory.max=1024") == "--set cgroup: bare number '1024' for memory.max: write a unit (1024B, or e.g. 512MiB) or max")
        #expect(error("cgroup:/pod-a:memory.max=32MiB") == "--set cgroup: the tasks of /pod-a start with 64MiB, over a memory.max of 32MiB")
        #expect(error("cgroup:/:memory.max=1G") == "--set cgroup: the root cgroup has no limit files")
        #expect(error("cgroup:/pod-a:memory.limit_in_bytes=1GiB") == "no error")
    }
}
