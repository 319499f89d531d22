import Foundation
import OOMLabKernel
import Yams

/// Reads a lesson file (lessons/README.md has the format) as strictly as a
/// preset: unknown keys, bad values, ticks past a scenario's end and choices
/// that name no task are errors located at FILE:LINE:COLUMN. Each step's
/// scenario is loaded and its actions replayed here, so a lesson that loads
/// runs.
public enum LessonLoader {
    static let topKeys = ["title", "steps"]
    static let stepKeys = ["text", "scenario", "actions", "pause_at", "question"]
    static let questionKeys = ["ask", "text", "choices"]
    /// Choices are answered with the keys 1 to 9.
    public static let maxChoices = 9

    /// Loads the lesson at `path`; step scenarios are preset names looked up
    /// in `presets`, or files (relative to the lesson's folder).
    public static func load(path: String, presets: PresetLibrary) throws(ScenarioError) -> Lesson {
        let text = try FileText.contents(of: path, limit: ScenarioLoader.maxFileBytes)
        return try parse(yaml: text, file: path, presets: presets)
    }

    public static func parse(yaml: String, file: String, presets: PresetLibrary) throws(ScenarioError) -> Lesson {
        let root = try ScenarioLoader.compose(yaml: yaml, file: file)
        let reader = YAMLNodeReader(file: file)
        let top = try reader.mapping(root, for: "the lesson", allowed: topKeys)
        var lesson = Lesson(name: ScenarioLoader.defaultName(file: file), title: try reader.text(top.required("title"), for: "title"),
                            steps: [])
        let steps = try reader.sequence(top.required("steps"), for: "steps")
        if steps.isEmpty {
            throw ScenarioError("a lesson needs at least one step under 'steps'", at: reader.location(try top.required("steps")))
        }
        let folder = (file as NSString).deletingLastPathComponent
        for node in steps {
            lesson.steps.append(try step(node, reader: reader, folder: folder, presets: presets))
        }
        return lesson
    }

    static func step(_ node: Node, reader: YAMLNodeReader, folder: String, presets: PresetLibrary) throws(ScenarioError) -> Lesson.Step {
        let m = try reader.mapping(node, for: "step", allowed: stepKeys)
        let text = try reader.text(m.required("text"), for: "text")
        let scenarioNode = try m.required("scenario")
        let name = try reader.text(scenarioNode, for: "scenario")
        let scenario: Scenario
        let path: String
        do {
            let looksLikePath = name.contains("/") || name.hasSuffix(".yaml") || name.hasSuffix(".yml")
            path = try presets.resolve(looksLikePath && !name.hasPrefix("/") && !folder.isEmpty ? folder + "/" + name : name)
            scenario = try ScenarioLoader.load(path: path)
        } catch {
            // Point at the lesson's line; the scenario's own error follows.
            let inFile = error.location.map { " (\($0))" } ?? ""
            throw ScenarioError("scenario '\(name)' does not load\(inFile): \(error.message)", at: reader.location(scenarioNode),
                                suggestion: error.suggestion)
        }
        let decoder = ScenarioDecoder(reader: reader)
        var session = Session(scenario: scenario)
        if let n = m["actions"] { session.timeline = try decoder.timeline(n, scenario: scenario) }
        // Replay once: an action that cannot apply is an error now, not in class.
        _ = try Run(session: session)
        var pauseTicks: [Int] = []
        var autoPause: AutoPause = []
        if let n = m["pause_at"] {
            let items: [Node]
            if case .sequence(let s) = n { items = Array(s) } else { items = [n] }
            for item in items {
                if let word = item.string, let found = AutoPause.words.first(where: { $0.word == word }) {
                    autoPause.insert(found.option)
                } else {
                    do {
                        pauseTicks.append(try decoder.tick(item, for: "pause_at", in: scenario))
                    } catch where error.message.hasPrefix("bad duration") {
                        throw ScenarioError(error.message + "; or one of " + YAMLNodeReader.list(AutoPause.words.map(\.word), or: true),
                                            at: error.location)
                    }
                }
            }
        }
        var question: Lesson.Question?
        if let n = m["question"] { question = try self.question(n, reader: reader, scenario: scenario) }
        return Lesson.Step(text: text, scenarioName: name, scenarioPath: path, session: session, pauseTicks: pauseTicks.sorted(),
                           autoPause: autoPause, question: question)
    }

    static func question(_ node: Node, reader: YAMLNodeReader, scenario: Scenario) throws(ScenarioError) -> Lesson.Question {
        let m = try reader.mapping(node, for: "question", allowed: questionKeys)
        let kind = try reader.choice(m.required("ask"), for: "ask", as: Lesson.Question.Kind.self)
        let text: String
        if let t = m["text"] { text = try reader.text(t, for: "text") } else {
            switch kind {
            case .victim: text = "Which task will the OOM killer pick first?"
            case .verdict: text = "How will the run end?"
            case .recovers: text = "Will the machine recover?"
            }
        }
        // What a choice may be: a task of the scenario, a verdict, yes/no.
        let allowed: [String]
        switch kind {
        case .victim: allowed = scenario.tasks.map(\.name).reduce(into: []) { if !$0.contains($1) { $0.append($1) } } + ["nobody"]
        case .verdict: allowed = Verdict.Kind.allCases.map(\.rawValue)
        case .recovers: allowed = ["yes", "no"]
        }
        var choices: [String] = []
        if let n = m["choices"] {
            for item in try reader.sequence(n, for: "choices") {
                let c = try reader.text(item, for: "choice")
                guard allowed.contains(c) else {
                    let what = kind == .victim ? "a task of scenario '\(scenario.name)' or 'nobody'" : YAMLNodeReader.list(allowed, or: true)
                    throw ScenarioError("choice '\(c)' is not \(what)", at: reader.location(item),
                                        suggestion: DidYouMean.suggestion(for: c, in: allowed))
                }
                if choices.contains(c) { throw ScenarioError("choice '\(c)' is listed twice", at: reader.location(item)) }
                choices.append(c)
            }
            if choices.count < 2 || choices.count > maxChoices {
                throw ScenarioError("a question needs 2 to \(maxChoices) choices, found \(choices.count)", at: reader.location(n))
            }
        } else if kind == .recovers {
            choices = allowed
        } else {
            throw ScenarioError("missing key 'choices' in question (the answers the class picks from)", at: reader.location(node))
        }
        return Lesson.Question(kind: kind, text: text, choices: choices, location: reader.location(node))
    }
}
