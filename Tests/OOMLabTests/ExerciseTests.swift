import Testing
@testable import OOMLab
import OOMLabKernel

/// The quiz generator (`oomlab quiz`): repeatable from a seed, well-formed
/// scenarios, and answers that are what the kernel does with the scenario
/// as `oomlab run` would load it from its YAML.
@Suite("quiz exercises: generated from a seed, answered by the kernel")
struct ExerciseTests {
    @Test("the same seed and number give the same exercise and text; others differ")
    func repeatable() {
        let a = Exercise(seed: 7, number: 2), b = Exercise(seed: 7, number: 2)
        #expect(a == b)
        #expect(a.text(answers: ExerciseAnswers(a)) == b.text(answers: ExerciseAnswers(b)))
        #expect(Exercise(seed: 8, number: 2).scenario != a.scenario)
        #expect(Exercise(seed: 7, number: 3).scenario != a.scenario)
    }

    @Test("every exercise is well formed: one leaker, adj in range, threads share their leader's memory", arguments: 0..<60)
    func wellFormed(seed: Int) throws {
        let e = Exercise(seed: UInt64(seed), number: 1 + seed % 4)
        let leakers = e.processes.filter { if case .leaker = $0.role { return true }; return false }
        #expect(leakers.count == 1)
        #expect(e.processes.contains { $0.pid == e.scorePid })
        #expect(e.scenario.initialPages <= e.scenario.machine.ramPages)
        #expect(e.scenario.initialSwapPages <= e.scenario.machine.swapPages)
        for p in e.processes {
            #expect((OOMScoreAdj.min...OOMScoreAdj.max).contains(p.oomScoreAdj))
            let threads = e.scenario.tasks.filter { ($0.tgid ?? $0.pid) == p.pid }
            #expect(threads.count == p.threads)
            #expect(threads.reduce(0) { $0 + $1.anonPages } == p.rssPages)
            #expect(threads.allSatisfy { $0.pid <= 4_194_304 })
        }
        #expect(Set(e.scenario.tasks.map(\.pid)).count == e.scenario.tasks.count, "pids are unique")
    }

    @Test("the scenario's YAML loads back to the same scenario", arguments: 0..<40)
    func yamlRoundTrip(seed: Int) throws {
        let e = Exercise(seed: UInt64(seed) &* 977, number: 1)
        let yaml = ScenarioWriter.yaml(for: e.scenario)
        let loaded = try ScenarioLoader.parse(yaml: yaml, file: "quiz.yaml")
        #expect(loaded == e.scenario)
    }

    /// The answers against a kernel run of the scenario loaded from its YAML,
    /// read the way `oomlab run` reports it (oom_kills, verdict, oom_score).
    @Test("the answers agree with a run of the scenario loaded from its YAML", arguments: 0..<100)
    func answersAgreeWithRun(seed: Int) throws {
        let e = Exercise(seed: UInt64(seed), number: 1 + seed % 3)
        let a = ExerciseAnswers(e)
        let loaded = try ScenarioLoader.parse(yaml: ScenarioWriter.yaml(for: e.scenario), file: "quiz.yaml")
        var k = Kernel(scenario: loaded)
        let scored = try #require(k.task(pid: e.scorePid))
        #expect(a.oomScore == k.oomScore(of: scored))
        for _ in 0..<loaded.ticks {
            k.step()
            if k.panicVerdict != nil { break }
        }
        #expect(a.firstKill == k.oomKills.first)
        #expect(a.kills == k.oomKills)
        #expect(a.verdict == OutcomeSummary(k).verdict)
        // The generator makes the OOM killer run: the leak exceeds free memory and swap.
        #expect(a.firstKill != nil)
        if let kill = a.firstKill {
            #expect(a.killLine?.hasPrefix("Out of memory: Kill process \(kill.pid) (\(kill.name)) score ") == true)
            // No exercise has parents (no "sacrifice child"), so the victim heads the
            // ranking the why line shows: one tick before the kill it scored highest.
            #expect(a.ranking.first?.pid == kill.pid)
        }
    }

    @Test("answers are printed only when asked for")
    func answersOnlyWithCompute() {
        let e = Exercise(seed: 3, number: 1)
        let questions = e.text()
        #expect(questions.contains("  Q1. What does /proc/\(e.scorePid)/oom_score ("))
        #expect(questions.contains("  Q2. "))
        #expect(questions.contains("  Q3. Does the machine stall or recover under these 2015 rules, within 20.00 s?"))
        #expect(!questions.contains("A1."))
        let answered = e.text(answers: ExerciseAnswers(e))
        #expect(answered.contains("      A1. \(ExerciseAnswers(e).oomScore)\n"))
        #expect(answered.contains("      A3. "))
    }
}
