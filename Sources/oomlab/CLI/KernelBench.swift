import ArgumentParser
import Foundation
import OOMLab
import OOMLabKernel

/// `oomlab bench`'s kernel cases: what a task-tick costs at 10 to 100,000
/// tasks, with 10,000 tasks in 100 memory cgroups against the same without,
/// and on RAM sizes a million times apart; what one more idle task, one
/// more lock waiter, one logged line and one CSV row add; peak memory;
/// setting up a million tasks; and the same churn written the naive way
/// (`NaiveChurn`), with the ratio. Times are this thread's CPU time, so a
/// busy machine slows the figures less than wall time would; instruction
/// counts need callgrind (docs/performance.md), which the run prints how to use.
struct KernelBench {
    /// Approximate task-ticks per case.
    var work: Int
    /// Idle tasks and lock waiters added for the marginal costs (0: skip them).
    var extraTasks: Int
    /// Tasks in the set-up case (0: skip it).
    var setupTasks: Int
    /// One section alone (nil: all).
    var only: Section?
    /// The tasks section runs only the churn of this many tasks.
    var churnTasks: Int?
    /// With `churnTasks`: the churn in 100 memory cgroups.
    var churnInCgroups = false

    enum Section: String, CaseIterable, ExpressibleByArgument {
        case timeline, tasks, marginal, naive, setup
    }

    func run() {
        if only == nil || only == .tasks || only == .naive {
            let perTaskTick = only == .naive ? [:] : taskTickTable()
            if only != .tasks {
                if only == nil { print("") }
                naiveComparison(oomlabNs: perTaskTick[1000])
            }
        }
        if only == nil || only == .marginal {
            if only == nil { print("") }
            marginalCosts()
        }
        if setupTasks > 0 && (only == nil || only == .setup) {
            if only == nil { print("") }
            setup(tasks: setupTasks)
        }
        guard only == nil else { return }
        print("")
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        print("peak resident memory (getrusage ru_maxrss): \(usage.ru_maxrss / 1024) MB for the whole bench run")
        print("instructions per task-tick: not counted here (no hardware counter for this process);")
        print("  scripts/step-instructions runs the tasks section under callgrind and prints Ir per task-tick")
    }

    /// ns per task-tick for the generated churn, by task count; returns them by count.
    func taskTickTable() -> [Int: Double] {
        let cases: [(String, Scenario)] = churnTasks.map { n in
            churnInCgroups ? [("\(n) tasks, 100 cgroups", BenchScenarios.inCgroups(BenchScenarios.churn(tasks: n)))]
                : [("\(n) tasks", BenchScenarios.churn(tasks: n))]
        } ?? [
            ("10 tasks", BenchScenarios.churn(tasks: 10)),
            ("1,000 tasks", BenchScenarios.churn(tasks: 1000)),
            ("10,000 tasks", BenchScenarios.churn(tasks: 10_000)),
            ("10,000 tasks, 100 cgroups", BenchScenarios.inCgroups(BenchScenarios.churn(tasks: 10_000))),
            ("100,000 tasks", BenchScenarios.churn(tasks: 100_000)),
            ("1 MiB RAM, 10 tasks", BenchScenarios.ramSize(256, tasks: 10)),
            ("1 TiB RAM, 10 tasks", BenchScenarios.ramSize(1 << 28, tasks: 10)),
        ]
        var result: [Int: Double] = [:]
        var inCgroups: Double?
        print("scenario                     tasks      ticks   ticks/s   task-ticks/s   ns/task-tick")
        for (label, scenario) in cases {
            let tasks = scenario.tasks.count
            let ticks = Swift.max(10, work / tasks)
            let (seconds, kernel) = Self.time(scenario, ticks: ticks)
            let taskTicks = Double(ticks * tasks)
            let ns = seconds * 1e9 / taskTicks
            if label.hasSuffix(" tasks") && !label.contains("RAM") { result[tasks] = ns }
            if label.hasSuffix("cgroups") { inCgroups = ns }
            let row = [
                label.padding(toLength: 26, withPad: " ", startingAt: 0),
                String(tasks).leftPad(7),
                String(ticks).leftPad(10),
                String(format: "%.0f", Double(ticks) / seconds).leftPad(9),
                String(format: "%.2fM", taskTicks / seconds / 1e6).leftPad(14),
                String(format: "%.1f", ns).leftPad(14),
            ]
            print(row.joined(separator: " "))
            if kernel.verdict.kind != .ok {
                print("  note: \(label) ended \(kernel.verdict.kind.rawValue): \(kernel.verdict.reason)")
            }
        }
        if let inCgroups, let plain = result[10_000] {
            print(String(format: "  memory cgroups: 10,000 tasks in 100 cgroups / the same without = %.2f (goal <= 2)", inCgroups / plain))
        }
        return result
    }

    /// What one more task of a kind adds to a tick: the same 1,000-task churn
    /// with and without `extra` such tasks, the difference over their count.
    func marginalCosts() {
        let extra = extraTasks
        let base = BenchScenarios.churn(tasks: 1000)
        let ticks = Swift.max(20, work / (extra + 1000))
        print("marginal costs" + (extra > 0 ? " (1,000 churning tasks plus \(extra) more of a kind, \(ticks) ticks):" : ":"))
        if extra > 0 {
            let baseNs = Self.nsPerTick(base, ticks: ticks)
            let idle = Self.nsPerTick(BenchScenarios.withIdleTasks(base, count: extra), ticks: ticks)
            let waiters = Self.nsPerTick(BenchScenarios.withLockWaiters(base, count: extra), ticks: ticks)
            print(String(format: "  an idle task (asleep for the whole run):   %6.2f ns per task-tick (goal <= 2)", (idle - baseNs) / Double(extra)))
            print(String(format: "  a lock waiter (mutex_lock on a held lock): %6.2f ns per task-tick (goal <= 5)", (waiters - baseNs) / Double(extra)))
        }

        // A logged line: tasks that each log one line a tick, against the same
        // tasks computing; the line is also rendered as `run` prints it.
        let loggers = 100
        let lineTicks = Swift.max(100, work / 1000 / 20)
        let quiet = Self.nsPerTick(BenchScenarios.loggers(loggers, logging: false), ticks: lineTicks, render: .text)
        var lines = 0
        let loud = Self.nsPerTick(BenchScenarios.loggers(loggers, logging: true), ticks: lineTicks, render: .text, lines: &lines)
        let perLine = lines > 0 ? (loud - quiet) * Double(lineTicks) / Double(lines) : .nan
        print(String(format: "  a logged line (Kernel.log, the recent ring, dmesg text): %6.0f ns (%d lines)", perLine, lines))

        // A CSV row: the 10-task churn stepped with and without its CSV row.
        let small = BenchScenarios.churn(tasks: 10)
        let rowTicks = Swift.max(1000, work / 100)
        let bare = Self.nsPerTick(small, ticks: rowTicks)
        let withRows = Self.nsPerTick(small, ticks: rowTicks, render: .csv)
        print(String(format: "  a CSV row (RunTrace csv, one a tick):      %6.0f ns (the 10-task tick itself: %.0f ns)", withRows - bare, bare))
    }

    func naiveComparison(oomlabNs: Double?) {
        let tasks = 1000
        let ticks = Swift.max(10, work / tasks)
        let start = Self.cpuSeconds()
        var naive = NaiveChurn(tasks: tasks)
        for _ in 0..<ticks { naive.step() }
        let ns = (Self.cpuSeconds() - start) * 1e9 / Double(ticks * tasks)
        print(String(format: "naive comparison (NaiveChurn, KernelBench.swift: one class per task, every task visited every tick, the program interpreted from its Op tree): %.1f ns per task-tick at %d tasks", ns, tasks))
        let oomlab = oomlabNs ?? Self.time(BenchScenarios.churn(tasks: tasks), ticks: ticks).0 * 1e9 / Double(ticks * tasks)
        print(String(format: "  oomlab's kernel: %.1f ns; naive / oomlab = %.2f (free pages left: %d, which keeps the naive loop from being optimized away)", oomlab, ns / oomlab, naive.free))
    }

    /// Kernel(scenario:) for many churn tasks (a million by default): the
    /// thread's CPU time (a busy machine stretches wall time, not this), and
    /// the resident memory it adds per task (the scenario itself is built
    /// before measuring).
    func setup(tasks count: Int) {
        let scenario = BenchScenarios.churn(tasks: count)
        TimelineBench.trimHeap()
        let before = TimelineBench.residentBytes()
        let start = Self.cpuSeconds()
        let kernel = Kernel(scenario: scenario)
        let seconds = Self.cpuSeconds() - start
        // The scenario is kept alive until after the measurement: released
        // after its last use, its million-entry task array (one mapping)
        // went back to the system and the growth read low (170 bytes a task
        // for 272-byte tasks).
        let after = withExtendedLifetime(scenario) { TimelineBench.residentBytes() }
        print(String(format: "%d tasks: Kernel(scenario:) in %.2f s of CPU time (goal for 1M: < 1 s), %d bytes a task (VmRSS growth; goal < 300)",
                     count, seconds, (after - before) / count))
        withExtendedLifetime(kernel) {}
    }

    // MARK: - Measuring

    enum Render { case none, text, csv }

    static func time(_ scenario: Scenario, ticks: Int) -> (Double, Kernel) {
        var kernel = Kernel(scenario: scenario)
        // Warm up (tasks start, first allocations), then measure.
        for _ in 0..<5 { kernel.step() }
        let start = cpuSeconds()
        for _ in 0..<ticks { kernel.step() }
        return (cpuSeconds() - start, kernel)
    }

    static func nsPerTick(_ scenario: Scenario, ticks: Int, render: Render = .none) -> Double {
        var lines = 0
        return nsPerTick(scenario, ticks: ticks, render: render, lines: &lines)
    }

    /// CPU ns per tick, with the tick's output rendered as `run` would
    /// (into a string that is only counted, so no terminal is timed).
    static func nsPerTick(_ scenario: Scenario, ticks: Int, render: Render, lines: inout Int) -> Double {
        var kernel = Kernel(scenario: scenario)
        for _ in 0..<5 { kernel.step() }
        var trace = RunTrace(format: render == .csv ? .csv : .text, scenario: scenario, ticks: ticks)
        var bytes = 0
        let start = cpuSeconds()
        for _ in 0..<ticks {
            let events = kernel.step()
            lines += events.count
            if render != .none { bytes &+= trace.tick(kernel, events: events).utf8.count }
        }
        let seconds = cpuSeconds() - start
        withExtendedLifetime(bytes) {}
        return seconds * 1e9 / Double(ticks)
    }

    static func cpuSeconds() -> Double { TimelineBench.cpuSeconds() }
}

/// The churn workload written the plain way, for the comparison: one class
/// instance per task holding its program as the scenario's `Op` tree and a
/// stack of (ops, index, repeats left) frames, every task visited every
/// tick, each op interpreted with a `switch`, pages taken from one free
/// counter. It leaves out everything oomlab adds (watermarks, reclaim, the
/// OOM paths, statistics, detectors), so the ratio flatters it.
struct NaiveChurn {
    final class Task {
        var frames: [(ops: [Op], index: Int, left: Int?)]
        var busyUntil = 0
        var anon = 0
        init(program: [Op]) { frames = [(program, 0, 1)] }
    }

    var tasks: [Task]
    var tick = 0
    var free: Int

    init(tasks count: Int) {
        let s = BenchScenarios.churn(tasks: count)
        tasks = s.tasks.map { Task(program: $0.program) }
        free = s.machine.ramPages
    }

    mutating func step() {
        tick += 1
        for t in tasks {
            guard t.busyUntil <= tick else { continue }
            var budget = 8
            while budget > 0, var top = t.frames.last {
                budget -= 1
                if top.index >= top.ops.count {
                    // The parent's index is already past this frame's op.
                    t.frames.removeLast()
                    if let left = top.left, left <= 1 {
                        if t.frames.isEmpty { break }
                    } else {
                        top.index = 0
                        top.left = top.left.map { $0 - 1 }
                        t.frames.append(top)
                    }
                    continue
                }
                let op = top.ops[top.index]
                t.frames[t.frames.count - 1].index += 1
                switch op {
                case .alloc(let a):
                    let n = Swift.min(a.pages, free)
                    free -= n
                    t.anon += n
                case .free:
                    free += t.anon
                    t.anon = 0
                case .compute(let ticks), .sleep(let ticks):
                    t.busyUntil = tick + ticks
                    budget = 0
                case .repeat(let count, let body):
                    t.frames.append((body, 0, count))
                default:
                    break
                }
            }
        }
    }
}
