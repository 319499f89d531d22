import Testing
@testable import OOMLab
@testable import OOMLabKernel

/// Memory cgroups wired into the simulated kernel: charging, memcg reclaim,
/// the memcg OOM killer, memory.oom.group, events and the report lines of
/// each era (docs/memcg.md §2, §3, §7, §8, §9; the test plan of §14).
/// Every run checks the kernel's invariants after every tick.
@Suite("Memcg kernel: charging, memcg reclaim, memcg OOM, oom.group, events, reports")
struct MemcgKernelTests {
    static func kernel(_ yaml: String) throws -> Kernel {
        Kernel(scenario: try ScenarioLoader.parse(yaml: yaml, file: "t.yaml"))
    }

    static func run(_ yaml: String, ticks: Int) throws -> (Kernel, [Event]) {
        var k = try kernel(yaml)
        let events = try Lab.run(&k, ticks: ticks)
        return (k, events)
    }

    static func id(_ k: Kernel, _ path: String) throws -> CgroupID {
        try #require(k.memcg.tree.id(of: try CgroupPath.parse(path, at: .init(file: "", line: 1, column: 1))))
    }

    /// A pod at its 64 MiB limit on a 1 GiB machine with a 400 MiB task
    /// outside it; `web` in the pod asks for more, in `chunk` steps.
    static func pod(era: String, gfp: String = "GFP_HIGHUSER_MOVABLE", chunk: String = "1MiB",
                    extra: String = "", cgroupKeys: String? = nil, swap: String = "0",
                    webAnon: String = "60MiB") -> String {
        """
        seed: 1
        machine: {ram: 1GiB, swap: \(swap)}
        policy: {era: \(era)}
        cgroups:
          /kubepods/pod-web: {\(cgroupKeys ?? "\(maxKey(era)): 64MiB")}
          /kubepods/pod-web/c2: {}
        tasks:
          - {pid: 1, name: systemd, uid: 0, anon: 4MiB, program: [{sleep: 1h}]}
          - {pid: 300, name: postgres, anon: 400MiB, program: [{sleep: 1h}]}
          - pid: 1000
            name: web
            cgroup: /kubepods/pod-web
            anon: \(webAnon)
            program:
              - repeat: forever
                body:
                  - alloc: {size: \(chunk), gfp: \(gfp)}
                  - sleep: 1
          - {pid: 1001, name: sidecar, cgroup: /kubepods/pod-web, anon: 2MiB, program: [{sleep: 1h}]}
        \(extra)
        """
    }

    /// memory.max on v2 (the modern default), memory.limit_in_bytes on v1 (2015's).
    static func maxKey(_ era: String) -> String { era.hasPrefix("2015") ? "memory.limit_in_bytes" : "memory.max" }

    @Test("a charge past an ancestor's memory.max is charged nowhere and makes the ancestor reclaim and OOM",
          arguments: ["2015", "modern"])
    func hierarchical(era: String) throws {
        let yaml = """
            machine: {ram: 512MiB}
            policy: {era: \(era)}
            cgroups:
              /A: {\(Self.maxKey(era)): 32MiB}
              /A/B: {}
            tasks:
              - {pid: 1, name: init, uid: 0, anon: 1MiB}
              - pid: 10
                name: leaf
                cgroup: /A/B
                program:
                  - alloc: 40MiB
                  - sleep: 1h

            """
        var k = try Self.kernel(yaml)
        let a = try Self.id(k, "/A"), b = try Self.id(k, "/A/B")
        for _ in 0..<400 {
            k.step()
            try k.checkInvariants()
            #expect(k.memcg.tree[a].memory.usage <= 32 * Lab.mib)
            if !k.oomKills.isEmpty { break }
        }
        let kill = try #require(k.oomKills.first)
        #expect(kill.name == "leaf" && kill.oomMemcg?.description == "/A" && kill.cgroup.description == "/A/B")
        #expect(k.memcg.tree[a].memory.failcnt > 0 && k.memcg.tree[b].memory.failcnt == 0)
        #expect(k.memcg.tree[a].eventsLocal.max > 0 && k.memcg.tree[b].eventsLocal.max == 0)
    }

    @Test("clean page cache in the cgroup is reclaimed under its limit: max events, no OOM")
    func reclaimPageCache() throws {
        let yaml = """
            machine: {ram: 512MiB}
            policy: {era: modern}
            cgroups:
              /pod: {memory.max: 64MiB}
            tasks:
              - {pid: 1, name: init, uid: 0, anon: 1MiB}
              - pid: 10
                name: app
                cgroup: /pod
                anon: 16MiB
                program:
                  - read: 40MiB
                  - alloc: 16MiB
                  - sleep: 1h

            """
        let (k, _) = try Self.run(yaml, ticks: 300)
        let pod = try Self.id(k, "/pod")
        let g = k.memcg.tree[pod]
        #expect(k.oomKills.isEmpty)
        #expect(g.events.max > 0 && g.events.oom == 0)
        #expect(g.memory.usage <= g.memory.limit)
        #expect(g.filePages < 40 * Lab.mib && g.filePages == g.memory.usage - 32 * Lab.mib)
    }

    @Test("with nothing to reclaim, oom counts after the drain round and MAX_RECLAIM_RETRIES (16) / 5 more rounds",
          arguments: [("modern", 18), ("2015", 7)])
    func retriesBeforeOOM(era: String, rounds: Int) throws {
        var k = try Self.kernel(Self.pod(era: era, chunk: "4KiB", webAnon: "62MiB"))
        let pod = try Self.id(k, "/kubepods/pod-web")
        var maxAtFirstOOM: Int?
        for _ in 0..<200 where maxAtFirstOOM == nil {
            k.step()
            try k.checkInvariants()
            if k.memcg.tree[pod].eventsLocal.oom > 0 { maxAtFirstOOM = k.memcg.tree[pod].eventsLocal.max }
        }
        #expect(maxAtFirstOOM == rounds)
    }

    @Test("the memcg OOM kills inside the cgroup though a bigger task lives outside; totalpages is the limit",
          arguments: ["2015", "modern"])
    func picksInsideCgroup(era: String) throws {
        let (k, events) = try Self.run(Self.pod(era: era), ticks: 300)
        let kill = try #require(k.oomKills.first)
        #expect(kill.name == "web" && kill.oomMemcg?.description == "/kubepods/pod-web")
        #expect(k.task(pid: 300)?.isAlive == true)
        let text = Lab.text(events)
        if era == "2015" {
            // 4.0 prints chosen_points * 1000 / totalpages with the cgroup's limit.
            let score = kill.points * 1000 / (64 * Lab.mib)
            #expect(text.contains("Memory cgroup out of memory: Kill process 1000 (web) score \(score) or sacrifice child"))
        } else {
            #expect(text.contains("Memory cgroup out of memory: Killed process 1000 (web)"))
        }
        #expect(!text.contains("postgres"), "the task table lists only the cgroup's tasks")
    }

    @Test("a GFP_NOFS charge over memory.max reaches the memcg OOM killer in the modern era only")
    func nofs() throws {
        let (modern, _) = try Self.run(Self.pod(era: "modern", gfp: "GFP_NOFS"), ticks: 300)
        #expect(modern.oomKills.map(\.name) == ["web"])
        let (old, events) = try Self.run(Self.pod(era: "2015", gfp: "GFP_NOFS"), ticks: 300)
        let pod = try Self.id(old, "/kubepods/pod-web")
        #expect(old.oomKills.isEmpty)
        #expect(old.memcg.tree[pod].events.oom > 0, "4.0 counts oom before mem_cgroup_oom, which records nothing outside a fault")
        #expect(!Lab.text(events).contains("page allocation failure"), "a memcg -ENOMEM prints nothing")
    }

    @Test("memory.oom.group kills every task of the group except oom_score_adj -1000 ones")
    func oomGroup() throws {
        let yaml = Self.pod(era: "modern", extra: """
              - {pid: 1002, name: agent, cgroup: /kubepods/pod-web, anon: 1MiB, oom_score_adj: -1000, program: [{sleep: 1h}]}
              - {pid: 1003, name: worker, cgroup: /kubepods/pod-web/c2, anon: 1MiB, program: [{sleep: 1h}]}
            """, cgroupKeys: "memory.max: 64MiB, memory.oom.group: 1")
        let (k, events) = try Self.run(yaml, ticks: 300)
        let pod = try Self.id(k, "/kubepods/pod-web")
        #expect(Set(k.oomKills.map { $0.name }) == ["web", "sidecar", "worker"])
        #expect(k.oomKills.first?.name == "web")
        #expect(k.task(pid: 1002)?.isAlive == true)
        #expect(k.memcg.tree[pod].events.oomGroupKill == 1)
        #expect(k.memcg.tree[pod].events.oomKill == 3)
        #expect(Lab.text(events).contains("Tasks in /kubepods/pod-web are going to be killed due to memory.oom.group set"))
    }

    @Test("events count in every ancestor in the modern era, only in the cgroup itself in 2015",
          arguments: [("modern", true), ("2015", false)])
    func hierarchicalEvents(era: String, up: Bool) throws {
        let (k, _) = try Self.run(Self.pod(era: era), ticks: 300)
        let pod = try Self.id(k, "/kubepods/pod-web"), parent = try Self.id(k, "/kubepods")
        #expect(k.memcg.tree[pod].events.max > 0)
        #expect(k.memcg.tree[parent].events.max == (up ? k.memcg.tree[pod].events.max : 0))
        #expect(k.memcg.tree[parent].eventsLocal.max == 0)
        // oom_kill is 4.13+: the 2015 era has no such key.
        #expect(k.memcg.tree[pod].events.oomKill == (up ? 1 : 0))
    }

    @Test("nothing killable in the cgroup: 6.x reports it without a panic and the fault keeps retrying")
    func nothingKillable() throws {
        let yaml = """
            machine: {ram: 512MiB}
            policy: {era: modern}
            cgroups:
              /pod: {memory.max: 16MiB}
            tasks:
              - {pid: 1, name: init, uid: 0, anon: 1MiB}
              - pid: 10
                name: app
                cgroup: /pod
                oom_score_adj: -1000
                program:
                  - alloc: 32MiB
                  - sleep: 1h

            """
        let (k, events) = try Self.run(yaml, ticks: 200)
        #expect(k.panicVerdict == nil && k.oomKills.isEmpty)
        #expect(Lab.text(events).contains("Out of memory and no killable processes..."))
        let app = try #require(k.task(pid: 10))
        #expect(app.allocation?.lastRound != nil)
    }

    @Test("panic_on_oom=1 ignores a memcg OOM; 2 panics for it")
    func panicOnOOM() throws {
        let one = Self.pod(era: "modern, panic_on_oom: 1")
        let (k1, _) = try Self.run(one, ticks: 300)
        #expect(k1.panicVerdict == nil && k1.oomKills.map(\.name) == ["web"])
        let (k2, _) = try Self.run(one.replacingOccurrences(of: "panic_on_oom: 1", with: "panic_on_oom: 2"), ticks: 300)
        #expect(k2.panicVerdict != nil && k2.oomKills.isEmpty)
    }

    @Test("v1 oom_kill_disable: the faulting task waits instead of killing")
    func oomKillDisable() throws {
        var k = try Self.kernel(Self.pod(era: "2015", cgroupKeys: "memory.limit_in_bytes: 64MiB, oom_kill_disable: 1"))
        var waited = 0
        for _ in 0..<300 {
            k.step()
            try k.checkInvariants()
            if k.task(pid: 1000)?.allocation?.lastRound == .memcgOOMWait { waited += 1 }
        }
        let pod = try Self.id(k, "/kubepods/pod-web")
        #expect(k.oomKills.isEmpty)
        #expect(waited > 1 && k.memcg.tree[pod].events.oom == waited)
    }

    /// Steps the pod scenario to its first kill; returns the kernel then and
    /// the report's lines from the invoked line on.
    static func firstKill(era: String) throws -> (Kernel, [String]) {
        var k = try kernel(pod(era: era))
        var lines: [String] = []
        for _ in 0..<300 where k.oomKills.isEmpty {
            lines += k.step().map(\.text)
            try k.checkInvariants()
        }
        let start = try #require(lines.firstIndex { $0.hasPrefix("web invoked oom-killer") })
        return (k, Array(lines[start...]))
    }

    @Test("the 2015 report: Task in, the three counters, a stats line per cgroup, the subtree's task table")
    func report2015() throws {
        let (k, report) = try Self.firstKill(era: "2015")
        let failcnt = k.memcg.tree[try Self.id(k, "/kubepods/pod-web")].memory.failcnt
        #expect(failcnt > 0)
        #expect(report == [
            "web invoked oom-killer: gfp_mask=0x200da, order=0, oom_score_adj=0",
            "web cpuset=/ mems_allowed=0",
            "CPU: 0 PID: 1000 Comm: web Not tainted 4.0.0-oomlab #1",
            "Hardware name: oomlab simulated machine",
            "Call Trace:",
            " dump_header", " oom_kill_process", " mem_cgroup_oom_synchronize", " pagefault_out_of_memory",
            " mm_fault_error", " __do_page_fault", " do_page_fault", " page_fault",
            "Task in /kubepods/pod-web killed as a result of limit of /kubepods/pod-web",
            "memory: usage 65536kB, limit 65536kB, failcnt \(failcnt)",
            "memory+swap: usage 65536kB, limit 9007199254740988kB, failcnt 0",
            "kmem: usage 0kB, limit 9007199254740988kB, failcnt 0",
            "Memory cgroup stats for /kubepods/pod-web: cache:0KB rss:65536KB rss_huge:0KB mapped_file:0KB "
                + "writeback:0KB swap:0KB inactive_anon:0KB active_anon:65536KB inactive_file:0KB active_file:0KB unevictable:0KB",
            "Memory cgroup stats for /kubepods/pod-web/c2: cache:0KB rss:0KB rss_huge:0KB mapped_file:0KB "
                + "writeback:0KB swap:0KB inactive_anon:0KB active_anon:0KB inactive_file:0KB active_file:0KB unevictable:0KB",
            "[ pid ]   uid  tgid total_vm      rss nr_ptes nr_pmds swapents oom_score_adj name",
            "[ 1000]  1000  1000    15872    15872      31       1        0             0 web",
            "[ 1001]  1000  1001      512      512       1       1        0             0 sidecar",
            // (15872 rss + 32 page-table pages) * 1000 / 16384, the limit in pages.
            "Memory cgroup out of memory: Kill process 1000 (web) score 970 or sacrifice child",
            "Killed process 1000 (web) total-vm:63488kB, anon-rss:63488kB, file-rss:0kB",
        ])
    }

    @Test("the modern report: memory and swap counters, memory.stat, the oom-kill line with oom_memcg and task_memcg")
    func reportModern() throws {
        let (k, report) = try Self.firstKill(era: "modern")
        // 6.x v2 prints memory.events max as the failcnt.
        let maxEvents = k.memcg.tree[try Self.id(k, "/kubepods/pod-web")].events.max
        #expect(maxEvents > 0)
        let stack = ["dump_stack_lvl", "dump_header", "oom_kill_process", "out_of_memory", "mem_cgroup_out_of_memory",
                     "try_charge_memcg", "charge_memcg", "__mem_cgroup_charge", "do_anonymous_page", "__handle_mm_fault",
                     "handle_mm_fault", "do_user_addr_fault", "exc_page_fault"].map { " " + $0 }
        let stat = ["anon 67108864", "file 0"] + ["kernel", "kernel_stack", "pagetables", "sec_pagetables", "percpu",
            "sock", "vmalloc", "shmem", "zswap", "zswapped", "file_mapped", "file_dirty", "file_writeback", "swapcached",
            "anon_thp", "file_thp", "shmem_thp", "inactive_anon"].map { "\($0) 0" }
            + ["active_anon 67108864", "inactive_file 0", "active_file 0", "unevictable 0", "slab_reclaimable 0",
               "slab_unreclaimable 0", "slab 0"]
        #expect(report == [
            "web invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0",
            "CPU: 0 PID: 1000 Comm: web Not tainted 6.13.0-oomlab #1",
            "Hardware name: oomlab simulated machine",
            "Call Trace:",
        ] + stack + [
            "memory: usage 65536kB, limit 65536kB, failcnt \(maxEvents)",
            "swap: usage 0kB, limit 9007199254740988kB, failcnt 0",
            "Memory cgroup stats for /kubepods/pod-web:",
        ] + stat + [
            "Tasks state (memory values in pages):",
            "[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name",
            "[   1000]  1000  1000    15872    15872    15872        0         0         131072        0             0 web",
            "[   1001]  1000  1001      512      512      512        0         0           8192        0             0 sidecar",
            "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/kubepods/pod-web,"
                + "task_memcg=/kubepods/pod-web,task=web,pid=1000,uid=1000",
            "Memory cgroup out of memory: Killed process 1000 (web) total-vm:63488kB, anon-rss:63488kB, file-rss:0kB, "
                + "shmem-rss:0kB, UID:1000 pgtables:128kB oom_score_adj:0",
        ])
    }

    @Test("with swap, memcg reclaim swaps the cgroup's own pages out and the charge moves to memory.swap.current")
    func swapsInsideCgroup() throws {
        let (k, _) = try Self.run(Self.pod(era: "modern", swap: "256MiB"), ticks: 200)
        let pod = try Self.id(k, "/kubepods/pod-web")
        let g = k.memcg.tree[pod]
        #expect(g.swap.usage > 0 && k.oomKills.isEmpty)
        #expect(k.task(pid: 300)?.swapEntries == 0, "memcg reclaim never takes from outside the cgroup")
    }
}

@Suite("Memcg read accessors")
struct MemcgAccessorTests {
    @Test("cgroupStatus reads a cgroup's counters, limits and events; an unknown id is nil")
    func status() throws {
        let (k, _) = try MemcgKernelTests.run(MemcgKernelTests.pod(era: "modern"), ticks: 300)
        let id = try MemcgKernelTests.id(k, "/kubepods/pod-web")
        let s = try #require(k.cgroupStatus(id))
        #expect(s.path.description == "/kubepods/pod-web" && s.max == 64 * Lab.mib && s.high == PageCounter.max)
        #expect(s.usage == k.memcg.tree[id].memory.usage && s.peak == 64 * Lab.mib)
        #expect(s.events.oomKill == 1 && s.eventsLocal.max == k.memcg.tree[id].eventsLocal.max && !s.isRoot)
        #expect(k.cgroupStatus(99) == nil && k.cgroupStatus(-1) == nil)
        #expect(k.cgroupStatuses.map(\.path.description) == ["/", "/kubepods", "/kubepods/pod-web", "/kubepods/pod-web/c2"])
        #expect(k.cgroupStatuses.first?.isRoot == true)
    }
}

@Suite("Memcg memory.high and the memcg presets")
struct MemcgHighTests {
    static func job(era: String) -> String {
        """
        machine: {ram: 512MiB}
        policy: {era: \(era)}
        cgroups:
          version: v2
          /job: {memory.high: 32MiB}
        tasks:
          - {pid: 1, name: init, uid: 0, anon: 1MiB, program: [{sleep: 1h}]}
          - pid: 10
            name: job
            cgroup: /job
            anon: 30MiB
            program:
              - repeat: forever
                body:
                  - alloc: 1MiB
                  - sleep: 1

        """
    }

    @Test("6.x: over memory.high the task sleeps MemcgHighDelay's penalty after each round, and nothing is ever killed")
    func throttles() throws {
        var k = try MemcgKernelTests.kernel(Self.job(era: "modern"))
        let id = try MemcgKernelTests.id(k, "/job")
        var sleeps: [Int] = []
        for _ in 0..<1500 {
            k.step()
            try k.checkInvariants()
            let t = try #require(k.task(pid: 10))
            if case .memcgHigh(let until)? = t.wait, t.waitingSince == k.tick {
                let want = MemcgHighDelay.penaltyJiffies(nrPages: Lab.mib,
                                                         memoryOverage: MemcgHighDelay.maxOverage(k.memcg.tree, id))
                #expect(until - k.tick == want)
                sleeps.append(until - k.tick)
            }
        }
        let g = k.memcg.tree[id]
        #expect(sleeps.count > 3 && sleeps == sleeps.sorted(), "the penalty grows with the overage")
        #expect(sleeps.last == MemcgHighDelay.maxDelayJiffies(), "and reaches the 2 s clamp")
        #expect(g.events.high > 0 && g.events.oom == 0 && g.events.max == 0 && k.oomKills.isEmpty)
        #expect(g.memory.usage > g.memory.high)
    }

    @Test("4.0: memory.high reclaims inside the charge and never sleeps")
    func v2015NeverSleeps() throws {
        var k = try MemcgKernelTests.kernel(Self.job(era: "2015"))
        let id = try MemcgKernelTests.id(k, "/job")
        for _ in 0..<300 {
            k.step()
            try k.checkInvariants()
            if case .memcgHigh? = k.task(pid: 10)?.wait { Issue.record("4.0 slept for memory.high") }
        }
        #expect(k.memcg.tree[id].eventsLocal.high > 0 && k.oomKills.isEmpty)
    }

    @Test("k8s-qos: each container's oom_score_adj is the kubelet's for its QoS class and memory request")
    func k8sQoSValues() throws {
        let s = try ScenarioLoader.load(path: ShippedPresetTests.folder + "/k8s-qos.yaml")
        let capacity = s.machine.ramPages * Units.pageSize
        let mib = 1 << 20
        let want: [String: Int?] = [
            "db": KubeletOOMScoreAdj.forContainer(qos: .guaranteed, memoryRequestBytes: 768 * mib, memoryCapacityBytes: capacity),
            "api": KubeletOOMScoreAdj.forContainer(qos: .burstable, memoryRequestBytes: 256 * mib, memoryCapacityBytes: capacity),
            "cache": KubeletOOMScoreAdj.forContainer(qos: .burstable, memoryRequestBytes: 1024 * mib, memoryCapacityBytes: capacity),
            "batch": KubeletOOMScoreAdj.forContainer(qos: .bestEffort, memoryRequestBytes: 0, memoryCapacityBytes: capacity),
            "kubelet": KubeletOOMScoreAdj.kubelet,
        ]
        for (name, adj) in want {
            #expect(s.tasks.first { $0.name == name }?.oomScoreAdj == adj, "\(name)")
        }
    }

    @Test("memcg-limit: the kill stays inside the pod and free memory never gets near the watermarks")
    func memcgLimitStory() throws {
        var k = Kernel(scenario: try ScenarioLoader.load(path: ShippedPresetTests.folder + "/memcg-limit.yaml"))
        var lowest = Int.max
        for _ in 0..<1000 {
            k.step()
            lowest = min(lowest, k.memory.free)
        }
        #expect(k.oomKills.map(\.name) == ["web"] && k.oomKills.first?.oomMemcg?.description == "/kubepods/burstable/pod-web")
        #expect(lowest > 4 * k.watermarks.high)
        #expect(k.task(pid: 600)?.isAlive == true)
    }
}
