import Foundation
import Testing
@testable import OOMLabTUI
import OOMLab
import OOMLabKernel

/// The TUI's save (the `s` key's form) keeps only the expect checks the saved
/// session still meets, as `run --save-as` does: a file the TUI writes
/// passes `oomlab check`, and the status line says what was left out.
@Suite("TUI save: the scenario's checks that the user's actions broke are left out")
struct TUISaveChecksTests {
    @Test func brokenChecksLeftOut() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("oomlab-tuisave-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = PresetFiles(library: PresetSearchPath.library, folder: dir.path)
        let preset = try files.load(path: "builtin:presets/xfs-kmem-alloc-loop.yaml")
        #expect(try ScenarioCheck.run(preset).allSatisfy(\.passed), "the preset passes its own checks")

        // Turning the reaper on at tick 0 ends the preset's stall.
        var run = try Run(session: preset)
        try run.apply(.setPolicy(.oomReaper, "on"))
        let session = run.session
        let before = try ScenarioCheck.run(session)
        let failing = before.filter { !$0.passed }.count
        #expect(failing > 0, "the reaper breaks some of the preset's checks")

        let path = dir.appendingPathComponent("mine.yaml").path
        let note = try files.save(session, to: path, overwrite: false)
        #expect(note == "(1 action, at tick 0; left out \(failing) expect checks your actions broke: oomlab check would fail them)")
        let reopened = try files.load(path: path)
        let after = try ScenarioCheck.run(reopened)
        #expect(!after.isEmpty && after.allSatisfy(\.passed), "\(after.filter { !$0.passed }.map(\.message))")
        #expect(after.count == before.count - failing, "the checks that held are kept")
        #expect(reopened.timeline == session.timeline)

        // Unchanged, nothing is left out and the note is empty.
        let same = try files.save(preset, to: dir.appendingPathComponent("same.yaml").path, overwrite: false)
        #expect(same == "")
        #expect(try files.load(path: dir.appendingPathComponent("same.yaml").path).scenario.expect == preset.scenario.expect)
    }
}
