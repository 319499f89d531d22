import ArgumentParser
import Foundation
import OOMLab
import OOMLabKernel

/// `oomlab bench`: how fast the simulated kernel steps. Prints figures; it
/// does not pass or fail (performance is measured, not unit-tested).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure simulation speed: ns per task-tick, marginal costs, memory.",
        discussion: """
            Runs generated scenarios of 10, 1,000, 10,000 and 100,000 tasks, the 10,000 again in 100 memory cgroups (goal: <= 2x the cost without), and one workload \
            on 1 MiB and on 1 TiB of RAM, and prints ticks per second and nanoseconds \
            per task-tick (this thread's CPU time). Then what one more idle task, lock \
            waiter, logged line and CSV row cost; the same churn written the naive way \
            (NaiveChurn in KernelBench.swift) and the ratio; setting up 1M tasks (time \
            and heap bytes a task); peak resident memory; and how to count instructions \
            with callgrind. Build with -c release for meaningful numbers: \
            swift run -c release oomlab bench. Goals: <= 10 ns per task-tick at 1,000 \
            and 100,000 tasks, an idle task <= 2 ns, a lock waiter <= 5 ns, the same cost \
            for both RAM sizes, 1M tasks set up in < 1 s and < 300 bytes each.

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

    @Option(name: .customLong("extra-tasks"), help: "Idle tasks and lock waiters added for the marginal costs (0 skips them).")
    var extraTasks: Int = 100_000

    @Option(name: .customLong("setup-tasks"), help: "Tasks in the set-up case (0 skips it).")
    var setupTasks: Int = 1_000_000

    @Option(help: ArgumentHelp("Run one section only: \(KernelBench.Section.allCases.map(\.rawValue).joined(separator: ", ")) (under callgrind, `tasks` gives Ir per task-tick).", valueName: "SECTION"))
    var only: KernelBench.Section?

    @Option(name: .customLong("churn-tasks"), help: "The tasks section runs only the churn case of this many tasks.")
    var churnTasks: Int?

    @Flag(name: .customLong("churn-in-cgroups"),
          help: "With --churn-tasks: the churn's tasks spread over 100 memory cgroups (10 slices of 9 pods).")
    var churnInCgroups = false

    @Option(help: "Frames to time per interface case (0 skips the case).")
    var frames: Int = 100

    func validate() throws {
        guard work >= 1000 else { throw ValidationError("--work must be at least 1000") }
        guard timelineTicks == 0 || (2000...Scenario.Limits.maxTicks).contains(timelineTicks) else {
            throw ValidationError("--timeline-ticks must be 0 or between 2000 and \(Scenario.Limits.maxTicks)")
        }
        guard (1...100_000).contains(seeks) else { throw ValidationError("--seeks must be between 1 and 100000") }
        guard (0...10_000_000).contains(extraTasks) else { throw ValidationError("--extra-tasks must be between 0 and 10000000") }
        guard (0...10_000_000).contains(setupTasks) else { throw ValidationError("--setup-tasks must be between 0 and 10000000") }
        if let n = churnTasks, !(1...10_000_000).contains(n) { throw ValidationError("--churn-tasks must be between 1 and 10000000") }
        if churnInCgroups && churnTasks == nil { throw ValidationError("--churn-in-cgroups needs --churn-tasks N") }
        guard (0...100_000).contains(frames) else { throw ValidationError("--frames must be between 0 and 100000") }
    }

    func run() throws {
        // First, while the heap is fresh, so its resident-memory figure means something.
        if timelineTicks > 0 && (only == nil || only == .timeline) {
            try TimelineBench(tasks: 1000, ticks: timelineTicks, seeks: seeks).run()
            print("")
        }
        guard only != .timeline else { return }
        KernelBench(work: work, extraTasks: extraTasks, setupTasks: setupTasks, only: only, churnTasks: churnTasks,
                    churnInCgroups: churnInCgroups).run()
        if frames > 0, only == nil {
            print("")
            FrameTimesBench(frames: frames).run()
        }
    }
}
