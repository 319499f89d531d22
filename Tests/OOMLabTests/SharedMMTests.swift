import Testing
@testable import OOMLab
@testable import OOMLabKernel

/// Threads share one mm (docs/kernel.md §6.6): its pages are counted once,
/// freed at the last mmput(), owned by one thread at a time
/// (mm_update_next_owner); victim status is per thread in 4.0 (TIF_MEMDIE)
/// and per process in 6.13 (signal->oom_mm).
@Suite("SharedMMTests: threads share one mm")
struct SharedMMTests {
    static let mib = Lab.mib

    /// java (pid 10) and its threads 11 and 12, 10 MiB each in the scenario.
    func scenario(era: Era, programs: [[Op]]? = nil) -> Scenario {
        let sleep: [Op] = [.sleep(ticks: 1_000_000)]
        let ops = programs ?? [sleep, sleep, sleep]
        var tasks: [TaskSpec] = []
        for (n, pid) in [10, 11, 12].enumerated() {
            var t = TaskSpec(pid: pid, name: pid == 10 ? "java" : "java-\(n)", anonPages: 10 * Self.mib, program: ops[n])
            if pid != 10 { t.tgid = 10 }
            tasks.append(t)
        }
        tasks.append(Lab.sleeper(20, "postgres", mib: 25))
        return Lab.scenario(Lab.machine(ramMiB: 128), era: era, policy: [.oomReaper: "off"], tasks)
    }

    @Test("the threads' pages are one mm, on its owner's entry, weighed once", arguments: [Era.v2015, .modern])
    func oneMM(era: Era) throws {
        let k = Kernel(scenario: scenario(era: era))
        try k.checkInvariants()
        #expect(k.task(pid: 10)?.anon == 30 * Self.mib, "the leader owns the mm")
        #expect(k.task(pid: 11)?.anon == 0)
        #expect(k.task(pid: 12)?.anon == 0)
        #expect(k.memory.anon == 55 * Self.mib)
        // oom_badness reads p->mm once: every thread scores the process, which
        // outweighs postgres's 25 MiB.
        let scores = [10, 11, 12].map { k.oomScore(of: k.task(pid: $0)!) }
        #expect(Set(scores).count == 1)
        #expect(scores[0] > k.oomScore(of: k.task(pid: 20)!))
        var oc = k.oomControl(gfp: .kernel, order: 0)
        k.selectBadProcess(&oc)
        #expect(oc.chosen == .task(k.taskTable.pidIndex[10]!))
    }

    @Test("a thread's exit frees nothing; the owner's hands the mm on; the last one frees it", arguments: [Era.v2015, .modern])
    func lastMmputFrees(era: Era) throws {
        let programs: [[Op]] = [[.sleep(ticks: 20), .exit], [.sleep(ticks: 10), .exit], [.sleep(ticks: 30), .exit]]
        var k = Kernel(scenario: scenario(era: era, programs: programs))
        let mm = 30 * Self.mib
        try Lab.run(&k, ticks: 15)
        #expect(k.task(pid: 11)?.state == .dead)
        #expect(k.memory.anon == mm + 25 * Self.mib, "exit_mm of a thread with live siblings: mmput is not the last")
        try Lab.run(&k, ticks: 10)
        #expect(k.task(pid: 10)?.state == .dead)
        #expect(k.task(pid: 12)?.anon == mm, "mm_update_next_owner: the mm passes to the live thread")
        #expect(k.taskTable.mmOwners[10] == 12)
        #expect(k.memory.anon == mm + 25 * Self.mib)
        try Lab.run(&k, ticks: 10)
        #expect(k.task(pid: 12)?.state == .dead)
        #expect(k.memory.anon == 25 * Self.mib, "the last mmput frees the mm")
        #expect(k.memory.pageTables == Kernel.pageTablePages(mapped: 25 * Self.mib))
        #expect(k.taskTable.mmOwners[10] == nil)
    }

    /// get_mm_rss(mm) is the process's: /proc/PID/status VmRSS (task_mem)
    /// reads the shared mm, so every live thread shows the same number, what
    /// the thread allocates included. A thread that has exited has no mm
    /// (exit_mm: tsk->mm = NULL) and shows none; the mm lives on in the
    /// thread that took it over (mm_update_next_owner) until the last mmput.
    @Test("every live thread shows its mm's rss; an exited one none; the survivor the whole mm", arguments: [Era.v2015, .modern])
    func threadsShowTheMMsRSS(era: Era) throws {
        let mib = Self.mib
        let leader = TaskSpec(pid: 10, name: "java", anonPages: 20 * mib, program: [.sleep(ticks: 20), .exit])
        var thread = TaskSpec(pid: 11, name: "java-gc", anonPages: 0, program: [
            .alloc(AllocSpec(pages: 4 * mib, gfp: .highuserMovable, target: .anon)),
            .sleep(ticks: 30), .exit,
        ])
        thread.tgid = 10
        let s = Lab.scenario(Lab.machine(ramMiB: 128), era: era, policy: [.oomReaper: "off"],
                             [leader, thread, Lab.sleeper(20, "postgres", mib: 8)])
        var k = Kernel(scenario: s)
        func shown(_ pid: Int) -> Int { k.mmRSS(of: k.task(pid: pid)!) }
        #expect(shown(10) == 20 * mib && shown(11) == 20 * mib, "both threads show the one mm")
        #expect(k.task(pid: 11)?.rss == 0, "the thread's own entry carries none of it")
        #expect(shown(20) == 8 * mib, "a process without threads shows its own rss")
        try Lab.run(&k, ticks: 10)
        #expect(shown(10) == 24 * mib && shown(11) == 24 * mib, "the thread's allocation is the mm's")
        #expect((0..<k.tasks.count).map { k.mmRSS(at: $0) } == k.tasks.map { k.mmRSS(of: $0) })
        try Lab.run(&k, ticks: 15)
        #expect(k.task(pid: 10)?.state == .dead)
        #expect(shown(10) == 0, "exit_mm: the exited leader has no mm")
        #expect(shown(11) == 24 * mib, "the surviving thread shows the whole mm, now its own")
        #expect(k.task(pid: 11)?.rss == 24 * mib)
        try Lab.run(&k, ticks: 20)
        #expect(k.task(pid: 11)?.state == .dead)
        #expect(shown(10) == 0 && shown(11) == 0, "the last mmput freed the mm")
        #expect(k.memory.anon == 8 * mib)
    }

    @Test("victim status: 4.0 the marked thread only (TIF_MEMDIE); 6.13 every thread (signal->oom_mm)")
    func victimStatusPerEra() throws {
        for era in [Era.v2015, .modern] {
            var k = Kernel(scenario: scenario(era: era))
            let java = try #require(k.taskTable.pidIndex[10])
            let sibling = try #require(k.taskTable.pidIndex[11])
            k.markOOMVictim(java)
            #expect(k.isOOMVictim(java))
            #expect(k.isOOMVictim(sibling) == (era == .modern))
            // The sibling's slow path: 6.13 oom_reserves_allowed grants
            // ALLOC_OOM; in 4.0 it has no TIF_MEMDIE and no grant.
            let grant = k.reserveFlags(.highuserMovable, victim: k.isOOMVictim(sibling))
            #expect(grant == (era == .modern ? AllocFlags.oom : nil))
            #expect(!k.isOOMVictim(try #require(k.taskTable.pidIndex[20])), "another process is no victim")
        }
    }

    @Test("the marked thread gone, the mm still in use: 6.13 waits for the process, 4.0 kills the survivor again")
    func survivorAfterMarkedThread() throws {
        for era in [Era.v2015, .modern] {
            var k = Kernel(scenario: scenario(era: era))
            let java = try #require(k.taskTable.pidIndex[10])
            k.markOOMVictim(java)
            k.exitMM(java)
            #expect(k.task(pid: 11)?.anon == 30 * Self.mib, "the mm lives on in the surviving threads")
            var oc = k.oomControl(gfp: .kernel, order: 0)
            k.selectBadProcess(&oc)
            switch era {
            case .modern:
                // oom_evaluate_task: tsk_is_oom_victim and no MMF_OOM_SKIP yet: abort.
                #expect(oc.chosen == .inflightVictim(pid: 11))
            case .v2015:
                // oom_scan_process_thread: no TIF_MEMDIE on the survivors, not
                // exiting: the process is chosen again, by its mm.
                #expect(oc.chosen == .task(k.taskTable.pidIndex[11]!))
            }
        }
    }

    @Test("the OOM report lists the process once, with its mm", arguments: [Era.v2015, .modern])
    func reportRow(era: Era) throws {
        var s = scenario(era: era)
        s.tasks.append(Lab.hog(30, mib: 128, adj: -1000, start: 5))
        var k = Kernel(scenario: s)
        let events = try Lab.run(&k, ticks: 300)
        #expect(k.oomKills.first?.name == "java")
        let rows = events.map(\.text).filter { $0.contains("] ") && $0.contains(" java") && $0.hasPrefix("[") }
        #expect(rows.count == 1, "\(rows)")
        #expect(rows.first?.contains(" \(30 * Self.mib) ") == true, "the mm's rss: \(rows)")
        #expect([10, 11, 12].allSatisfy { k.task(pid: $0)?.state == .dead }, "SIGKILL reaches every thread")
        #expect([10, 11, 12].allSatisfy { k.task(pid: $0)?.anon == 0 }, "the last exit freed the mm")
    }
}
