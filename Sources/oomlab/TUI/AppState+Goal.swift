import OOMLab
import OOMLabKernel

/// Long moves (`g` far past what has been computed, `n` with a large count)
/// run in slices from the main loop instead of in one call, so the screen is
/// drawn and keys are handled while they go: the header moves, and any key
/// stops the move where it stands (Esc only stops it).
extension AppState {
    /// Moves that must compute more ticks than this go in slices.
    static let sliceThreshold = 2_000

    /// A move toward `target`, begun at `from`, described on arrival as `done`.
    struct Goal: Equatable, Sendable {
        var target: Int
        var from: Int
        /// "stepped" (n) or "at" (g).
        var verb: String
    }

    /// Starts a sliced move to `target`; the main loop calls `continueGoal`.
    mutating func startGoal(_ target: Int, verb: String) {
        running = false
        untilEvent = false
        goal = Goal(target: target, from: run.position, verb: verb)
        message = Message(text: "computing up to tick \(target); any key stops", isError: false)
    }

    /// Steps toward the goal at most `ticks` ticks; finishes it at the
    /// target (or at a panic). Returns the ticks stepped.
    @discardableResult
    mutating func continueGoal(_ ticks: Int) -> Int {
        guard let g = goal else { return 0 }
        var done = 0
        let target = questionLimit.map { Swift.min(g.target, $0) } ?? g.target
        while done < ticks && run.position < target && kernel.panicVerdict == nil {
            run.step()
            done += 1
        }
        fork?.other.seek(to: run.position)
        if run.position == target && target < g.target {
            // The lesson's question comes first: the move stops short of its answer.
            goal = nil
            keepSelectionValid()
            askFirst()
            return done
        }
        if run.position >= g.target || kernel.panicVerdict != nil {
            finishGoal(stoppedEarly: false)
        } else {
            message = Message(text: "computing: tick \(run.position) of \(g.target); any key stops", isError: false)
        }
        return done
    }

    /// A key while a move goes on: the move stops where it stands.
    mutating func cancelGoal() {
        guard goal != nil else { return }
        finishGoal(stoppedEarly: true)
    }

    private mutating func finishGoal(stoppedEarly: Bool) {
        guard let g = goal else { return }
        goal = nil
        keepSelectionValid()
        let panic = kernel.panicVerdict != nil && run.position < g.target ? " (stopped: the kernel panicked at tick \(run.position))" : ""
        let stopped = stoppedEarly ? " (stopped by a key; \(g.target - run.position) ticks short of \(g.target))" : ""
        let text = g.verb == "stepped"
            ? "stepped \(run.position - g.from) ticks\(stopped)\(panic)"
            : "at tick \(run.position) (\(Format.seconds(ms: kernel.timeMs)))\(stopped)\(panic)"
        message = Message(text: text, isError: false)
    }
}
