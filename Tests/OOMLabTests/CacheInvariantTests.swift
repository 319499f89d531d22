import Testing
@testable import OOMLabKernel

/// checkInvariants covers every derived cache (issue 11 point 3): each one,
/// broken through the test-only hook, makes the check fail, and the kernel
/// the test breaks passes it before.
@Suite struct CacheInvariantTests {
    /// A state with something in every cache: a thread group, a lock with an
    /// owner and a waiter (parked for ever), sleepers in the timer wheel, and
    /// an OOM victim that cannot exit (it waits for the lock); the sleepers
    /// are in a memory cgroup.
    static func busyKernel() throws -> Kernel {
        var tasks = [
            TaskSpec(pid: 10, name: "holder", program: [.lock(name: "m", wait: .uninterruptible), .sleep(ticks: 100_000)]),
            TaskSpec(pid: 11, name: "waiter", anonPages: 40 * Lab.mib, startTick: 2,
                     program: [.lock(name: "m", wait: .uninterruptible), .exit]),
            TaskSpec(pid: 12, name: "thread", startTick: 2, program: [.sleep(ticks: 50)]),
            Lab.hog(20, "hog", mib: 30),
        ]
        tasks[2].tgid = 11
        for n in 0..<4 { tasks.append(TaskSpec(pid: 30 + n, name: "nap\(n)", program: [.repeat(count: nil, body: [.sleep(ticks: 3 + n * 300)])])) }
        // The sleepers in a memory cgroup: the run queue keeps parked totals by cgroup.
        let naps = try #require(CgroupPath.root.appending("naps"))
        for k in tasks.indices where tasks[k].name.hasPrefix("nap") { tasks[k].cgroup = naps }
        var scenario = Lab.scenario(Lab.machine(ramMiB: 64), locks: ["m"], tasks)
        scenario.cgroups = CgroupsSpec(version: .v2, groups: [CgroupSpec(path: naps)])
        var k = Kernel(scenario: scenario)
        try Lab.run(&k, ticks: 400)
        return k
    }

    @Test func theBusyKernelHasEveryCacheFilled() throws {
        let k = try Self.busyKernel()
        #expect(!k.oom.liveVictims.isEmpty, "an OOM victim is alive")
        #expect(k.taskTable.hasThreadGroups)
        #expect(k.taskTable.schedule.contains { $0.until == .max && $0.stat == .blocked }, "a lock waiter is parked")
        #expect(k.taskTable.runQueue.wheel.contains { !$0.isEmpty }, "sleepers are in the wheel")
        try k.checkInvariants()
    }

    @Test(arguments: Kernel.DerivedCache.allCases)
    func aBrokenCacheFailsTheCheck(_ cache: Kernel.DerivedCache) throws {
        var k = try Self.busyKernel()
        let broke = k.corruptForTesting(cache)
        #expect(broke, "the state has a \(cache) to break")
        #expect(throws: Kernel.InvariantViolation.self) { try k.checkInvariants() }
    }

    /// The run queue's caches are a function of the schedule and the tick:
    /// rebuilt from scratch they compare equal, and the rebuilt kernel steps
    /// the same as the one that kept its own.
    @Test func theRunQueueRebuildsToTheSameState() throws {
        var k = try Self.busyKernel()
        var rebuilt = k
        rebuilt.rebuildRunQueue()
        #expect(rebuilt == k)
        for _ in 0..<700 {
            let a = k.step(), b = rebuilt.step()
            #expect(a == b)
        }
        #expect(rebuilt == k)
        try rebuilt.checkInvariants()
    }
}
