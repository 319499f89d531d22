import Foundation

/// "tick 12000/100000 (12%)" on stderr, redrawn at most 4 times a second, and
/// only when stderr is a terminal, so pipes and CI logs stay clean. Shown for
/// a long run (10,000 ticks or more) and for a heavy one (more than
/// `RunCommand.longRunTaskTicks` task-ticks: 200,000 busy tasks take about
/// 0.2 s of CPU a tick, so 3,000 ticks are minutes). The clock is read every 1,024
/// ticks when ticks are cheap, every tick once there are 1,000 tasks.
struct Progress {
    let total: Int
    let enabled: Bool
    /// Ticks between clock reads, minus one (a mask).
    let mask: Int
    var last = ContinuousClock.now
    var shown = false

    init(total: Int, tasks: Int = 0, terminal: Bool = isatty(STDERR_FILENO) == 1,
         write: @escaping (String) -> Void = { CLI.stderr($0) }) {
        self.total = total
        let heavy = total.multipliedReportingOverflow(by: tasks)
        enabled = terminal && (total >= 10_000 || heavy.overflow || heavy.partialValue > RunCommand.longRunTaskTicks)
        mask = tasks >= 1000 ? 0 : 1023
        self.write = write
    }

    let write: (String) -> Void

    mutating func update(_ tick: Int) {
        guard enabled, tick & mask == 0 else { return }
        let now = ContinuousClock.now
        guard now - last > .milliseconds(250) else { return }
        last = now
        shown = true
        write("\rtick \(tick)/\(total) (\(tick * 100 / Swift.max(total, 1))%)")
    }

    mutating func finish() {
        if shown { write("\r\u{1B}[K") }
    }
}

/// "compare: 3/7 variants" on stderr as parallel work finishes, redrawn at
/// most 4 times a second and only when stderr is a terminal. `done()` is
/// called from the worker threads.
final class CountProgress: @unchecked Sendable {
    let total: Int
    let what: String
    let enabled: Bool
    /// Where the count goes: stderr (a test passes its own).
    let write: @Sendable (String) -> Void
    private let lock = NSLock()
    private var finished = 0
    private var last = ContinuousClock.now
    private var shown = false

    init(total: Int, what: String, enabled: Bool = isatty(STDERR_FILENO) == 1,
         write: @escaping @Sendable (String) -> Void = { CLI.stderr($0) }) {
        self.total = total
        self.what = what
        self.enabled = enabled && total > 1
        self.write = write
    }

    /// One more item finished: redraws the count if a quarter second passed.
    func done() {
        lock.withLock {
            finished += 1
            guard enabled else { return }
            let now = ContinuousClock.now
            guard !shown || now - last > .milliseconds(250) else { return }
            last = now
            shown = true
            write("\r\(finished)/\(total) \(what) done")
        }
    }

    /// The count finished so far.
    var count: Int { lock.withLock { finished } }

    /// Clears the line, so the data that follows starts clean.
    func finish() {
        lock.withLock { if shown { write("\r\u{1B}[K") } }
    }
}
