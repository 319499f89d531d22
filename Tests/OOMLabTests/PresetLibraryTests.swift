import Testing
@testable import OOMLab
@testable import OOMLabKernel

@Suite("PresetLibrary: finding and listing scenarios")
struct PresetLibraryTests {
    let first: TemporaryFolder
    let second: TemporaryFolder
    let library: PresetLibrary

    /// Two preset folders: `first` and `second` both have `stall`; `second` also has `leak` and a broken file.
    init() throws {
        first = try TemporaryFolder()
        second = try TemporaryFolder()
        try first.write("description: from first\nmachine: {ram: 1MiB}\n", to: "stall.yaml")
        try second.write("description: from second\nmachine: {ram: 1MiB}\n", to: "stall.yaml")
        try second.write("description: a leak\nmachine: {ram: 1MiB}\npolicy: {era: modern}\n", to: "leak.yaml")
        try second.write("machine: {ram: 1MiB, swapp: 0}\n", to: "broken.yaml")
        try second.write("not a preset", to: "notes.txt")
        library = PresetLibrary(directories: [first.path, second.path])
    }

    @Test("names resolve in folder order; paths resolve as paths")
    func resolve() throws {
        #expect(try library.resolve("stall") == first.path + "/stall.yaml")
        #expect(try library.resolve("leak") == second.path + "/leak.yaml")
        #expect(try library.resolve(second.path + "/stall.yaml") == second.path + "/stall.yaml")
        #expect(try library.load("stall").description == "from first")
    }

    @Test("a name found nowhere says where it looked, with did-you-mean")
    func notFound() throws {
        #expect(throws: ScenarioError("no preset named 'stal' (looked in \(first.path), \(second.path))", suggestion: "stall")) {
            try library.resolve("stal")
        }
        #expect(throws: ScenarioError("no such file 'nowhere/stall.yaml'")) { try library.resolve("nowhere/stall.yaml") }
        #expect(throws: ScenarioError("no preset named 'x' (no preset folders were given)")) {
            try PresetLibrary(directories: []).resolve("x")
        }
    }

    @Test("listing: sorted by name, first folder wins, broken files listed with their error")
    func list() throws {
        let entries = library.list()
        #expect(entries.map(\.name) == ["broken", "leak", "stall"])
        #expect(entries.map(\.path) == [second.path + "/broken.yaml", second.path + "/leak.yaml", first.path + "/stall.yaml"])
        #expect(entries.map(\.description) == ["", "a leak", "from first"])
        #expect(entries[1].policy == PolicySpec(era: .modern))
        #expect(entries[0].error?.description == "\(second.path)/broken.yaml:1:22: error: unknown key 'swapp' in machine;"
                + " did you mean 'swap'?")
        #expect(library.names() == ["broken", "leak", "stall"])
    }

    @Test("missing folders are skipped")
    func missingFolder() throws {
        let wider = PresetLibrary(directories: ["/nonexistent/oomlab"] + library.directories)
        #expect(wider.names() == ["broken", "leak", "stall"])
    }
}
