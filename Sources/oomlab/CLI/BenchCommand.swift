import ArgumentParser
import Foundation
import OOMLab
import OOMLabKernel

/// `oomlab bench`: how fast the simulated kernel steps. Prints figures; it
/// does not pass or fail (performance is measured, not unit-tested).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure simulation speed: ticks/s and ns per task-tick.",
        discussion: """
            Runs generated scenarios of 10, 1,000 and 100,000 tasks, and one workload \
            on 1 MiB and on 1 TiB of RAM, and prints ticks per second and nanoseconds \
            per task-tick. Build with -c release for meaningful numbers: \
            swift run -c release oomlab bench. The goal is 10 million task-ticks per \
            second on one core and the same cost for both RAM sizes.

            Then the time-travel case: a run of 1,000 tasks recorded for 360,000 ticks \
            (one simulated hour), the median time to seek to a random tick, the heap its \
            keyframes hold, and the step rate of a forked pair in lockstep against one \
            timeline, per CPU second so that a busy machine does not skew it. Goals: seek <= 100 ms median, keyframes <= 100 MB, pair >= 45%. \
            Recording takes about a minute; --timeline-ticks 0 skips the case.

            Last, the interface: the time to build a TUI frame and diff it against the \
            previous one, at 80x24 and 200x60 with 10, 10,000 and 100,000 tasks \
            (goal: <= 1 ms at 200x60 with 10,000 tasks); --frames 0 skips it.
            """
    )

    @Option(help: "Approximate task-ticks to run per scenario.")
    var work: Int = 20_000_000

    @Option(name: .customLong("timeline-ticks"), help: "Ticks to record for the time-travel case (0 skips it).")
    var timelineTicks: Int = 360_000

    @Option(help: "Random seeks to time in the time-travel case.")
    var seeks: Int = 200

    @Option(help: "Frames to time per interface case (0 skips the case).")
    var frames: Int = 100

    func validate() throws {
        guard work >= 1000 else { throw ValidationError("--work must be at least 1000") }
        guard timelineTicks == 0 || (2000...Scenario.Limits.maxTicks).contains(timelineTicks) else {
            throw ValidationError("--timeline-ticks must be 0 or between 2000 and \(Scenario.Limits.maxTicks)")
        }
        guard (1...100_000).contains(seeks) else { throw ValidationError("--seeks must be between 1 and 100000") }
        guard (0...100_000).contains(frames) else { throw ValidationError("--frames must be between 0 and 100000") }
    }

    func run() throws {
        // First, while the heap is fresh, so its resident-memory figure means something.
        if timelineTicks > 0 {
            try TimelineBench(tasks: 1000, ticks: timelineTicks, seeks: seeks).run()
            print("")
        }
        let cases: [(String, Scenario)] = [
            ("10 tasks", BenchScenarios.churn(tasks: 10)),
            ("1,000 tasks", BenchScenarios.churn(tasks: 1000)),
            ("100,000 tasks", BenchScenarios.churn(tasks: 100_000)),
            ("1 MiB RAM, 10 tasks", BenchScenarios.ramSize(256, tasks: 10)),
            ("1 TiB RAM, 10 tasks", BenchScenarios.ramSize(1 << 28, tasks: 10)),
        ]
        print("scenario                     tasks      ticks   ticks/s   task-ticks/s   ns/task-tick")
        for (label, scenario) in cases {
            var kernel = Kernel(scenario: scenario)
            let tasks = scenario.tasks.count
            let ticks = Swift.max(10, work / tasks)
            // Warm up (tasks start, first allocations), then measure.
            for _ in 0..<5 { kernel.step() }
            let clock = ContinuousClock()
            let start = clock.now
            for _ in 0..<ticks { kernel.step() }
            let elapsed = clock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let taskTicks = Double(ticks * tasks)
            let row = [
                label.padding(toLength: 26, withPad: " ", startingAt: 0),
                String(tasks).leftPad(7),
                String(ticks).leftPad(10),
                String(format: "%.0f", Double(ticks) / seconds).leftPad(9),
                String(format: "%.2fM", taskTicks / seconds / 1e6).leftPad(14),
                String(format: "%.1f", seconds * 1e9 / taskTicks).leftPad(14),
            ]
            print(row.joined(separator: " "))
            if kernel.verdict.kind != .ok {
                print("  note: \(label) ended \(kernel.verdict.kind.rawValue): \(kernel.verdict.reason)")
            }
        }
        if frames > 0 {
            print("")
            FrameTimesBench(frames: frames).run()
        }
    }
}
