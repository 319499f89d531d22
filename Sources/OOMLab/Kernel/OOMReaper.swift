/// The OOM reaper thread (mm/oom_kill.c oom_reaper()), v4.6+, as a state
/// machine: it keeps the queue and the retry count and says what happened
/// to the victim at the head; the kernel frees the memory and prints.
public struct OOMReaper: Equatable, Sendable {
    /// A queued victim and the tick it was marked (mark_oom_victim), from
    /// which OOM_REAPER_DELAY counts.
    struct Victim: Equatable, Sendable {
        var pid: Int
        var markedAt: Int
    }
    private(set) var victims: [Victim] = []
    /// Attempts made on the victim at the head of the queue.
    public private(set) var attempts = 0
    /// Tick of the next attempt.
    private(set) var nextAttemptTick = 0
    /// Pids reaped, in order.
    public private(set) var reaped: [Int] = []

    /// MAX_OOM_REAP_RETRIES.
    static let maxAttempts = 10
    /// schedule_timeout_idle(HZ/10) between attempts.
    static let retryTicks = Units.hz / 10
    /// OOM_REAPER_DELAY (2*HZ, since 5.18): the victim gets time to exit first.
    static let modernDelayTicks = 2 * Units.hz

    /// Victims waiting to be reaped, in order.
    public var queue: [Int] { victims.map(\.pid) }
    /// The victim the next attempt is for.
    var head: Int? { victims.first?.pid }

    /// What the kernel sees of the victim at the head of the queue.
    enum VictimState: Equatable {
        /// Exited, or its mm is already MMF_OOM_SKIP (exit_mmap sets it too).
        case gone
        /// mmap_read_trylock would fail: a writer holds or waits for the lock.
        case mmapLockContended
        case reapable
    }

    /// What the reaper did this tick.
    enum Action: Equatable {
        /// Nothing queued, or the next attempt is not due.
        case none
        /// The head victim was gone; the reaper moved on.
        case dropped(pid: Int)
        /// The trylock failed; it tries again after `retryTicks`.
        case retrying(pid: Int)
        /// MAX_OOM_REAP_RETRIES failed trylocks: "unable to reap", MMF_OOM_SKIP.
        case gaveUp(pid: Int)
        /// The victim's anonymous memory is to be torn down (__oom_reap_task_mm).
        case reap(pid: Int)
    }

    /// queue_oom_reaper(): a victim is queued once (MMF_OOM_REAP_QUEUED).
    /// `delay` is OOM_REAPER_DELAY in ticks (0 before 5.18).
    /// queue_oom_reaper, mm/oom_kill.c.
    mutating func queue(pid: Int, markedAt: Int, now: Int, delay: Int) {
        guard !victims.contains(where: { $0.pid == pid }) else { return }
        victims.append(Victim(pid: pid, markedAt: markedAt))
        if victims.count == 1 { startHead(now: now, delay: delay) }
    }

    /// One tick of oom_reaper(): an attempt on the head victim when due,
    /// given what the kernel sees of it. oom_reaper / oom_reap_task, mm/oom_kill.c.
    mutating func tick(now: Int, victim: VictimState, delay: Int) -> Action {
        guard let pid = head else { return .none }
        if victim == .gone {
            pop(now: now, delay: delay)
            return .dropped(pid: pid)
        }
        guard now >= nextAttemptTick else { return .none }
        guard victim == .mmapLockContended else {
            reaped.append(pid)
            pop(now: now, delay: delay)
            return .reap(pid: pid)
        }
        attempts += 1
        guard attempts >= OOMReaper.maxAttempts else {
            nextAttemptTick = now + OOMReaper.retryTicks
            return .retrying(pid: pid)
        }
        pop(now: now, delay: delay)
        return .gaveUp(pid: pid)
    }

    /// Sets the first attempt for the victim now at the head of the queue:
    /// at once in 4.6-5.17, `delay` after it was marked since 5.18.
    private mutating func startHead(now: Int, delay: Int) {
        attempts = 0
        guard let v = victims.first else { return }
        nextAttemptTick = Swift.max(now, v.markedAt + delay)
    }

    private mutating func pop(now: Int, delay: Int) {
        victims.removeFirst()
        startHead(now: now, delay: delay)
    }
}
