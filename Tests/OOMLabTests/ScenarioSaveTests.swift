import Foundation
import Testing
@testable import OOMLab
@testable import OOMLabKernel

@Suite("ScenarioWriter.save: atomic, and never destroys a file without consent")
struct ScenarioSaveTests {
    /// A stored property, so the folder lives until the test ends.
    let folder: TemporaryFolder
    init() throws { folder = try TemporaryFolder() }

    static let scenario = Scenario(name: "saved", machine: MachineConfig(ramPages: 1024), locks: ["l"],
                                   tasks: [TaskSpec(pid: 1, name: "t", program: [.lock(name: "l", wait: .killable)])])

    @Test("a new file is written whole, loads back equal, and leaves no temporary file")
    func newFile() throws {
        let path = folder.path + "/s.yaml"
        try ScenarioWriter.save(Self.scenario, to: path)
        #expect(try folder.read("s.yaml") == ScenarioWriter.yaml(for: Self.scenario))
        #expect(try ScenarioLoader.load(path: path) == Self.scenario)
        #expect(folder.contents() == ["s.yaml"])
    }

    @Test("an existing file is not replaced unless asked")
    func noOverwrite() throws {
        try folder.write("old\n", to: "s.yaml")
        let path = folder.path + "/s.yaml"
        #expect(throws: ScenarioError("'\(path)' already exists; not overwriting it")) {
            try ScenarioWriter.save(Self.scenario, to: path)
        }
        #expect(try folder.read("s.yaml") == "old\n")
        #expect(folder.contents() == ["s.yaml"])
        try ScenarioWriter.save(Self.scenario, to: path, overwrite: true)
        #expect(try ScenarioLoader.load(path: path) == Self.scenario)
    }

    @Test("overwriting a commented file needs discardComments too")
    func comments() throws {
        let path = folder.path + "/s.yaml"
        let commented = "# my notes\nmachine: {ram: 1MiB}\n"
        try folder.write(commented, to: "s.yaml")
        #expect(throws: ScenarioError("'\(path)' has comments that saving would discard;"
                                      + " save under a new name, or discard them explicitly")) {
            try ScenarioWriter.save(Self.scenario, to: path, overwrite: true)
        }
        #expect(try folder.read("s.yaml") == commented)
        try ScenarioWriter.save(Self.scenario, to: path, overwrite: true, discardComments: true)
        #expect(try ScenarioLoader.load(path: path) == Self.scenario)
        // What we wrote has no comments, so saving over it again needs no consent.
        try ScenarioWriter.save(Self.scenario, to: path, overwrite: true)
    }

    @Test("a comment is a # outside every token", arguments: [
        ("a: 1 # note\n", true), ("# top\na: 1\n", true), ("a:\n  # inside\n  b: 1\n", true),
        ("a: 'x # y'\n", false), ("a: \"#\"\n", false), ("a: b#c\n", false), ("a: |\n  # literal text\n", false),
        ("a: 1\n", false), ("a: [1, # c\n  2]\n", true), ("{ bad yaml #\n", true), ("{ bad yaml\n", false),
    ])
    func commentDetection(text: String, hasComments: Bool) {
        #expect(YAMLComments.contains(in: text) == hasComments)
    }

    @Test("saving into a missing folder fails cleanly")
    func missingFolder() throws {
        let path = folder.path + "/missing/s.yaml"
        #expect(throws: ScenarioError("cannot save '\(path)': No such file or directory")) {
            try ScenarioWriter.save(Self.scenario, to: path)
        }
        #expect(folder.contents() == [])
    }

    @Test("a directory in the way is refused, nothing is left behind and it is untouched")
    func failedRename() throws {
        try FileManager.default.createDirectory(atPath: folder.path + "/s.yaml", withIntermediateDirectories: false)
        try folder.write("keep", to: "s.yaml/inside")
        let path = folder.path + "/s.yaml"
        #expect(throws: ScenarioError("cannot save '\(path)': it is a directory")) {
            try ScenarioWriter.save(Self.scenario, to: path, overwrite: true, discardComments: true)
        }
        #expect(folder.contents() == ["s.yaml"])
        #expect(try folder.read("s.yaml/inside") == "keep")
    }

    @Test("a scenario that would not load back is never written")
    func invalidScenario() throws {
        try folder.write("old\n", to: "s.yaml")
        var bad = Self.scenario
        bad.locks = []
        let path = folder.path + "/s.yaml"
        #expect(throws: ScenarioError("cannot save '\(path)': the scenario would not load back:"
                                      + " undeclared lock 'l' (the scenario declares no locks; list them under 'locks')")) {
            try ScenarioWriter.save(bad, to: path, overwrite: true, discardComments: true)
        }
        #expect(try folder.read("s.yaml") == "old\n")
        #expect(folder.contents() == ["s.yaml"])
    }

    @Test("replacing keeps the old file's permissions")
    func keepsMode() throws {
        try folder.write("old\n", to: "s.yaml")
        let path = folder.path + "/s.yaml"
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
        try ScenarioWriter.save(Self.scenario, to: path, overwrite: true)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o640)
    }

    @Test("a save whose temporary file cannot be made fails and leaves the old file intact")
    func cannotCreateTemporary() throws {
        // A 250-character name exists, but its temporary sibling would be
        // longer than NAME_MAX: open() fails with ENAMETOOLONG, even for root
        // (which permission bits would not stop).
        let name = String(repeating: "s", count: 245) + ".yaml"
        try folder.write("old\n", to: name)
        let path = folder.path + "/" + name
        #expect(throws: ScenarioError("cannot save '\(path)': File name too long")) {
            try ScenarioWriter.save(Self.scenario, to: path, overwrite: true)
        }
        #expect(try folder.read(name) == "old\n")
        #expect(folder.contents() == [name])
    }
}
