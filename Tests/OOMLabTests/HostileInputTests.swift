import Foundation
import Testing
import Yams
@testable import OOMLab
@testable import OOMLabKernel

/// Files built to crash or hang a YAML loader must come back as located errors, fast.
@Suite("ScenarioLoader: hostile input")
struct HostileInputTests {
    let folder: TemporaryFolder
    init() throws { folder = try TemporaryFolder() }

    func error(_ yaml: String) -> String? {
        do {
            _ = try ScenarioLoader.parse(yaml: yaml, file: "h.yaml")
            return nil
        } catch {
            return error.description
        }
    }

    @Test("a billion laughs is refused before anything walks it")
    func aliasBomb() {
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
        var yaml = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for (i, name) in names.enumerated().dropFirst() {
            yaml += "\(name): &\(name) [" + Array(repeating: "*\(names[i - 1])", count: 9).joined(separator: ", ") + "]\n"
        }
        let started = ContinuousClock.now
        #expect(error(yaml) == "h.yaml:7:12: error: the document expands to more than 1000000 nodes (aliases count once per use)")
        #expect(ContinuousClock.now - started < .seconds(2))
    }

    @Test("aliases that expand to a modest tree are fine")
    func modestAliases() throws {
        let yaml = """
            machine: {ram: 64MiB}
            tasks:
              - {pid: 1, name: a, program: &p [{alloc: 1MiB}, {sleep: 1}]}
              - {pid: 2, name: b, program: *p}
            """
        let scenario = try ScenarioLoader.parse(yaml: yaml, file: "h.yaml")
        #expect(scenario.tasks[0].program == scenario.tasks[1].program)
    }

    @Test("an alias as a mapping key is refused (Yams would hash its whole expansion)")
    func aliasKey() {
        #expect(error("a: &k x\n*k : 1\n") == "h.yaml:2:1: error: a mapping key must be a plain name, not an alias")
    }

    @Test("block nesting deeper than 64 levels is refused before Yams recurses into it")
    func deepBlock() {
        let yaml = (0..<100).map { String(repeating: " ", count: $0) + "k\($0):\n" }.joined()
        #expect(error(yaml) == "h.yaml:65:65: error: nesting is deeper than 64 levels")
    }

    @Test("flow nesting deeper than 64 levels is refused", arguments: [100, 5000, 1_000_000])
    func deepFlow(depth: Int) {
        let yaml = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let expected = depth < 1000 ? "h.yaml:1:65: error: nesting is deeper than 64 levels"
                                    : "h.yaml:1:1: error: nesting is deeper than 64 levels"
        #expect(error(yaml) == expected)
    }

    @Test("nesting of 64 levels is allowed by the scan (and then decoded as usual)")
    func sixtyFourLevels() {
        let yaml = "x: " + String(repeating: "[", count: 63) + String(repeating: "]", count: 63) + "\n"
        #expect(error(yaml)?.hasSuffix("unknown key 'x' in the scenario; expected name, description, seed, ticks,"
                                       + " machine, policy, locks, cgroups, tasks, expect, expect_with or cues") == true)
    }

    @Test("programs nested deeper than 16 levels are refused")
    func deepProgram() {
        var body = "[exit]"
        for _ in 0..<17 { body = "[{repeat: 2, body: \(body)}]" }
        let yaml = "machine: {ram: 64MiB}\ntasks:\n  - {pid: 1, name: a, program: \(body)}\n"
        #expect(error(yaml) == "h.yaml:3:336: error: programs nest deeper than 16 levels")
    }

    @Test("a program of more than 10000 operations is refused")
    func longProgram() {
        let ops = Array(repeating: "exit", count: 10_001).joined(separator: ", ")
        let yaml = "machine: {ram: 64MiB}\ntasks:\n  - {pid: 1, name: a, program: [\(ops)]}\n"
        #expect(error(yaml) == "h.yaml:3:60033: error: a program has more than 10000 operations")
    }

    @Test("more than 4 MiB is refused unread")
    func oversize() throws {
        let big = String(repeating: "#", count: (4 << 20) + 1)
        #expect(error(big) == "h.yaml:1:1: error: the file is larger than 4 MiB (4194305 bytes)")
        try folder.write(big, to: "big.yaml")
        #expect(throws: ScenarioError("the file is larger than 4 MiB",
                                      at: SourceLocation(file: folder.path + "/big.yaml", line: 1, column: 1))) {
            try ScenarioLoader.load(path: folder.path + "/big.yaml")
        }
    }

    @Test("bytes that are not UTF-8 are located")
    func notUTF8() throws {
        let path = folder.path + "/bin.yaml"
        #expect(FileManager.default.createFile(atPath: path, contents: Data("machine:\n  ram: \u{1}".utf8.dropLast() + [0xFF, 0xFE])))
        #expect(throws: ScenarioError("the file is not valid UTF-8 text", at: SourceLocation(file: path, line: 2, column: 8))) {
            try ScenarioLoader.load(path: path)
        }
    }

    @Test("unreadable paths are errors without a location")
    func unreadable() throws {
        #expect(throws: ScenarioError("cannot read '\(folder.path)/none.yaml': No such file or directory")) {
            try ScenarioLoader.load(path: folder.path + "/none.yaml")
        }
        #expect(throws: ScenarioError("cannot read '\(folder.path)': it is a directory")) {
            try ScenarioLoader.load(path: folder.path)
        }
    }

    @Test("Yams' own errors map to located errors")
    func yamsErrors() {
        func mapped(_ yaml: String) -> String? {
            do {
                _ = try Yams.compose(yaml: yaml)
                return nil
            } catch let error as YamlError {
                return ScenarioLoader.located(error, file: "y.yaml").description
            } catch {
                return "unexpected \(error)"
            }
        }
        #expect(mapped("a: 1\n  b: 2\n") == "y.yaml:2:4: error: invalid YAML: mapping values are not allowed in this context")
        #expect(mapped("a: [1\n") == "y.yaml:2:1: error: invalid YAML: did not find expected ',' or ']'"
                + " (while parsing a flow sequence at 1:4)")
        #expect(mapped("a: 1\na: 2\n") == "y.yaml:1:1: error: duplicate key 'a'")
        #expect(mapped("a: *x\n") == "y.yaml:1:4: error: invalid YAML: found undefined alias")
    }
}
