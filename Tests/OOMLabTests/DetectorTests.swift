import Testing
@testable import OOMLab
@testable import OOMLabKernel

@Suite("Detectors: hung tasks, lock cycles, livelock")
struct DetectorTests {
    @Test("khungtaskd reports only TASK_UNINTERRUPTIBLE waiters, in the kernel's words")
    func hungTask() throws {
        let s = Lab.scenario(Lab.machine(), policy: [.hungTaskTimeoutSecs: "2"], locks: ["L"], [
            TaskSpec(pid: 1, name: "owner", program: [.lock(name: "L", wait: .uninterruptible), .sleep(ticks: 1_000_000)]),
            TaskSpec(pid: 2, name: "stuck", program: [.sleep(ticks: 2), .lock(name: "L", wait: .uninterruptible)]),
            TaskSpec(pid: 3, name: "killable", program: [.sleep(ticks: 2), .lock(name: "L", wait: .killable)]),
        ])
        var k = Kernel(scenario: s)
        let text = Lab.text(try Lab.run(&k, ticks: 500))
        #expect(text.contains("INFO: task stuck:2 blocked for more than 2 seconds."))
        #expect(text.contains("\"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message."))
        #expect(!text.contains("task killable:3"))
        #expect(!text.contains("task owner:1"), "an interruptible sleep is not a hung task")
    }

    @Test("an ABBA lock cycle is a deadlock naming both tasks and locks")
    func deadlock() throws {
        let s = Lab.scenario(Lab.machine(), locks: ["A", "B"], [
            TaskSpec(pid: 1, name: "one", program: [.lock(name: "A", wait: .uninterruptible), .sleep(ticks: 3), .lock(name: "B", wait: .uninterruptible)]),
            TaskSpec(pid: 2, name: "two", program: [.lock(name: "B", wait: .uninterruptible), .sleep(ticks: 3), .lock(name: "A", wait: .uninterruptible)]),
        ])
        var k = Kernel(scenario: s)
        try Lab.run(&k, ticks: 20)
        #expect(k.verdict.kind == .deadlock)
        for word in ["one[1]", "two[2]", " A", " B"] { #expect(k.verdict.reason.contains(word)) }
    }

    @Test("NOFS allocators looping with nothing to reclaim and nobody to kill: livelock")
    func livelock() throws {
        let s = Lab.scenario(Lab.machine(ramMiB: 32), [
            Lab.sleeper(10, "big", mib: 10),
            TaskSpec(pid: 20, name: "nofs", program: [.alloc(AllocSpec(pages: 64 * Lab.mib, gfp: .nofs, target: .kernel))]),
        ])
        var k = Kernel(scenario: s)
        try Lab.run(&k, ticks: 2000)
        #expect(k.oomKills.isEmpty)
        #expect(k.verdict.kind == .livelock)
        #expect(k.verdict.reason.contains("nofs[20]"))
    }

    @Test("a scenario that never runs short is ok")
    func ok() throws {
        let s = Lab.scenario(Lab.machine(ramMiB: 64), [Lab.hog(1, mib: 8)])
        var k = Kernel(scenario: s)
        try Lab.run(&k, ticks: 300)
        #expect(k.verdict.kind == .ok)
        #expect(k.oomKills.isEmpty && k.tasks.allSatisfy { $0.state != .blocked }, "nothing was killed or left waiting")
    }
}
