import OOMLabKernel
/// A lesson for a workshop: steps, each a scenario to run with a text to
/// read, optional actions at ticks (the same entries as a session's
/// `timeline:`), where to stop, and an optional question whose answer the
/// simulator computes (`Lesson.Question.answer(for:)`), never the author.
/// The file format is in lessons/README.md; `LessonLoader` reads it.
public struct Lesson: Equatable, Sendable {
    /// The file name without `.yaml`: what `oomlab tui --lesson` takes.
    public var name: String
    public var title: String
    public var steps: [Step]

    public struct Step: Equatable, Sendable {
        public var text: String
        /// The preset name or file as the lesson wrote it.
        public var scenarioName: String
        /// The file it was loaded from (its header comment is the notes).
        public var scenarioPath: String
        /// The scenario with its actions: a session standing at tick 0.
        public var session: Session
        /// Ticks where running stops (besides the scenario's end).
        public var pauseTicks: [Int]
        /// Moments where running stops, as `--pause-at` names them.
        public var autoPause: AutoPause
        public var question: Question?
    }

    public struct Question: Equatable, Sendable {
        public enum Kind: String, CaseIterable, Equatable, Sendable {
            /// Which task does the OOM killer pick first? ("nobody" if none.)
            case victim
            /// How does the run end? A verdict kind (ok, recovered, stall...).
            case verdict
            /// Is the machine working at the end: yes (ok or recovered) or no.
            case recovers
        }
        public var kind: Kind
        public var text: String
        public var choices: [String]
        /// Where the question is in the lesson file, for errors.
        public var location: SourceLocation
    }
}

/// A question's answer as the simulator finds it.
public struct LessonAnswer: Equatable, Sendable {
    /// One of the question's choices (or, if none matches, what happened).
    public var choice: String
    /// The index of `choice` among the choices; nil if none matches.
    public var index: Int?
    /// The tick at which the run shows it: the first OOM kill for
    /// `victim`, the end of the run (or its panic) otherwise.
    public var tick: Int
    /// A short why, in the words of the run's verdict or kill.
    public var why: String
}

extension Lesson.Question {
    /// Runs the step's session to the scenario's end and reads the answer.
    /// Deterministic: same lesson, same answer.
    public func answer(for session: Session) -> LessonAnswer {
        var run: Run
        do { run = try Run(session: Session(scenario: session.scenario, timeline: session.timeline)) } catch {
            // The loader replayed this timeline already; it cannot fail now.
            return LessonAnswer(choice: "?", index: nil, tick: 0, why: "the step's actions do not replay: \(error)")
        }
        let end = session.scenario.ticks
        switch kind {
        case .victim:
            while run.position < end && run.kernel.panicVerdict == nil && run.kernel.oomKills.isEmpty { run.step() }
            if let kill = run.kernel.oomKills.first {
                return made(kill.name, tick: kill.tick,
                            why: "the OOM killer chose \(kill.name)[\(kill.pid)] with \(kill.points) points (invoked by \(kill.invokedBy))")
            }
            return made("nobody", tick: run.position, why: "no OOM kill in \(run.position) ticks: " + run.kernel.verdict.reason)
        case .verdict, .recovers:
            run.seek(to: end)
            let v = run.kernel.verdict
            let word = kind == .verdict ? v.kind.rawValue : ([.ok, .recovered].contains(v.kind) ? "yes" : "no")
            return made(word, tick: run.position, why: "the run ends (tick \(run.position)) \(v.kind.rawValue): \(v.reason)")
        }
    }

    private func made(_ word: String, tick: Int, why: String) -> LessonAnswer {
        LessonAnswer(choice: word, index: choices.firstIndex(of: word), tick: tick, why: why)
    }
}
