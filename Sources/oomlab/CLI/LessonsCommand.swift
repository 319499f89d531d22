import ArgumentParser
import OOMLabKernel
import OOMLab

/// `oomlab lessons`: the lessons in the library, with their steps.
struct LessonsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lessons",
        abstract: "List the lessons: name, steps, questions, title.",
        discussion: """
            Lessons are NAME.yaml files in $OOMLAB_LESSONS (colon-separated), ./lessons, \
            $XDG_DATA_HOME/oomlab/lessons (default ~/.local/share/oomlab/lessons), then the \
            lessons built into oomlab; the first folder wins. Run one with `oomlab tui --lesson NAME`. The format is \
            in lessons/README.md. A lesson that does not load is listed with its error (exit 1).
            """
    )

    @Flag(name: .customLong("answers"), help: "Also print each question's answer, as the simulator computes it.")
    var answers = false

    @Option(help: "Output format: text or json.")
    var format: ReportFormat = .text

    func run() throws {
        let library = LessonSearchPath.library
        let names = library.names()
        if names.isEmpty {
            throw CLIError.failure("no lessons found (looked in \(library.directories.joined(separator: ", ")))")
        }
        let loaded = names.map { name in (name, Result { () throws(ScenarioError) in try LessonSearchPath.load(name) }) }
        switch format {
        case .text: print(text(loaded), terminator: "")
        case .json: print(json(loaded, library: library).rendered())
        }
        if loaded.contains(where: { (try? $0.1.get()) == nil }) { throw ExitCode(1) }
    }

    func text(_ loaded: [(String, Result<Lesson, ScenarioError>)]) -> String {
        let width = loaded.map(\.0.count).max() ?? 0
        var out = ""
        for (name, result) in loaded {
            let padded = name.padding(toLength: width, withPad: " ", startingAt: 0)
            let lesson: Lesson
            switch result {
            case .failure(let error):
                out += "\(padded)  (does not load: \(error))\n"
                continue
            case .success(let l): lesson = l
            }
            let questions = lesson.steps.filter { $0.question != nil }.count
            out += "\(padded)  \(lesson.steps.count) steps  \(questions) questions  \(lesson.title)\n"
            guard answers else { continue }
            for (i, step) in lesson.steps.enumerated() {
                guard let q = step.question else { continue }
                let a = q.answer(for: step.session)
                out += "  step \(i + 1): \(q.text) -> \(a.choice) (tick \(a.tick): \(a.why))\n"
            }
        }
        return out
    }

    /// The lessons for scripts (fields in docs/json.md); answers only with --answers.
    func json(_ loaded: [(String, Result<Lesson, ScenarioError>)], library: PresetLibrary) -> JSON {
        .object([
            ("schema_version", .int(JSON.schemaVersion)),
            ("lessons", .array(loaded.map { name, result in
                let path = (try? library.resolve(name)) ?? ""
                switch result {
                case .failure(let error):
                    return .object([("name", .string(name)), ("path", .string(path)), ("title", .null), ("steps", .array([])),
                                    ("error", .string(error.description))])
                case .success(let lesson):
                    return .object([("name", .string(name)), ("path", .string(path)), ("title", .string(lesson.title)),
                                    ("steps", .array(lesson.steps.map { step in
                                        .object([("scenario", .string(step.scenarioName)),
                                                 ("question", step.question.map { q in
                                                     .object([("ask", .string(q.kind.rawValue)), ("text", .string(q.text)),
                                                              ("choices", .array(q.choices.map { .string($0) }))]
                                                             + (answers ? [("answer", answer(q, step))] : []))
                                                 } ?? .null)])
                                    })),
                                    ("error", .null)])
                }
            })),
        ])
    }

    func answer(_ q: Lesson.Question, _ step: Lesson.Step) -> JSON {
        let a = q.answer(for: step.session)
        return .object([("choice", .string(a.choice)), ("tick", .int(a.tick)), ("why", .string(a.why))])
    }
}
