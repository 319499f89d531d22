import OOMLab
import OOMLabKernel
import Testing
@testable import OOMLabTUI

/// Issue 14, class 7 (floods) on the screen: when the run's log passed its
/// limit (EventLog) and dropped its oldest lines, the log panel's title
/// says so; before that it counts the lines shown, as always.
@Suite("The log panel says when the run's log dropped lines")
struct LogFloodViewTests {
    @Test("the title counts the lines the run dropped")
    func title() throws {
        let yaml = "name: flood\nticks: 50\nmachine: {ram: 64MiB, swap: 0}\n"
            + "tasks: [{pid: 100, name: t, count: 500, program: [{repeat: forever, body: [{alloc: 64KiB}]}]}]\n"
        let scenario = try ScenarioLoader.parse(yaml: yaml, file: "flood.yaml")
        var state = AppState(run: try Run(scenario: scenario, logByteLimit: 16 << 10))
        #expect(state.run.log.droppedLines == 0)
        #expect(MainView.render(state, width: 100, height: 30).text.contains(" \(state.logLines.count) lines ─"))
        state.advance(10)
        let dropped = state.run.log.droppedLines
        #expect(dropped > 0)
        let screen = MainView.render(state, width: 100, height: 30).text
        #expect(screen.contains(" \(state.logLines.count) lines; run log full, \(dropped) oldest dropped ─"), "\(screen)")
    }
}
