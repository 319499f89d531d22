import ArgumentParser
import OOMLab

/// `--max-output SIZE` (`oomlab run`, `oomlab compare`): how much trace a
/// run may write before it stops, or how large compare's output may be, so
/// a scenario of a few lines cannot fill a disk. Each OOM
/// report lists every task (dump_tasks, mm/oom_kill.c) and oom_rs lets ten
/// reports through every 5 s, so 200,000 tasks print 2,000,000 table rows
/// per 5 s of simulated time, as a real kernel would; the cap is ours, not
/// the kernel's, and a run that reaches it stops with exit status 3 and
/// says where (CLIError.outputLimit). A size with a unit, or `unlimited`.
struct OutputLimit: ExpressibleByArgument, Equatable, Sendable {
    /// 256 MiB: a 1 h (360,000-tick) CSV of the default scenario is about
    /// 18 MiB and every preset's JSON trace under 200 KiB; a flood of OOM
    /// reports passes it, and so does a CSV of more than about 5,000,000 ticks.
    static let standard = OutputLimit(bytes: 256 << 20, text: "256MiB")

    /// nil: no limit (also for a value `check()` refuses).
    var bytes: Int?
    var text: String
    var valid = true

    init(bytes: Int?, text: String) {
        self.bytes = bytes
        self.text = text
    }

    init?(argument: String) {
        text = argument
        if argument == "unlimited" {
            bytes = nil
        } else if let n = try? Sizes.bytes(argument), n > 0 {
            bytes = n
        } else {
            valid = false
        }
    }

    /// The usage error for a refused value (swift-argument-parser's own
    /// "invalid value" would not say what is accepted).
    func check() throws(ValidationError) {
        guard !valid else { return }
        throw ValidationError("--max-output takes a size with a unit (64MiB, 1GiB; B, KiB, MiB, GiB, TiB, PiB) or unlimited; not '\(text)'")
    }

    var defaultValueDescription: String { text }

    /// Whether `written` bytes of trace are past the limit.
    func exceeded(by written: Int) -> Bool { bytes.map { written > $0 } ?? false }
}
