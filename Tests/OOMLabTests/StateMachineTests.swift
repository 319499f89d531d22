import Testing
@testable import OOMLabKernel

/// kswapd and the OOM reaper as state machines: what each says happened,
/// driven directly, without a kernel around them.
@Suite("kswapd and OOM reaper state machines")
struct StateMachineTests {
    @Test("kswapd: woken below high it balances; balanced it naps HZ/10, then sleeps")
    func kswapdNapThenSleep() {
        var k = Kswapd()
        #expect(k.tick(now: 1, balanced: false) == .none, "asleep until woken")
        k.wake(balanced: true)
        #expect(k.state == .sleeping, "a balanced zone does not wake kswapd")
        k.wake(balanced: false)
        #expect(k.tick(now: 1, balanced: false) == .balance)
        #expect(k.tick(now: 2, balanced: true) == .none)
        #expect(k.state == .napping)
        #expect(k.tick(now: 2 + Kswapd.napTicks - 1, balanced: true) == .none)
        #expect(k.state == .napping, "still inside the nap")
        #expect(k.tick(now: 2 + Kswapd.napTicks, balanced: true) == .none)
        #expect(k.state == .sleeping)
    }

    @Test("kswapd: a nap that ends below high goes straight back to balancing")
    func kswapdNapEndsUnbalanced() {
        var k = Kswapd()
        k.wake(balanced: false)
        _ = k.tick(now: 1, balanced: true)
        #expect(k.tick(now: 1 + Kswapd.napTicks, balanced: false) == .balance)
        #expect(k.state == .running)
    }

    @Test("kswapd backs off after MAX_RECLAIM_RETRIES failures and only reclaim progress revives it")
    func kswapdBackOff() {
        var k = Kswapd()
        k.wake(balanced: false)
        for n in 1..<Kswapd.maxFailures {
            #expect(k.balanced(reclaimed: 0, invokesOOMKiller: false, belowMin: true, backsOff: true) == .none)
            #expect(k.failures == n)
        }
        #expect(k.balanced(reclaimed: 0, invokesOOMKiller: false, belowMin: true, backsOff: true) == .backedOff)
        #expect(k.state == .backedOff)
        k.wake(balanced: false)
        #expect(k.state == .backedOff, "wakeup_kswapd ignores a backed-off kswapd")
        #expect(k.tick(now: 100, balanced: false) == .none)
        k.nodeReclaimed()
        #expect(k.state == .sleeping && k.failures == 0)
    }

    @Test("kswapd without back-off (4.0) keeps running however often it fails")
    func kswapdNoBackOff() {
        var k = Kswapd()
        k.wake(balanced: false)
        for _ in 0..<(3 * Kswapd.maxFailures) {
            #expect(k.balanced(reclaimed: 0, invokesOOMKiller: false, belowMin: true, backsOff: false) == .none)
        }
        #expect(k.state == .running)
    }

    @Test("oom_invocation=kswapd: the OOM killer after oomRounds fruitless rounds below min, and the count restarts")
    func kswapdInvokesOOM() {
        var k = Kswapd()
        k.wake(balanced: false)
        for _ in 1..<Kswapd.oomRounds {
            #expect(k.balanced(reclaimed: 0, invokesOOMKiller: true, belowMin: true, backsOff: true) == .none)
        }
        #expect(k.balanced(reclaimed: 0, invokesOOMKiller: true, belowMin: false, backsOff: true) == .none,
                "above min: no kill yet")
        #expect(k.balanced(reclaimed: 0, invokesOOMKiller: true, belowMin: true, backsOff: true) == .invokeOOMKiller)
        #expect(k.noProgressRounds == 0)
        #expect(k.state == .running, "the kswapd invocation rule replaces backing off")
        #expect(k.balanced(reclaimed: 5, invokesOOMKiller: true, belowMin: true, backsOff: true) == .none)
        #expect(k.reclaimedTotal == 5 && k.failures == 0)
    }

    @Test("reaper: a victim is queued once; the first attempt waits OOM_REAPER_DELAY after the mark")
    func reaperDelay() {
        var r = OOMReaper()
        r.queue(pid: 7, markedAt: 10, now: 10, delay: OOMReaper.modernDelayTicks)
        r.queue(pid: 7, markedAt: 12, now: 12, delay: OOMReaper.modernDelayTicks)
        #expect(r.queue == [7])
        #expect(r.tick(now: 10 + OOMReaper.modernDelayTicks - 1, victim: .reapable, delay: OOMReaper.modernDelayTicks) == .none)
        #expect(r.tick(now: 10 + OOMReaper.modernDelayTicks, victim: .reapable, delay: OOMReaper.modernDelayTicks) == .reap(pid: 7))
        #expect(r.queue.isEmpty && r.reaped == [7])
        #expect(r.tick(now: 1000, victim: .reapable, delay: 0) == .none)
    }

    @Test("reaper: MAX_OOM_REAP_RETRIES contended trylocks HZ/10 apart, then it gives up and starts the next victim")
    func reaperGivesUp() {
        var r = OOMReaper()
        r.queue(pid: 1, markedAt: 0, now: 0, delay: 0)
        r.queue(pid: 2, markedAt: 0, now: 0, delay: 0)
        var now = 0
        for attempt in 1..<OOMReaper.maxAttempts {
            #expect(r.tick(now: now, victim: .mmapLockContended, delay: 0) == .retrying(pid: 1))
            #expect(r.attempts == attempt)
            #expect(r.tick(now: now + OOMReaper.retryTicks - 1, victim: .mmapLockContended, delay: 0) == .none)
            now += OOMReaper.retryTicks
        }
        #expect(r.tick(now: now, victim: .mmapLockContended, delay: 0) == .gaveUp(pid: 1))
        #expect(r.queue == [2] && r.attempts == 0 && r.reaped.isEmpty)
        #expect(r.tick(now: now, victim: .reapable, delay: 0) == .reap(pid: 2), "the next victim is due at once")
    }

    @Test("reaper: a victim that exited is dropped without waiting for its attempt")
    func reaperDropsGone() {
        var r = OOMReaper()
        r.queue(pid: 3, markedAt: 0, now: 0, delay: OOMReaper.modernDelayTicks)
        #expect(r.tick(now: 1, victim: .gone, delay: OOMReaper.modernDelayTicks) == .dropped(pid: 3))
        #expect(r.queue.isEmpty && r.reaped.isEmpty)
    }
}
