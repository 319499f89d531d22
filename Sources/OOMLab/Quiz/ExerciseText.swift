import OOMLabKernel

/// An exercise as `oomlab quiz` prints it: the machine, the process table,
/// three questions, and (with `-c`) the answers the simulated kernel gave
/// with a short why. Plain text, the same for the same seed.
extension Exercise {
    static let tableHeader = "      pid  process      uid  oom_score_adj       rss      swap  threads  does"

    /// The questions, and the answers when `answers` is given.
    public func text(answers: ExerciseAnswers? = nil) -> String {
        let m = scenario.machine
        var out = ["Exercise \(number)  (its scenario: oomlab quiz --seed \(seed) --scenario \(number) -o \(scenario.name).yaml)"]
        let swap = m.swapPages > 0 ? "\(RunTrace.size(m.swapPages)) of swap" : "no swap"
        out.append("  A machine with \(RunTrace.size(m.ramPages)) of RAM and \(swap), kernel rules of 2015 (v4.0): no OOM reaper, no victim timeout.")
        out.append(Self.tableHeader)
        for p in processes {
            out.append("  " + String(p.pid).leftPad(7) + "  " + p.name.padding(11) + String(p.uid).leftPad(4)
                       + String(p.oomScoreAdj).leftPad(15) + RunTrace.size(p.rssPages).leftPad(10)
                       + (p.swapPages == 0 ? "0" : RunTrace.size(p.swapPages)).leftPad(10)
                       + String(p.threads).leftPad(9) + "  " + Self.doing(p.role))
        }
        guard let scored = processes.first(where: { $0.pid == scorePid }),
              let leaker = processes.first(where: { if case .leaker = $0.role { return true }; return false })
        else { preconditionFailure("an exercise always has a leaker and a scored process") }

        out.append("  Q1. What does /proc/\(scored.pid)/oom_score (\(scored.name)) show at the start?")
        if let a = answers { out += Self.answer1(a) }
        out.append("  Q2. \(leaker.name) starts leaking at 1 s. Which process does the OOM killer kill first?")
        if let a = answers { out += Self.answer2(a) }
        out.append("  Q3. Does the machine stall or recover under these 2015 rules, within \(Units.seconds(ms: Units.ms(ticks: scenario.ticks))) s?")
        if let a = answers { out += Self.answer3(a) }
        return out.joined(separator: "\n") + "\n"
    }

    static func doing(_ role: Role) -> String {
        switch role {
        case .idle: return "mostly asleep, wakes every 0.5 s"
        case .leaker(let pages): return "from 1 s allocates \(RunTrace.size((pages + mib - 1) / mib * mib)) more, 1 MiB a tick (GFP_HIGHUSER_MOVABLE)"
        case .fsync(let lock): return "takes \(lock) for its fsyncs (mutex_lock: D state while it waits)"
        case .fsWriter(let lock): return "holds \(lock) while it loops in kmem_alloc(GFP_NOFS) (XFS, 4.0)"
        }
    }

    static func answer1(_ a: ExerciseAnswers) -> [String] {
        let f = a.footprint
        guard f.oomScoreAdj != OOMScoreAdj.min else {
            return ["      A1. \(a.oomScore)",
                    "          oom_score_adj -1000 (OOM_SCORE_ADJ_MIN): the task is never chosen and /proc shows 0"]
        }
        let root = f.uid == 0 ? "; less 3% for a root task (CAP_SYS_ADMIN, 3.14-4.16)" : ""
        return ["      A1. \(a.oomScore)",
                "          badness = rss \(f.rss) + swap \(f.swap) + page tables \(f.pageTables) pages\(root);",
                "          plus oom_score_adj \(f.oomScoreAdj) x totalpages \(a.totalPages) / 1000 (RAM + swap, in pages);",
                "          /proc shows badness x 1000 / totalpages (4.0 proc_oom_score; badness is at least 1 if killable)"]
    }

    static func answer2(_ a: ExerciseAnswers) -> [String] {
        guard let kill = a.firstKill else {
            return ["      A2. none: the kernel killed nothing in this run"]
        }
        var lines = ["      A2. \(kill.name) (pid \(kill.pid)), at \(Units.seconds(ms: Units.ms(ticks: kill.tick))) s, invoked by \(kill.invokedBy)"]
        if let line = a.killLine { lines.append("          the kernel: \"\(line)\"") }
        if !a.ranking.isEmpty {
            let shown = a.ranking.prefix(6).map { r in
                "\(r.name) \(r.score)" + (r.oomScoreAdj == OOMScoreAdj.min ? " (adj -1000: never)" : "")
            }
            lines.append("          oom_score one tick before: " + shown.joined(separator: ", ")
                         + (a.ranking.count > 6 ? ", ..." : ""))
        }
        return lines
    }

    static func answer3(_ a: ExerciseAnswers) -> [String] {
        var lines = ["      A3. \(a.verdict.headline)", "          \(a.verdict.reason)"]
        if a.kills.count > 1 {
            lines.append("          OOM kills: " + a.kills.map { "\($0.name)[\($0.pid)]" }.joined(separator: ", "))
        }
        return lines
    }
}
