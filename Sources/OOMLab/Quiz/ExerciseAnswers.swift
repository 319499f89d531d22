import OOMLabKernel

/// An exercise's answers, read off the simulated kernel running its scenario:
/// /proc/PID/oom_score from `Kernel.oomScore(of:)` at tick 0, the first
/// victim from the kernel's own OOM kill record, the ending from the same
/// verdict `oomlab run` prints. Nothing here computes a score itself.
public struct ExerciseAnswers: Equatable, Sendable {
    /// What the kernel's memory accounting held for a process at tick 0
    /// (its threads summed), shown with question 1's answer.
    public struct Footprint: Equatable, Sendable {
        public var rss: Int
        public var swap: Int
        public var pageTables: Int
        public var uid: Int
        public var oomScoreAdj: Int
    }

    /// Question 1: /proc/PID/oom_score of `Exercise.scorePid` at tick 0.
    public var oomScore: Int
    public var footprint: Footprint
    /// totalpages of a global OOM: managed RAM plus swap.
    public var totalPages: Int
    /// Question 2: the first OOM kill (nil if the run had none).
    public var firstKill: OOMKill?
    /// The kernel's "Out of memory: Kill process ..." line for it.
    public var killLine: String?
    /// Every live process's oom_score one tick before the first kill, highest
    /// first (ties by pid): the ranking the OOM killer was about to make.
    public var ranking: [Ranked]
    /// Question 3: the verdict at the end of the run.
    public var verdict: Verdict
    public var kills: [OOMKill]

    public struct Ranked: Equatable, Sendable {
        public var pid: Int
        public var name: String
        public var score: Int
        public var oomScoreAdj: Int
    }

    /// Runs the exercise's scenario for its ticks (stopping at a panic, as `oomlab run` does).
    public init(_ exercise: Exercise) {
        var kernel = Kernel(scenario: exercise.scenario)
        let start = kernel
        let group = start.tasks.filter { $0.tgid == exercise.scorePid }
        guard let scored = start.task(pid: exercise.scorePid) else {
            preconditionFailure("exercise \(exercise.number): pid \(exercise.scorePid) is not in its own scenario")
        }
        oomScore = start.oomScore(of: scored)
        footprint = Footprint(rss: group.reduce(0) { $0 + $1.rss }, swap: group.reduce(0) { $0 + $1.swapEntries },
                              pageTables: group.reduce(0) { $0 + $1.pageTables },
                              uid: scored.uid, oomScoreAdj: scored.oomScoreAdj)
        totalPages = start.oomTotalPages

        var before = kernel
        var killLine: String?
        var ranking: [Ranked] = []
        for _ in 0..<exercise.scenario.ticks {
            let hadKill = !kernel.oomKills.isEmpty
            before = kernel
            let events = kernel.step()
            if !hadKill, !kernel.oomKills.isEmpty {
                killLine = events.first { $0.text.hasPrefix("Out of memory") }?.text
                ranking = before.tasks.filter { $0.isAlive && $0.hasMM && $0.tgid == $0.pid }
                    .map { Ranked(pid: $0.pid, name: $0.name, score: before.oomScore(of: $0), oomScoreAdj: $0.oomScoreAdj) }
                    .sorted { $0.score != $1.score ? $0.score > $1.score : $0.pid < $1.pid }
            }
            if kernel.panicVerdict != nil { break }
        }
        self.killLine = killLine
        self.ranking = ranking
        firstKill = kernel.oomKills.first
        kills = kernel.oomKills
        verdict = OutcomeSummary(kernel).verdict
    }
}
