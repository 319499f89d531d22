import Testing
@testable import OOMLab
@testable import OOMLabKernel

@Suite("The OOM killer, the reaper and the policies of the 2015 debate")
struct OOMKillerTests {
    /// A victim that waits, uninterruptibly, on a lock held by a task that
    /// loops in the allocator (docs/kernel.md §6.8).
    /// The holder's request: XFS's kmem_alloc by default. Under modern rules
    /// that is a NOFS | __GFP_NOFAIL request that may dip into the reserves,
    /// so tests that need the holder stuck under modern rules pass a plain
    /// order-0 GFP_NOFS request, which loops without reserves and never kills.
    static let kmemAlloc = AllocSpec(pages: 16, order: 4, gfp: .nofs, target: .kernel, retry: .kmemAlloc, ratePerTick: 16)
    static let plainNOFS = AllocSpec(pages: 16, order: 0, gfp: .nofs, target: .kernel, retry: .allocator, ratePerTick: 16)

    func stallScenario(era: Era = .v2015, policy: [PolicyKey: String] = [:], mmapLock: Bool = false,
                       waitKind: LockWait = .uninterruptible, holderAlloc: AllocSpec = OOMKillerTests.kmemAlloc) -> Scenario {
        var victim = TaskSpec(pid: 30, name: "victim", anonPages: 24 * Lab.mib, program: [
            .sleep(ticks: 5),
            .lock(name: "L", wait: waitKind),
            .unlock(name: "L"),
            .sleep(ticks: 1_000_000),
        ])
        if mmapLock { victim.mmapLock = "mm" }
        var holder = TaskSpec(pid: 10, name: "holder", program: [
            .lock(name: "L", wait: .uninterruptible),
            .sleep(ticks: 40),
            .alloc(holderAlloc),
            .unlock(name: "L"),
            .sleep(ticks: 1_000_000),
        ])
        if mmapLock {
            // A thread of the victim's process holds its mmap_lock while it allocates.
            holder.program.insert(.lock(name: "mm", wait: .uninterruptible), at: 0)
            holder.program.insert(.unlock(name: "mm"), at: 4)
        }
        return Lab.scenario(Lab.machine(ramMiB: 40), era: era, policy: policy, locks: ["L", "mm"], [
            holder, victim, Lab.hog(50, mib: 64, start: 10),
        ])
    }

    @Test("2015: the victim on the lock stalls everything; the OOM killer aborts while it lives")
    func stall() throws {
        var k = Kernel(scenario: stallScenario())
        try Lab.run(&k, ticks: 1500)
        #expect(k.oomKills.map(\.name) == ["victim"])
        #expect(k.oomAborts > 0)
        #expect(k.verdict.kind == .stall)
        #expect(k.verdict.reason.contains("holder[10]"))
        #expect(k.task(pid: 30)?.state == .blocked)
        #expect(k.recentEvents.contains { $0.text.hasPrefix("oomlab: OOM victim stall: victim[30] (OOM victim, TIF_MEMDIE") })
    }

    @Test("a killable wait lets the victim die: no stall")
    func killableWait() throws {
        var k = Kernel(scenario: stallScenario(waitKind: .killable))
        try Lab.run(&k, ticks: 1500)
        #expect(k.task(pid: 30)?.state == .dead)
        #expect(k.verdict.kind != .stall)
    }

    @Test("the OOM reaper frees the stuck victim's memory and everyone recovers")
    func reaperSucceeds() throws {
        var k = Kernel(scenario: stallScenario(policy: [.oomReaper: "on"]))
        let events = try Lab.run(&k, ticks: 1500)
        #expect(Lab.text(events).contains("oom_reaper: reaped process 30 (victim), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB"))
        #expect(k.task(pid: 30)?.state == .dead, "the holder got memory, released L, the victim exited")
        #expect(k.verdict.kind == .recovered)
    }

    @Test("modern: the reaper waits OOM_REAPER_DELAY (2 s) before its first try")
    func reaperDelay() throws {
        var k = Kernel(scenario: stallScenario(era: .modern, holderAlloc: Self.plainNOFS))
        let events = try Lab.run(&k, ticks: 1500)
        let kill = try #require(k.oomKills.first)
        let reaped = try #require(events.first { $0.text.hasPrefix("oom_reaper: reaped process 30") })
        #expect(reaped.tick == kill.tick + 2 * Units.hz)
    }

    @Test("the reaper's trylock fails 10 times on a held mmap_lock; MMF_OOM_SKIP lets the next victim go")
    func reaperFails() throws {
        var k = Kernel(scenario: stallScenario(policy: [.oomReaper: "on"], mmapLock: true))
        let events = try Lab.run(&k, ticks: 1500)
        let text = Lab.text(events)
        #expect(text.contains("oom_reaper: unable to reap pid:30 (victim)"))
        #expect(k.oomKills.count >= 2, "after MMF_OOM_SKIP the OOM killer picks another task")
        let failed = try #require(events.first { $0.text.hasPrefix("oom_reaper: unable") })
        #expect(failed.tick >= k.oomKills[0].tick + 9 * OOMReaper.retryTicks)
    }

    @Test("victim_timeout_ms: after the timeout another victim is chosen")
    func victimTimeout() throws {
        var k = Kernel(scenario: stallScenario(policy: [.victimTimeoutMs: "1000"]))
        try Lab.run(&k, ticks: 1500)
        #expect(k.oomKills.count >= 2)
        #expect(k.oomKills[1].tick - k.oomKills[0].tick >= 100)
        #expect(k.recentEvents.contains { $0.text.hasPrefix("oomlab: victim_timeout: victim[30]") })
    }

    @Test("a victim chosen again is marked once (mark_oom_victim's test_and_set of TIF_MEMDIE)")
    func markedOnce() throws {
        // Before 5.1 the largest process's child dies in its place. The child
        // is stuck on a lock; once victim_timeout_ms lets the OOM killer look
        // past it, the parent is chosen again and the same child sacrificed.
        var child = TaskSpec(pid: 30, name: "child", anonPages: 18 * Lab.mib, program: [
            .sleep(ticks: 5),
            .lock(name: "L", wait: .uninterruptible),
            .sleep(ticks: 1_000_000),
        ])
        child.parent = 20
        let holder = TaskSpec(pid: 10, name: "holder", program: [
            .lock(name: "L", wait: .uninterruptible),
            .sleep(ticks: 1_000_000),
        ])
        let scenario = Lab.scenario(Lab.machine(ramMiB: 40), policy: [.victimTimeoutMs: "300"], locks: ["L"], [
            holder, Lab.sleeper(20, "parent", mib: 20), child, Lab.hog(50, mib: 64, start: 10),
        ])
        var k = Kernel(scenario: scenario)
        try Lab.run(&k, ticks: 600)
        let kills = k.oomKills.filter { $0.pid == 30 }
        #expect(kills.count >= 2, "the child is sacrificed more than once: \(k.oomKills.map(\.name))")
        #expect(k.oom.liveVictims == [30])
        #expect(k.task(pid: 30)?.victimSince == kills.first?.tick, "the first mark stands")
    }

    @Test("panic_on_oom panics at the first OOM")
    func panicOnOOM() throws {
        var k = Kernel(scenario: stallScenario(policy: [.panicOnOOM: "1"]))
        try Lab.run(&k, ticks: 500)
        #expect(k.verdict.kind == .panic)
        #expect(k.recentEvents.contains { $0.text == "Kernel panic - not syncing: Out of memory: system-wide panic_on_oom is enabled" })
        #expect(k.oomKills.isEmpty)
    }

    @Test("oom_kill_allocating_task kills the allocating task without a scan")
    func killAllocatingTask() throws {
        var k = Kernel(scenario: stallScenario(policy: [.oomKillAllocatingTask: "on"]))
        try Lab.run(&k, ticks: 500)
        #expect(k.oomKills.first?.name == "hog")
        #expect(k.recentEvents.contains { $0.text == "Out of memory (oom_kill_allocating_task)" })
    }

    @Test("every task at -1000: no killable processes, panic", arguments: [Era.v2015, .modern])
    func noKillable(era: Era) throws {
        let s = Lab.scenario(Lab.machine(ramMiB: 32), era: era, [
            Lab.sleeper(10, "a", mib: 8, adj: -1000),
            Lab.hog(20, mib: 64, adj: -1000),
        ])
        var k = Kernel(scenario: s)
        try Lab.run(&k, ticks: 500)
        #expect(k.verdict.kind == .panic)
        #expect(k.recentEvents.contains { $0.text == "Out of memory and no killable processes..." })
    }

    @Test("reservations: the transaction reserves before its lock, so its body never loops")
    func reservations() throws {
        func run(_ reservations: String) throws -> Kernel {
            let s = Lab.scenario(Lab.machine(ramMiB: 40), policy: [.reservations: reservations], locks: ["L"], [
                TaskSpec(pid: 10, name: "fs", program: [
                    .sleep(ticks: 2),
                    .transaction(reserve: 64, body: [
                        .lock(name: "L", wait: .uninterruptible),
                        .sleep(ticks: 40),
                        .repeat(count: 4, body: [.alloc(AllocSpec(pages: 16, order: 4, gfp: .nofs, target: .kernel,
                                                                   retry: .kmemAlloc, ratePerTick: 16))]),
                        .unlock(name: "L"),
                    ]),
                    .sleep(ticks: 1_000_000),
                ]),
                TaskSpec(pid: 30, name: "victim", anonPages: 24 * Lab.mib, program: [
                    .repeat(count: nil, body: [.lock(name: "L", wait: .uninterruptible), .unlock(name: "L"), .sleep(ticks: 2)]),
                ]),
                Lab.hog(50, mib: 64, start: 10),
            ])
            var k = Kernel(scenario: s)
            try Lab.run(&k, ticks: 1500)
            return k
        }
        let on = try run("on")
        #expect(on.verdict.kind == .recovered)
        #expect(on.task(pid: 10)?.heldLocks.isEmpty == true)
        #expect(on.memory.reservationPool == 0, "the rest of the reservation returned at commit")
        let off = try run("off")
        #expect(off.verdict.kind == .stall)
    }
}

@Suite("Threads: the OOM killer weighs, kills and reaps a process")
struct ThreadGroupTests {
    func scenario(era: Era = .v2015, policy: [PolicyKey: String] = [:]) -> Scenario {
        var worker = Lab.sleeper(11, "java-worker", mib: 10)
        worker.tgid = 10
        return Lab.scenario(Lab.machine(ramMiB: 64), era: era, policy: policy, [
            Lab.sleeper(10, "java", mib: 10),
            worker,
            Lab.sleeper(20, "postgres", mib: 15),
            Lab.hog(30, mib: 64, adj: -1000, start: 5),
        ])
    }

    @Test("two threads of 10 MiB outweigh a process of 15 MiB; both die", arguments: [Era.v2015, .modern])
    func weighedTogether(era: Era) throws {
        var k = Kernel(scenario: scenario(era: era))
        let events = try Lab.run(&k, ticks: 300)
        #expect(k.oomKills.first?.name == "java")
        #expect(k.task(pid: 10)?.state == .dead)
        #expect(k.task(pid: 11)?.state == .dead, "SIGKILL reaches every thread")
        // One task-table row for the process, with both threads' memory.
        let rows = events.map(\.text).filter { $0.hasSuffix(" java") || $0.hasSuffix(" java-worker") }
        #expect(rows.count == 1)
        #expect(rows.first?.contains(" \(20 * Lab.mib) ") == true, "rss of both threads: \(rows)")
    }

    @Test("/proc oom_score is the process's, for every thread")
    func oomScore() {
        let k = Kernel(scenario: scenario())
        let java = k.oomScore(of: k.task(pid: 10)!)
        #expect(java == k.oomScore(of: k.task(pid: 11)!))
        #expect(java > k.oomScore(of: k.task(pid: 20)!))
    }

    @Test("a killed thread looping in the allocator gets reserves (or NULL) and lets go of its lock", arguments: [Era.v2015, .modern])
    func dyingThreadUnwinds(era: Era) throws {
        var io = TaskSpec(pid: 11, name: "java-mmap", mmapLock: "mm", startTick: 2, program: [
            .lock(name: "mm", wait: .uninterruptible),
            .alloc(AllocSpec(pages: 64 * Lab.mib, gfp: .kernel, target: .anon)),
            .unlock(name: "mm"),
            .sleep(ticks: 1_000_000),
        ])
        io.tgid = 10
        let s = Lab.scenario(Lab.machine(ramMiB: 64), era: era, policy: [.oomReaper: "off"], locks: ["mm"], [
            TaskSpec(pid: 10, name: "java", anonPages: 30 * Lab.mib, mmapLock: "mm", program: [.sleep(ticks: 1_000_000)]),
            io,
            Lab.sleeper(20, "backup", mib: 10),
        ])
        var k = Kernel(scenario: s)
        try Lab.run(&k, ticks: 600)
        #expect(k.oomKills.map(\.name) == ["java"])
        #expect(k.task(pid: 10)?.state == .dead, "java exits once its thread drops the mmap_lock")
        #expect(k.task(pid: 11)?.state == .dead)
        #expect(k.verdict.kind == .recovered)
    }
}

@Suite("Sacrifice child (before 5.1)")
struct SacrificeChildTests {
    func scenario(_ era: Era) -> Scenario {
        var small = Lab.sleeper(11, "apache-worker", mib: 4)
        small.parent = 10
        var big = Lab.sleeper(12, "apache-worker", mib: 8)
        big.parent = 10
        return Lab.scenario(Lab.machine(ramMiB: 64), era: era, [
            Lab.sleeper(10, "apache", mib: 30),
            small, big,
            Lab.hog(30, mib: 64, adj: -1000, start: 5),
        ])
    }

    @Test("2015: the chosen process's biggest child dies in its place")
    func sacrificed() throws {
        var k = Kernel(scenario: scenario(.v2015))
        let text = Lab.text(try Lab.run(&k, ticks: 40))
        #expect(text.contains("Out of memory: Kill process 10 (apache) score "))
        #expect(text.contains("Killed process 12 (apache-worker) total-vm:\(Units.kb(pages: 8 * Lab.mib))kB"))
        #expect(k.oomKills.first?.pid == 12)
        #expect(k.task(pid: 10)?.isAlive == true)
    }

    @Test("modern: no sacrifice, the chosen process dies")
    func modern() throws {
        var k = Kernel(scenario: scenario(.modern))
        // 6.13's zone_reclaimable_pages counts free pages, so should_reclaim_retry
        // runs its 16 rounds before the OOM step (docs/kernel.md, D10).
        try Lab.run(&k, ticks: 80)
        #expect(k.oomKills.first?.pid == 10)
    }
}

/// oom_unkillable_task(): init and kernel threads, in every era.
@Suite("init is never an OOM victim")
struct UnkillableInitTests {
    @Test("the largest process is pid 1: the OOM killer takes the next, and init is not in the task table", arguments: Era.allCases)
    func initLargest(era: Era) throws {
        let s = Lab.scenario(Lab.machine(ramMiB: 64), era: era, [
            Lab.sleeper(1, "systemd", mib: 40, uid: 0),
            Lab.hog(200, "leak", mib: 64),
        ])
        var k = Kernel(scenario: s)
        let text = Lab.text(try Lab.run(&k, ticks: 1000))
        #expect(k.oomKills.map(\.pid) == [200])
        #expect(!text.contains("Kill process 1 ") && !text.contains("Killed process 1 "))
        #expect(!text.contains(" systemd\n") && !text.hasSuffix(" systemd"), "dump_tasks skips oom_unkillable_task()")
        #expect(!text.split(separator: "\n").contains { $0.hasSuffix(" systemd") })
        #expect(k.oomScore(of: try #require(k.task(pid: 1))) == 0, "/proc/1/oom_score is 0")
        #expect(k.task(pid: 1)?.isAlive == true)
    }

    @Test("a thread of init is init too (is_global_init compares the tgid)")
    func initThread() throws {
        var thread = Lab.sleeper(2, "systemd-worker", mib: 40, uid: 0)
        thread.tgid = 1
        let s = Lab.scenario(Lab.machine(ramMiB: 64), [Lab.sleeper(1, "systemd", mib: 1, uid: 0), thread, Lab.hog(200, "leak", mib: 64)])
        var k = Kernel(scenario: s)
        try Lab.run(&k, ticks: 1000)
        #expect(k.oomKills.map(\.pid) == [200])
    }

    @Test("only init and kernel threads left: no killable processes, panic")
    func onlyInit() throws {
        let s = Lab.scenario(Lab.machine(ramMiB: 64), [
            TaskSpec(pid: 1, name: "systemd", uid: 0, anonPages: 8 * Lab.mib, program: [
                .alloc(AllocSpec(pages: 64 * Lab.mib, gfp: .highuserMovable, target: .anon)),
            ]),
        ])
        var k = Kernel(scenario: s)
        let text = Lab.text(try Lab.run(&k, ticks: 1000))
        #expect(k.oomKills.isEmpty)
        #expect(k.verdict.kind == .panic)
        #expect(text.contains("Out of memory and no killable processes..."))
    }
}

@Suite("Lowmem requests never invoke the OOM killer")
struct LowmemOOMTests {
    @Test("a GFP_KERNEL | __GFP_DMA32 request at OOM fails with a page allocation failure and kills nothing", arguments: Era.allCases)
    func dma32(era: Era) throws {
        let s = Lab.scenario(Lab.machine(ramMiB: 64), era: era, [
            Lab.sleeper(10, "big", mib: 56),
            TaskSpec(pid: 20, name: "driver", program: [
                .alloc(AllocSpec(pages: 16 * Lab.mib, gfp: GFPFlags.kernel.union(.dma32), target: .kernel)),
                .sleep(ticks: 1_000_000),
            ]),
        ])
        var k = Kernel(scenario: s)
        let text = Lab.text(try Lab.run(&k, ticks: 2000))
        #expect(k.oomKills.isEmpty, "__alloc_pages_may_oom: high_zoneidx < ZONE_NORMAL, goto out")
        #expect(text.contains("driver: page allocation failure: order:0"))
        #expect(!text.contains("invoked oom-killer"))
        #expect(k.task(pid: 10)?.isAlive == true)
    }
}

/// Neither era's slow path checks fatal_signal_pending: a killed task
/// leaves the allocator only when its request ends.
@Suite("SIGKILL and a looping allocation")
struct SigkillInAllocatorTests {
    /// `looper` loops for memory that is not there; nothing else can be reclaimed.
    static func scenario(_ era: Era, gfp: GFPFlags) -> Scenario {
        Lab.scenario(Lab.machine(ramMiB: 64), era: era, [
            Lab.sleeper(10, "big", mib: 40),
            TaskSpec(pid: 20, name: "looper", program: [
                .alloc(AllocSpec(pages: 64 * Lab.mib, gfp: gfp, target: .kernel)),
                .sleep(ticks: 1_000_000),
            ]),
        ])
    }

    static func killWhileLooping(_ era: Era, gfp: GFPFlags) throws -> (Kernel, String) {
        var k = Kernel(scenario: scenario(era, gfp: gfp))
        var events = try Lab.run(&k, ticks: 300)
        #expect(k.task(pid: 20)?.allocation?.looping == true, "looping in the allocator before the kill")
        try k.kill(pid: 20)
        events += try Lab.run(&k, ticks: 1000)
        return (k, Lab.text(events))
    }

    @Test("2015: a killed GFP_NOFS looper without TIF_MEMDIE loops on (the NOFS bail-out comes before out_of_memory's dying shortcut)")
    func nofs2015() throws {
        let (k, _) = try Self.killWhileLooping(.v2015, gfp: .nofs)
        let t = try #require(k.task(pid: 20))
        #expect(t.isAlive && t.sigkill && !t.memdie)
        #expect(t.allocation != nil, "still in the allocator")
        #expect(k.oomKills.isEmpty)
    }

    @Test("2015: a killed GFP_HIGHUSER_MOVABLE looper is marked by out_of_memory's dying shortcut, takes its pages from the reserves (TIF_MEMDIE) and exits; nobody else dies")
    func kernel2015() throws {
        // The built-in stall: journald loops in the allocator while the OOM killer aborts for postgres.
        var k = Kernel(scenario: .defaultScenario)
        try Lab.run(&k, ticks: 800)
        #expect(k.task(pid: 2001)?.allocation?.looping == true)
        try k.kill(pid: 2001)
        let text = Lab.text(try Lab.run(&k, ticks: 200))
        #expect(k.task(pid: 2001)?.isAlive == false)
        #expect(k.oomKills.count == 1, "the dying task is marked without a report; nobody else is killed")
        #expect(text.contains("oomlab: OOM victim journald[2001] exited"), "marked TIF_MEMDIE by the shortcut")
        #expect(!text.contains("Killed process"))
    }

    @Test("modern: the dying NOFS looper reaches the OOM step, gets ALLOC_OOM, fails the allocation and exits")
    func nofsModern() throws {
        let (k, _) = try Self.killWhileLooping(.modern, gfp: .nofs)
        #expect(k.task(pid: 20)?.isAlive == false)
        #expect(k.task(pid: 10)?.isAlive == true)
        #expect(k.oomKills.isEmpty)
    }
}

/// XFS's kmem_alloc loop is 4.0's; 6.x XFS asks for __GFP_NOFAIL in a NOFS scope.
@Suite("XFS kmem_alloc per era")
struct XFSKmemAllocTests {
    static func run(_ era: String) throws -> (Kernel, String) {
        var s = Scenario.defaultScenario
        try s.policy.set(.era, era)
        try s.policy.set(.oomReaper, "off")
        var k = Kernel(scenario: s)
        let text = Lab.text(try Lab.run(&k, ticks: 1500))
        return (k, text)
    }

    @Test("2015: the kmem_alloc loop warns every 100 tries, the mode in plain hex as 4.0 printed it")
    func v2015() throws {
        let (k, text) = try Self.run("2015")
        #expect(text.contains("XFS: possible memory allocation deadlock in kmem_alloc (mode:0x250)\n"))
        let a = try #require(k.task(pid: 412)?.allocation)
        #expect(a.spec.retry == .kmemAlloc)
        let warnings = text.split(separator: "\n").filter { $0.hasPrefix("XFS: possible memory allocation deadlock") }
        #expect(a.tries >= 100 && warnings.count == a.tries / 100, "\(warnings.count) warnings in \(a.tries) tries")
    }

    @Test("modern: no kmem_alloc loop and no XFS warning; the request is GFP_NOFS | __GFP_NOFAIL, looped on by the allocator")
    func modern() throws {
        let (k, text) = try Self.run("modern")
        #expect(!text.contains("XFS:"), "6.x XFS has no kmem_alloc and never printed this")
        let a = try #require(k.task(pid: 412)?.allocation)
        #expect(a.spec.retry == .allocator)
        #expect(a.spec.gfp.contains(.nofail) && !a.spec.gfp.contains(.fs))
        #expect(k.waitChain(pid: 1337).contains { $0.hasPrefix("loops in __alloc_pages_slowpath: order-4 GFP_NOFS|__GFP_NOFAIL") },
                "\(k.waitChain(pid: 1337))")
    }
}
