import Foundation
import Testing

/// `oomlab quiz` as a student or instructor uses it: the same seed twice gives
/// the same page, and the printed answers are what `oomlab run` shows for the
/// exercise's scenario saved with `--scenario N -o FILE`.
@Suite("oomlab quiz: the binary")
struct QuizCommandTests {
    @Test("quiz --seed 7 -c twice gives identical output")
    func identical() throws {
        let a = try Binary.run(["quiz", "--seed", "7", "-c"])
        let b = try Binary.run(["quiz", "--seed", "7", "-c"])
        #expect(a.status == 0)
        #expect(a.stdout == b.stdout)
        #expect(a.stdout.hasPrefix("oomlab quiz --seed 7 --count 3 -c: answers computed by the simulator\n\nExercise 1 "))
        #expect(a.stdout.components(separatedBy: "\n      A2. ").count == 4)
        #expect(a.stderr.isEmpty)
        let questions = try Binary.run(["quiz", "--seed", "7"])
        #expect(!questions.stdout.contains("A1."))
        #expect(questions.stdout.components(separatedBy: "\n  Q3. ").count == 4)
    }

    /// The first line after `prefix` in `text`, without the prefix.
    func line(after prefix: String, in text: String) -> String? {
        text.components(separatedBy: "\n").first { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
    }

    @Test("the answers agree with oomlab run on the saved scenario", arguments: 1...12)
    func agreesWithRun(seed: Int) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("oomlab-quiz-\(getpid())-\(seed)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let quiz = try Binary.run(["quiz", "--seed", String(seed * 31), "--count", "2", "-c"])
        #expect(quiz.status == 0)
        let second = try #require(quiz.stdout.components(separatedBy: "\nExercise 2 ").last)
        let file = dir.appendingPathComponent("ex.yaml").path
        let save = try Binary.run(["quiz", "--seed", String(seed * 31), "--scenario", "2", "-o", file])
        #expect(save.status == 0, "\(save.stderr)")

        // A1: /proc/PID/oom_score at tick 0, as run --ticks 0 prints the tasks.
        let q1 = try #require(line(after: "  Q1. What does /proc/", in: second))
        let pid = try #require(Int(q1.prefix { $0.isNumber }))
        let a1 = try #require(line(after: "      A1. ", in: second).flatMap { Int($0) })
        let start = try Binary.run(["run", file, "--ticks", "0", "--format", "json"])
        let startJSON = try #require(try JSONSerialization.jsonObject(with: Data(start.stdout.utf8)) as? [String: Any])
        let tasks = try #require(startJSON["tasks"] as? [[String: Any]])
        let row = try #require(tasks.first { $0["pid"] as? Int == pid })
        #expect(row["oom_score"] as? Int == a1)

        // A2 and A3: the first OOM kill and the verdict of the whole run.
        let full = try Binary.run(["run", file, "--format", "json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(full.stdout.utf8)) as? [String: Any])
        let kills = try #require(json["oom_kills"] as? [[String: Any]])
        let a2 = try #require(line(after: "      A2. ", in: second))
        let first = try #require(kills.first)
        #expect(a2.hasPrefix("\(first["name"] as? String ?? "?") (pid \(first["pid"] as? Int ?? -1)), "))
        let verdict = try #require(json["verdict"] as? [String: Any])
        let a3 = try #require(line(after: "      A3. ", in: second))
        #expect(a3.hasPrefix((verdict["kind"] as? String ?? "?") + " "))
        #expect(line(after: "          ", in: second.components(separatedBy: "      A3. ").last ?? "") == verdict["reason"] as? String)
    }

    @Test("bad options are usage errors (exit 64) that say what to do")
    func usage() throws {
        let zero = try Binary.run(["quiz", "--count", "0"])
        #expect(zero.status == 64)
        #expect(zero.stderr.hasPrefix("Error: --count must be between 1 and 100\n"))
        let orphan = try Binary.run(["quiz", "-o", "x.yaml"])
        #expect(orphan.status == 64)
        #expect(orphan.stderr.hasPrefix("Error: -o saves one exercise's scenario: add --scenario N\n"))
    }

    @Test("--scenario prints YAML that loads, and -o never replaces a file without --force")
    func scenarioOutput() throws {
        let yaml = try Binary.run(["quiz", "--seed", "5", "--scenario", "1"])
        #expect(yaml.status == 0)
        #expect(yaml.stdout.hasPrefix("name: quiz-5-1\n"))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("oomlab-quiz-o-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("q.yaml").path
        try "keep me\n".write(toFile: file, atomically: true, encoding: .utf8)
        let refused = try Binary.run(["quiz", "--seed", "5", "--scenario", "1", "-o", file])
        #expect(refused.status == 1)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "keep me\n")
        let forced = try Binary.run(["quiz", "--seed", "5", "--scenario", "1", "-o", file, "--force"])
        #expect(forced.status == 0)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == yaml.stdout)
    }
}
