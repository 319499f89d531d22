import Testing
@testable import OOMLab
@testable import OOMLabKernel

/// Locks as rwsems (docs/kernel.md §8.3): readers share, a queued writer
/// blocks new readers, the head of the queue gets the lock on release, and
/// the reaper's mmap_read_trylock fails only against a writer or a queue.
@Suite("mmap_lock is a rwsem")
struct RwsemTests {
    /// Tasks that take `L` in the given modes at ticks 1, 3, 5, ... (one at a
    /// time, whatever the seed's order within a tick) and hold it `hold` ticks
    /// each; a task's pid is 10 + its place.
    func lockers(_ modes: [LockMode], hold: Int = 50, era: Era = .v2015) -> Kernel {
        let tasks = modes.enumerated().map { n, mode in
            TaskSpec(pid: 10 + n, name: "t\(n)", startTick: 1 + 2 * n, program: [
                .lock(name: "L", wait: .uninterruptible, mode: mode),
                .sleep(ticks: hold),
                .unlock(name: "L"),
                .sleep(ticks: 1_000_000),
            ])
        }
        return Kernel(scenario: Lab.scenario(Lab.machine(), era: era, locks: ["L"], tasks))
    }

    @Test("readers share the lock; a writer waits for all of them")
    func readersShare() throws {
        var k = lockers([.read, .read, .write])
        try Lab.run(&k, ticks: 10)
        let l = try #require(k.lock(named: "L"))
        #expect(l.readers == [10, 11])
        #expect(l.owner == nil && l.waiters == [12])
        #expect(k.describeWait(k.task(pid: 12)!) == "lock L held for read by 10 11")
        try Lab.run(&k, ticks: 42)
        #expect(k.lock(named: "L")?.readers == [11], "the writer waits while one reader is left")
        try Lab.run(&k, ticks: 5)
        #expect(k.lock(named: "L")?.owner == 12, "the writer gets it once the last reader lets go")
    }

    @Test("a queued writer blocks new readers, which wait behind it")
    func queuedWriterBlocksReaders() throws {
        var k = lockers([.read, .write, .read])
        try Lab.run(&k, ticks: 10)
        let l = try #require(k.lock(named: "L"))
        #expect(l.readers == [10], "the second reader did not pass the queued writer")
        #expect(l.waiters == [11, 12])
        #expect(k.describeWait(k.task(pid: 12)!) == "lock L for read held for read by 10, behind writer 11")
        #expect(k.waitChain(pid: 12).contains("t1[11] is queued ahead for L for write, and a queued writer blocks new readers"))
        try Lab.run(&k, ticks: 45)
        #expect(k.lock(named: "L")?.owner == 11 && k.lock(named: "L")?.waiters == [12])
    }

    @Test("on release readers at the head wake together: 4.0 up to the first writer, 6.13 every queued reader",
          arguments: [Era.v2015, .modern])
    func readerWakeup(era: Era) throws {
        // A writer holds L; queued: reader, reader, writer, reader.
        var k = lockers([.write, .read, .read, .write, .read], era: era)
        try Lab.run(&k, ticks: 12)
        #expect(k.lock(named: "L")?.waiters == [11, 12, 13, 14])
        try Lab.run(&k, ticks: 45)
        let l = try #require(k.lock(named: "L"))
        if era == .v2015 {
            #expect(l.readers == [11, 12] && l.waiters == [13, 14])   // __rwsem_do_wake
        } else {
            #expect(l.readers == [11, 12, 14] && l.waiters == [13])   // rwsem_mark_wake
        }
    }

    @Test("a reader taking the lock again behind a queued writer closes a lock cycle")
    func recursiveReadDeadlocks() throws {
        let s = Lab.scenario(Lab.machine(), locks: ["L"], [
            TaskSpec(pid: 10, name: "reader", program: [
                .lock(name: "L", wait: .uninterruptible, mode: .read), .sleep(ticks: 5),
                .lock(name: "L", wait: .uninterruptible, mode: .read), .sleep(ticks: 1_000_000),
            ]),
            TaskSpec(pid: 11, name: "writer", startTick: 2, program: [
                .lock(name: "L", wait: .uninterruptible), .sleep(ticks: 1_000_000),
            ]),
        ])
        var k = Kernel(scenario: s)
        try Lab.run(&k, ticks: 20)
        #expect(k.verdict.kind == .deadlock)
        #expect(k.verdict.reason.contains("reader[10] waits for L, behind the queued writer writer[11] waits for L, held by reader[10]"))
    }

    /// The stall scenario of OOMKillerTests with the victim's mmap_lock held by
    /// the looping thread of its process, in `mode`.
    func reaperScenario(_ mode: LockMode) -> Scenario {
        var victim = TaskSpec(pid: 30, name: "victim", anonPages: 24 * Lab.mib, mmapLock: "mm", program: [
            .sleep(ticks: 5), .lock(name: "L", wait: .uninterruptible), .sleep(ticks: 1_000_000),
        ])
        victim.tgid = 30
        var holder = TaskSpec(pid: 31, name: "victim-io", mmapLock: "mm", program: [
            .lock(name: "L", wait: .uninterruptible),
            .lock(name: "mm", wait: .uninterruptible, mode: mode),
            .sleep(ticks: 40),
            .alloc(OOMKillerTests.plainNOFS),
            .sleep(ticks: 1_000_000),
        ])
        holder.tgid = 30
        return Lab.scenario(Lab.machine(ramMiB: 40), era: .modern, locks: ["L", "mm"], [
            victim, holder, Lab.hog(50, mib: 64, start: 10),
        ])
    }

    @Test("the reaper reaps while a reader holds mmap_lock")
    func reaperReapsBesideReader() throws {
        var k = Kernel(scenario: reaperScenario(.read))
        let text = Lab.text(try Lab.run(&k, ticks: 600))
        #expect(k.lock(named: "mm")?.readers == [31])
        #expect(text.contains("oom_reaper: reaped process 30 (victim), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB"))
        #expect(!text.contains("oom_reaper: unable to reap"))
        #expect(k.reaped == [30])
    }

    @Test("the reaper's mmap_read_trylock fails against a writer, ten times")
    func reaperFailsAgainstWriter() throws {
        var k = Kernel(scenario: reaperScenario(.write))
        let text = Lab.text(try Lab.run(&k, ticks: 600))
        #expect(text.contains("oom_reaper: unable to reap pid:30 (victim)"))
        #expect(k.reaped.isEmpty)
    }

    @Test("mmap_read_trylock fails while a writer is queued behind readers")
    func trylockFailsOnQueue() throws {
        var k = lockers([.read, .write])
        try Lab.run(&k, ticks: 2)
        #expect(k.lock(named: "L")?.readers == [10])
        #expect(k.readTrylockWouldSucceed("L"), "readers alone never fail a read trylock")
        try Lab.run(&k, ticks: 3)
        #expect(k.lock(named: "L")?.waiters == [11])
        #expect(!k.readTrylockWouldSucceed("L"))
    }

    @Test("exit_mm's down_read passes beside readers and waits for a writer", arguments: [LockMode.read, .write])
    func exitWaitsOnlyForWriter(mode: LockMode) throws {
        let s = Lab.scenario(Lab.machine(), locks: ["mm"], [
            TaskSpec(pid: 10, name: "holder", program: [
                .lock(name: "mm", wait: .uninterruptible, mode: mode), .sleep(ticks: 1_000_000),
            ]),
            TaskSpec(pid: 11, name: "leaver", anonPages: 4 * Lab.mib, mmapLock: "mm", startTick: 2, program: [.exit]),
        ])
        var k = Kernel(scenario: s)
        try Lab.run(&k, ticks: 10)
        let leaver = try #require(k.task(pid: 11))
        if mode == .read {
            #expect(leaver.state == .dead)
        } else {
            #expect(leaver.wait == .exitMmapLock(name: "mm"))
            #expect(k.describeWait(leaver) == "exit_mm: mmap_lock mm held by 10")
        }
    }

    @Test("hung-task stacks name each era's down_read slow path", arguments: [Era.v2015, .modern])
    func readStack(era: Era) throws {
        var k = lockers([.write, .read], hold: 1_000_000, era: era)
        try Lab.run(&k, ticks: 6)
        let frames = k.sleepTrace(try #require(k.task(pid: 11)))
        #expect(frames == (era == .v2015
            ? ["schedule", "rwsem_down_read_failed", "call_rwsem_down_read_failed", "down_read"]
            : ["schedule", "rwsem_down_read_slowpath", "down_read"]))
    }
}
