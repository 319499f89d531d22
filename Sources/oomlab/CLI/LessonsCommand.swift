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

    func run() throws {
        let library = LessonSearchPath.library
        let names = library.names()
        if names.isEmpty {
            throw CLIError.failure("no lessons found (looked in \(library.directories.joined(separator: ", ")))")
        }
        let width = names.map(\.count).max() ?? 0
        var broken = 0
        for name in names {
            let padded = name.padding(toLength: width, withPad: " ", startingAt: 0)
            let lesson: Lesson
            do { lesson = try LessonSearchPath.load(name) } catch {
                broken += 1
                print("\(padded)  (does not load: \(error))")
                continue
            }
            let questions = lesson.steps.filter { $0.question != nil }.count
            print("\(padded)  \(lesson.steps.count) steps  \(questions) questions  \(lesson.title)")
            guard answers else { continue }
            for (i, step) in lesson.steps.enumerated() {
                guard let q = step.question else { continue }
                let a = q.answer(for: step.session)
                print("  step \(i + 1): \(q.text) -> \(a.choice) (tick \(a.tick): \(a.why))")
            }
        }
        if broken > 0 { throw ExitCode(1) }
    }
}
