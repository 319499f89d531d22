import Foundation
import OOMLab
import Testing
@testable import oomlab
import OOMLabKernel

@Suite("Kernel.toScenario")
struct SnapshotScenarioTests {
    @Test("a running kernel saves as a file that loads back unchanged", arguments: [0, 120, 400, 900])
    func roundTrip(ticks: Int) throws {
        var k = Kernel(scenario: .defaultScenario)
        _ = k.run(ticks: ticks)
        try k.addLock("agi")
        let s = k.toScenario()
        let path = FileManager.default.temporaryDirectory.path + "/oomlab-tui-\(UUID().uuidString).yaml"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ScenarioWriter.save(s, to: path)
        let back = try ScenarioLoader.load(path: path)
        #expect(back == s)
        #expect(back.locks == ["agf", "agi"])
        // The books balance in the new kernel too.
        var again = Kernel(scenario: back)
        try again.checkInvariants()
        _ = again.run(ticks: 50)
        try again.checkInvariants()
    }
}
