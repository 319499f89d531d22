import Foundation

/// "tick 12000/100000 (12%)" on stderr, redrawn at most 4 times a second, and
/// only when stderr is a terminal, so pipes and CI logs stay clean.
struct Progress {
    let total: Int
    let enabled: Bool
    var last = ContinuousClock.now
    var shown = false

    init(total: Int) {
        self.total = total
        enabled = isatty(STDERR_FILENO) == 1 && total >= 10_000
    }

    mutating func update(_ tick: Int) {
        guard enabled, tick & 1023 == 0 else { return }
        let now = ContinuousClock.now
        guard now - last > .milliseconds(250) else { return }
        last = now
        shown = true
        CLI.stderr("\rtick \(tick)/\(total) (\(tick * 100 / Swift.max(total, 1))%)")
    }

    mutating func finish() {
        if shown { CLI.stderr("\r\u{1B}[K") }
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
