import OOMLabKernel

/// One generated exercise (OSTEP's homework simulators are the model: endless
/// exercises from a seed, answers revealed with `-c`). An exercise is a random
/// machine and tasks, each with an oom_score_adj, rss, swap and threads, under
/// 2015 (v4.0) rules; its questions are asked about that scenario and
/// answered by running it through the simulated kernel (`ExerciseAnswers`),
/// never by a formula of the quiz's own.
///
/// Same seed and number, same exercise: the generator draws only from
/// `SplitMix64`, never from the standard library's random algorithms.
public struct Exercise: Equatable, Sendable {
    /// What a task does, for the question's table.
    public enum Role: Equatable, Sendable {
        /// Mostly asleep, waking now and then.
        case idle
        /// Allocates `pages` more anon memory, 1 MiB per tick, then sleeps.
        case leaker(pages: Int)
        /// Takes the filesystem lock for its fsyncs (mutex_lock, TASK_UNINTERRUPTIBLE).
        case fsync(lock: String)
        /// An XFS transaction: holds the lock while it loops in kmem_alloc(GFP_NOFS).
        case fsWriter(lock: String)
    }

    /// A process as the question shows it: the leader's pid, and its threads.
    public struct Process: Equatable, Sendable {
        public var pid: Int
        public var name: String
        public var uid: Int
        public var oomScoreAdj: Int
        public var rssPages: Int
        public var swapPages: Int
        /// Threads of the process (the leader included); they share its memory.
        public var threads: Int
        public var role: Role
    }

    public var seed: UInt64
    /// 1-based, as `oomlab quiz --scenario N` names it.
    public var number: Int
    public var processes: [Process]
    /// The process whose /proc/PID/oom_score question 1 asks about.
    public var scorePid: Int
    public var scenario: Scenario
}

extension Exercise {
    /// How long each generated scenario runs: long enough for the leak, the
    /// kill, and the 5 s after which oomlab diagnoses a victim that cannot exit.
    public static let ticks = 2000

    static let names = ["postgres", "redis", "nginx", "java", "node", "mysqld", "chrome", "sshd",
                        "cron", "dockerd", "prometheus", "php-fpm", "mongod", "gitlab", "squid", "named"]
    static let adjustments = [-1000, -500, -100, 0, 0, 0, 0, 100, 300, 500, 800, 1000]
    static let mib = 256   // pages in a MiB

    /// Exercise `number` (1-based) of `seed`. Each number has its own
    /// generator, so exercise 3 is the same whether 3 or 10 were asked for.
    public init(seed: UInt64, number: Int) {
        var rng = SplitMix64(seed: seed ^ (UInt64(truncatingIfNeeded: number) &* 0xD1B5_4A32_D192_ED03))
        self.seed = seed
        self.number = number

        let ramMiB = [128, 256, 512][rng.next(below: 3)]
        let swapMiB = [0, 0, 32, 64][rng.next(below: 4)]
        var machine = MachineConfig(ramPages: ramMiB * Self.mib, swapPages: swapMiB * Self.mib,
                                    fileCleanPages: 8 * Self.mib,
                                    slabReclaimablePages: 4 * Self.mib, slabUnreclaimablePages: 4 * Self.mib)
        machine.writebackPagesPerTick = 64

        var names = Self.names
        for i in stride(from: names.count - 1, to: 0, by: -1) { names.swapAt(i, rng.next(below: i + 1)) }
        // A pid table that sometimes needs all seven digits (pid_max is 4194304).
        var nextPid = rng.next(below: 4) == 0 ? 1_000_000 + rng.next(below: 3_000_000) : 300 + rng.next(below: 2000)

        let residents = 3 + rng.next(below: 3)
        // Residents take at most 80% of managed memory; the leak runs out the rest.
        let budget = machine.managedPages * 8 / 10 - machine.fileCleanPages - 8 * Self.mib
        var swapLeft = machine.swapPages
        var processes: [Process] = []
        for n in 0..<residents {
            let share = Swift.max(Self.mib, budget / residents)
            let rss = Self.mib * (4 + rng.next(below: Swift.max(1, share / Self.mib - 3)))
            var swap = 0
            if swapLeft > 0 && rng.next(below: 2) == 0 {
                swap = Swift.min(swapLeft, Self.mib * (1 + rng.next(below: 16)))
                swapLeft -= swap
            }
            let threads = [1, 1, 1, 2, 4][rng.next(below: 5)]
            processes.append(Process(pid: nextPid, name: names[n], uid: [0, 1000, 999][rng.next(below: 3)],
                                     oomScoreAdj: Self.adjustments[rng.next(below: Self.adjustments.count)],
                                     rssPages: rss, swapPages: swap, threads: threads, role: .idle))
            nextPid += threads + 1 + rng.next(below: 400)
        }

        // Half the exercises carry the 2015 stall's ingredients: a filesystem
        // transaction that holds a lock while it loops, and a resident that
        // takes that lock for its fsyncs.
        let lockName = "agf"
        let withLock = rng.next(below: 2) == 0
        if withLock {
            // Usually the largest resident, as postgres is in the 2015 thread:
            // whether its oom_score_adj makes it the victim is the question.
            let largest = processes.indices.max { processes[$0].rssPages < processes[$1].rssPages } ?? 0
            processes[rng.next(below: 3) == 0 ? rng.next(below: residents) : largest].role = .fsync(lock: lockName)
            processes.append(Process(pid: nextPid, name: "xfs-writer", uid: 0, oomScoreAdj: 0,
                                     rssPages: 2 * Self.mib, swapPages: 0, threads: 1, role: .fsWriter(lock: lockName)))
            nextPid += 2 + rng.next(below: 400)
        }

        // The leak: more than free memory and free swap together, so the OOM
        // killer must run.
        let leakerAdj = Self.adjustments[rng.next(below: Self.adjustments.count)]
        var draft = Scenario(name: "", machine: machine, tasks: Self.tasks(processes))
        let free = machine.ramPages - draft.initialPages
        let leak = free + swapLeft + Self.mib * (16 + rng.next(below: 48))
        processes.append(Process(pid: nextPid, name: names[residents], uid: 1000, oomScoreAdj: leakerAdj,
                                 rssPages: 2 * Self.mib, swapPages: 0, threads: 1, role: .leaker(pages: leak)))
        self.processes = processes
        scorePid = processes[rng.next(below: processes.count)].pid

        draft.name = "quiz-\(seed)-\(number)"
        draft.description = "oomlab quiz --seed \(seed), exercise \(number): who dies first, and does it stall?"
        draft.seed = seed
        draft.ticks = Self.ticks
        draft.policy.era = .v2015
        draft.locks = withLock ? [lockName] : []
        draft.tasks = Self.tasks(processes)
        scenario = draft
    }

    /// The scenario's tasks: each process's leader carries its memory; its
    /// other threads (pids after the leader's, same tgid) share it and carry none.
    static func tasks(_ processes: [Process]) -> [TaskSpec] {
        var tasks: [TaskSpec] = []
        for p in processes {
            var leader = TaskSpec(pid: p.pid, name: p.name, uid: p.uid, oomScoreAdj: p.oomScoreAdj,
                                  anonPages: p.rssPages, swapPages: p.swapPages, program: program(p.role))
            if case .leaker = p.role { leader.startTick = 100 }
            if p.threads > 1 { leader.tgid = p.pid }
            tasks.append(leader)
            for t in 1..<Swift.max(1, p.threads) {
                var thread = TaskSpec(pid: p.pid + t, name: p.name, uid: p.uid, oomScoreAdj: p.oomScoreAdj,
                                      program: [.sleep(ticks: 360_000)])
                thread.tgid = p.pid
                tasks.append(thread)
            }
        }
        return tasks
    }

    static func program(_ role: Role) -> [Op] {
        switch role {
        case .idle:
            return [.repeat(count: nil, body: [.compute(ticks: 1), .sleep(ticks: 50)])]
        case .leaker(let pages):
            let alloc = AllocSpec(pages: mib, gfp: .highuserMovable, target: .anon)
            return [.repeat(count: (pages + mib - 1) / mib, body: [.alloc(alloc)]), .sleep(ticks: 360_000)]
        case .fsync(let lock):
            return [.repeat(count: nil, body: [.lock(name: lock, wait: .uninterruptible), .compute(ticks: 1),
                                                .unlock(name: lock), .sleep(ticks: 2)])]
        case .fsWriter(let lock):
            let alloc = AllocSpec(pages: 50 * 16, order: 4, gfp: .nofs, target: .kernel, retry: .kmemAlloc, ratePerTick: 16)
            return [.repeat(count: nil, body: [
                .lock(name: lock, wait: .uninterruptible), .alloc(alloc), .free(pages: nil, from: .kernel),
                .unlock(name: lock), .sleep(ticks: 1),
            ])]
        }
    }
}
