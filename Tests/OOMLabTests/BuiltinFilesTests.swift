import Foundation
import Testing
@testable import OOMLab
@testable import OOMLabKernel

@Suite("Built-in presets and lessons: compiled in, searched last, shadowed by the user's")
struct BuiltinFilesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// presets/*.yaml, lessons/*.yaml and presets/teaching-order.txt, relative to the package root.
    static func shippedFiles() throws -> [String] {
        var files = ["presets/teaching-order.txt"]
        for folder in ["presets", "lessons"] {
            let names = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path)
            files += names.filter { $0.hasSuffix(".yaml") }.map { folder + "/" + $0 }
        }
        return files.sorted()
    }

    @Test("the compiled-in texts are the shipped files byte for byte (else run scripts/sync-builtin-files.py)")
    func sameAsShipped() throws {
        let shipped = try Self.shippedFiles()
        #expect(BuiltinFiles.texts.keys.sorted() == shipped, "run scripts/sync-builtin-files.py")
        for file in shipped {
            let bytes = try Data(contentsOf: Self.root.appendingPathComponent(file))
            #expect(BuiltinFiles.text(at: "builtin:" + file).map { Data($0.utf8) } == bytes,
                    "\(file) differs from its built-in copy: run scripts/sync-builtin-files.py")
        }
        #expect(Scenario.defaultYAML == BuiltinFiles.text(at: "builtin:presets/xfs-kmem-alloc-loop.yaml"))
    }

    @Test("the search order: $OOMLAB_PRESETS, ./presets, $XDG_DATA_HOME/oomlab/presets, built-in")
    func searchOrder() {
        let env = ["OOMLAB_PRESETS": "/a:/b", "XDG_DATA_HOME": "/data", "HOME": "/home/u"]
        #expect(PresetSearchPath.folders("presets", variable: "OOMLAB_PRESETS", environment: env)
                == ["/a", "/b", "presets", "/data/oomlab/presets", "builtin:presets"])
        // XDG: unset, empty or relative means ~/.local/share.
        for xdg in [nil, "", "relative/data"] {
            var e = ["HOME": "/home/u"]
            e["XDG_DATA_HOME"] = xdg
            #expect(PresetSearchPath.folders("lessons", variable: "OOMLAB_LESSONS", environment: e)
                    == ["lessons", "/home/u/.local/share/oomlab/lessons", "builtin:lessons"])
        }
        #expect(PresetSearchPath.folders("presets", variable: "OOMLAB_PRESETS", environment: [:]) == ["presets", "builtin:presets"])
    }

    @Test("a user's preset shadows the built-in of its name; the built-in stays reachable by its path")
    func shadowing() throws {
        let user = try TemporaryFolder()
        try user.write("description: mine\nmachine: {ram: 1MiB}\n", to: "simple-leak.yaml")
        try user.write(try #require(BuiltinFiles.text(at: "builtin:presets/oom-reaper.yaml")), to: "oom-reaper.yaml")
        let library = PresetLibrary(directories: [user.path, "builtin:presets"])
        #expect(try library.resolve("simple-leak") == user.path + "/simple-leak.yaml")
        #expect(try library.resolve("kswapd-oom") == "builtin:presets/kswapd-oom.yaml")
        #expect(try library.load("builtin:presets/simple-leak.yaml").description != "mine")
        let entries = library.list()
        let leak = try #require(entries.first { $0.name == "simple-leak" })
        #expect(leak.source == user.path)
        #expect(leak.shadowedBuiltin == "builtin:presets/simple-leak.yaml")
        #expect(!PresetLibrary.sameText(leak.path, as: "builtin:presets/simple-leak.yaml"))
        let reaper = try #require(entries.first { $0.name == "oom-reaper" })
        #expect(PresetLibrary.sameText(reaper.path, as: "builtin:presets/oom-reaper.yaml"))
        let builtin = try #require(entries.first { $0.name == "kswapd-oom" })
        #expect(builtin.source == "built-in" && builtin.shadows.isEmpty && builtin.error == nil)
        #expect(PresetLibrary.label(folder: "presets") == "./presets")
    }

    @Test("the built-in library alone lists every shipped preset in teaching order, each loading")
    func builtinAlone() throws {
        let library = PresetLibrary(directories: ["builtin:presets"])
        let entries = library.list()
        let shipped = try Self.shippedFiles().filter { $0.hasPrefix("presets/") && $0.hasSuffix(".yaml") }
        #expect(entries.count == shipped.count)
        #expect(entries.allSatisfy { $0.error == nil && $0.path.hasPrefix("builtin:presets/") })
        let order = try String(contentsOf: Self.root.appendingPathComponent("presets/teaching-order.txt"), encoding: .utf8)
            .split(separator: "\n").map { $0.prefix { $0 != "#" }.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        #expect(Array(entries.map(\.name).prefix(order.count)) == order)
        let lesson = try LessonLoader.load(path: "builtin:lessons/tif-memdie-2015.yaml", presets: library)
        #expect(lesson.steps.allSatisfy { $0.scenarioPath.hasPrefix("builtin:presets/") })
    }

    @Test("a built-in path that names nothing is an error, not an empty file")
    func missingBuiltin() {
        #expect(throws: ScenarioError("no built-in file 'builtin:presets/nope.yaml'")) {
            try ScenarioLoader.load(path: "builtin:presets/nope.yaml")
        }
    }
}
