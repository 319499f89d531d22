import ArgumentParser
import Foundation
import OOMLab
import OOMLabKernel

/// `oomlab quiz`: exercises generated from a seed, in the manner of OSTEP's
/// homework simulators; `-c` reveals the answers the simulated kernel computes.
struct QuizCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quiz",
        abstract: "Print exercises generated from a seed; -c prints the simulator's answers.",
        discussion: """
            Each exercise is a random machine and processes (oom_score_adj, rss, swap, \
            threads) under 2015 (v4.0) rules, with three questions: what \
            /proc/PID/oom_score shows for one process at the start, which process the \
            OOM killer kills first, and whether the machine stalls or recovers. With \
            -c each answer is what the simulated kernel did when the exercise's \
            scenario ran (never a formula of the quiz's own), with a short why. The \
            same seed gives the same exercises; exercise N is the same whatever \
            --count says.

            --scenario N prints exercise N's scenario as YAML instead (or saves it \
            with -o FILE), so that `oomlab run FILE` or `oomlab tui FILE` can check \
            the answers.
            """
    )

    static let maxCount = 100

    @Option(help: "Seed of the exercises (any unsigned 64-bit number).")
    var seed: UInt64 = 0

    @Option(help: "How many exercises to print (1-\(QuizCommand.maxCount)).")
    var count: Int = 3

    @Flag(name: [.customShort("c"), .customLong("compute")], help: "Also print the answers, computed by running each exercise in the simulator.")
    var compute = false

    @Option(help: ArgumentHelp("Print exercise N's scenario as YAML instead of the questions.", valueName: "N"))
    var scenario: Int?

    @Option(name: .shortAndLong, help: ArgumentHelp("With --scenario: save the scenario to FILE (atomic; never replaces a file without --force).", valueName: "FILE"))
    var output: String?

    @Flag(help: "With -o: replace an existing file.")
    var force = false

    func validate() throws {
        guard (1...QuizCommand.maxCount).contains(count) else {
            throw ValidationError("--count must be between 1 and \(QuizCommand.maxCount)")
        }
        if let scenario, scenario < 1 || scenario > QuizCommand.maxCount {
            throw ValidationError("--scenario must be between 1 and \(QuizCommand.maxCount)")
        }
        if output != nil && scenario == nil {
            throw ValidationError("-o saves one exercise's scenario: add --scenario N")
        }
        if force && output == nil { throw ValidationError("--force goes with -o FILE") }
    }

    func run() throws {
        if let scenario {
            try ScenarioOutput.emit(Exercise(seed: seed, number: scenario).scenario, to: output, force: force)
            return
        }
        var out = OutputBuffer()
        out.write("oomlab quiz --seed \(seed) --count \(count)" + (compute ? " -c" : "")
                  + (compute ? ": answers computed by the simulator\n\n" : "; answers: add -c\n\n"))
        for n in 1...count {
            let exercise = Exercise(seed: seed, number: n)
            out.write(exercise.text(answers: compute ? ExerciseAnswers(exercise) : nil))
            if n < count { out.write("\n") }
        }
        out.flush()
    }
}
