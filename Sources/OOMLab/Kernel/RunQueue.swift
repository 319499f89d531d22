/// Which tasks a tick visits: the due bitmap, the timer wheel of parked
/// tasks' wake ticks, and the parked tasks' statistics in totals. It is a
/// cache of `Kernel.schedule` and the tick (`checkInvariants` compares it
/// with a fresh one), so the same state always has the same run queue.
///
/// The wheel stands for the kernel's timer wheel (struct timer_base,
/// kernel/time/timer.c): a task with a wake tick sits in the bucket of that
/// tick modulo the wheel size and costs nothing until the bucket comes round.
/// Tasks parked for ever (lock waiters, the dead) are in no bucket: a
/// handoff or a signal wakes them with `touch`.
extension Kernel {
    struct RunQueue: Sendable {
        /// Bit i set: task i takes a turn this tick (schedule[i].until <= tick).
        var due: [UInt64] = []
        /// Parked tasks by the statistic they add to every tick.
        var parked = ParkedTotals()
        /// The same by memory cgroup (the task's own, by id), for per-cgroup
        /// pressure; empty while the memory controller is off.
        var parkedByCgroup: [ParkedTotals] = []
        /// wheel[t & mask] holds (wake tick, task) for parked tasks waking at
        /// tick t. Entries go stale when a task is touched or re-parked; a
        /// bucket drops its stale ones when it comes round.
        var wheel: [[WheelEntry]]
        /// While `runTasks` runs: where the rotation started, and the task
        /// whose turn it is.
        var rotationStart = 0
        var cursor = 0
        var inTick = false

        static let wheelSize = 256
        static let wheelMask = wheelSize - 1

        struct WheelEntry: Equatable, Sendable {
            var until: Int
            var task: Int
        }

        /// How many parked tasks add each statistic to every tick.
        struct ParkedTotals: Equatable, Sendable {
            var idle = 0, nonIdle = 0, blocked = 0, memstall = 0

            mutating func adjust(_ stat: ScheduleEntry.Stat, by d: Int) {
                switch stat {
                case .idle: idle += d
                case .nonIdle: nonIdle += d
                case .blocked: blocked += d
                case .memstall: memstall += d
                }
            }

            /// What these tasks add to a tick, as runScheduled's skip did
            /// one task at a time: a memory stall is blocked and non-idle too.
            func add(to stats: inout TickStats, sign: Int = 1) {
                stats.nonIdle += sign * (nonIdle + memstall)
                stats.blocked += sign * (blocked + memstall)
                stats.memstalled += sign * memstall
            }
        }

        init() { wheel = Array(repeating: [], count: RunQueue.wheelSize) }

        /// The run queue that `schedule` at `tick` implies: due where the
        /// entry's tick has come, parked (and in the wheel) elsewhere.
        init(schedule: [ScheduleEntry], tick: Int, cgroups: Int = 0) {
            self.init()
            parkedByCgroup = Array(repeating: ParkedTotals(), count: cgroups)
            due = Array(repeating: 0, count: (schedule.count + 63) >> 6)
            for (i, e) in schedule.enumerated() {
                if e.until <= tick { setDue(i) } else { park(i, e, clearingDue: false) }
            }
        }

        func isDue(_ i: Int) -> Bool { due[i >> 6] & (1 << UInt64(i & 63)) != 0 }

        mutating func setDue(_ i: Int) { due[i >> 6] |= 1 << UInt64(i & 63) }

        /// A new task at the end of the pid order: due at once.
        mutating func append(taskCount: Int) {
            if due.count < (taskCount + 63) >> 6 { due.append(0) }
            setDue(taskCount - 1)
        }

        /// Task i has nothing to do before `e.until`.
        mutating func park(_ i: Int, _ e: ScheduleEntry, clearingDue: Bool = true) {
            if clearingDue { due[i >> 6] &= ~(1 << UInt64(i & 63)) }
            parked.adjust(e.stat, by: 1)
            if !parkedByCgroup.isEmpty { parkedByCgroup[Int(e.cgroup)].adjust(e.stat, by: 1) }
            if e.until != .max {
                wheel[e.until & RunQueue.wheelMask].append(WheelEntry(until: e.until, task: i))
            }
        }

        /// Task i is due again before its time (its wheel entry goes stale).
        mutating func unpark(_ i: Int, _ e: ScheduleEntry) {
            setDue(i)
            parked.adjust(e.stat, by: -1)
            if !parkedByCgroup.isEmpty { parkedByCgroup[Int(e.cgroup)].adjust(e.stat, by: -1) }
        }

        /// Takes back what a parked task added to this tick's statistics.
        func subtract(_ stat: ScheduleEntry.Stat, from stats: inout TickStats) {
            var one = ParkedTotals()
            one.adjust(stat, by: 1)
            one.add(to: &stats, sign: -1)
        }

        /// Task i's turn in this tick's rotation is still to come.
        func isAhead(_ i: Int, taskCount n: Int) -> Bool {
            func position(_ k: Int) -> Int { k >= rotationStart ? k - rotationStart : k - rotationStart + n }
            return position(i) > position(cursor)
        }

        /// The tasks waking at `tick` become due; the bucket keeps those
        /// waking on a later round of the wheel and drops stale entries.
        mutating func expireTimers(at tick: Int, schedule: [ScheduleEntry]) {
            let b = tick & RunQueue.wheelMask
            guard !wheel[b].isEmpty else { return }
            var bucket = wheel[b]
            wheel[b] = []
            var kept = 0
            for k in bucket.indices {
                let e = bucket[k]
                guard schedule[e.task].until == e.until, !isDue(e.task) else { continue }   // stale
                if e.until <= tick {
                    setDue(e.task)
                    parked.adjust(schedule[e.task].stat, by: -1)
                    if !parkedByCgroup.isEmpty { parkedByCgroup[Int(schedule[e.task].cgroup)].adjust(schedule[e.task].stat, by: -1) }
                } else {
                    bucket[kept] = e
                    kept += 1
                }
            }
            bucket.removeLast(bucket.count - kept)
            wheel[b] = bucket
        }
    }
}

extension Kernel.RunQueue: Equatable {
    /// The wheel's entries are left out: stale ones depend on the path to
    /// this state, and the live ones are implied by the schedule, which
    /// `Kernel ==` compares (and `checkInvariants` checks the wheel against).
    static func == (a: Self, b: Self) -> Bool {
        a.due == b.due && a.parked == b.parked && a.parkedByCgroup == b.parkedByCgroup
    }
}
