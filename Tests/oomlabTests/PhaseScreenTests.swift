import Foundation
import OOMLab
import Testing
@testable import OOMLabTUI
import OOMLabKernel

/// The header's verdict and the status line in every phase of a run, as one
/// golden file: the first row and the status row of an 80x24 screen each.
@Suite("The header and status line in each phase")
struct PhaseScreenTests {
    static func preset(_ name: String) throws -> Scenario {
        try ScenarioLoader.load(path: Binary.packageRoot.appendingPathComponent("presets/\(name).yaml").path)
    }

    /// The rows of the screen that tell where the run stands.
    static func rows(_ label: String, _ state: AppState, width: Int = 80) -> String {
        let lines = MainView.render(state, width: width, height: 24).text.split(separator: "\n", omittingEmptySubsequences: false)
        return "\(label) (\(state.kernel.verdict.kind.rawValue)):\n\(lines[0])\n\(lines[22])\n"
    }

    static func state(_ scenario: Scenario, ticks: Int, then actions: (inout AppState) -> Void = { _ in }, more: Int = 0) -> AppState {
        var state = AppState(scenario: scenario)
        state.run.seek(to: ticks)
        actions(&state)
        state.advance(more)
        state.message = nil
        return state
    }

    @Test("ok, pending, stall, recovered, recovered after a stall, livelock, panic")
    func phases() throws {
        var reaper = Scenario.defaultScenario
        try reaper.policy.set(.oomReaper, "on")
        var panics = Scenario.defaultScenario
        try panics.policy.set(.panicOnOOM, "2")
        var text = ""
        text += Self.rows("ok", Self.state(.defaultScenario, ticks: 100))
        text += Self.rows("pending, the victim's age counting up", Self.state(.defaultScenario, ticks: 400))
        text += Self.rows("stall", Self.state(.defaultScenario, ticks: 800))
        text += Self.rows("stall at 132 columns", Self.state(.defaultScenario, ticks: 800), width: 132)
        text += Self.rows("recovered", Self.state(reaper, ticks: 1000))
        text += Self.rows("recovered after the reaper was switched on at 9 s",
                          Self.state(.defaultScenario, ticks: 900, then: { Snap.press(&$0, [.char("r")]) }, more: 600), width: 132)
        text += Self.rows("livelock", Self.state(try Self.preset("zone-reclaimable-livelock"), ticks: 1500))
        text += Self.rows("panic", Self.state(panics, ticks: 400))
        Golden.check(text, "phases")
    }

    @Test("pending has its own style, apart from stall and recovered")
    func pendingStyle() {
        let pending = HeaderView.verdictBadge(Snap.state(ticks: 400).kernel)
        let stall = HeaderView.verdictBadge(Snap.state(ticks: 800).kernel)
        #expect(pending.style == .pending)
        #expect(stall.style == .victim)
        #expect(pending.texts.first == "PENDING postgres 1.88 s")
        let later = HeaderView.verdictBadge(Snap.state(ticks: 500).kernel)
        #expect(later.texts.first == "PENDING postgres 2.88 s", "the age counts up")
    }

    @Test("E on the main screen gives the kernel --set era= gives, and the run recovers as the CLI's does")
    func eraKeyParity() throws {
        var state = Snap.state(ticks: 0)
        Snap.press(&state, [.char("E")])
        var cli = Scenario.defaultScenario
        try cli.policy.set(.era, "modern")
        let fromCLI = Kernel(scenario: cli)
        #expect(state.kernel.policy == fromCLI.policy)
        #expect(state.kernel.policy.oomReaper, "modern ships the reaper")
        #expect(state.kernel.watermarks == fromCLI.watermarks)
        state.advance(3000)
        #expect(state.kernel.verdict.kind == .recovered)
    }

    @Test("running stops at the scenario's end and says so; p goes on past it")
    func stopsAtEnd() {
        var state = Snap.state(ticks: 2990)
        state.running = true
        state.advance(100)
        #expect(state.kernel.tick == 3000)
        #expect(!state.running)
        #expect(state.message?.text == "reached the scenario's end at tick 3000 (30.00 s); p runs on past it")
        Snap.press(&state, [.char("p")])
        #expect(state.running)
        state.advance(100)
        #expect(state.kernel.tick == 3100, "past the end when the user asks")
    }

    @Test("the header shows the rate reached when it falls short of the setting")
    func achievedRate() {
        #expect(Format.speed(100) == "100 t/s")
        #expect(Format.speed(nil) == "max t/s")
        #expect(Format.speed(nil, achieved: 41_234) == "max 41.2k t/s")
        #expect(Format.speed(nil, achieved: 1_234_567) == "max 1.23M t/s")
        #expect(Format.speed(5000, achieved: 812) == "5000 t/s, got 812")
        #expect(Format.speed(100, achieved: 97) == "100 t/s", "within 10%: the setting is the truth")
        var state = Snap.state(ticks: 0)
        state.running = true
        state.speedIndex = AppState.speeds.count - 1
        state.achievedRate = 41_234
        let header = MainView.render(state, width: 100, height: 30).text.split(separator: "\n")[0]
        #expect(header.contains("max 41.2k t/s"))
    }
}

@Suite("PSI on screen per era")
struct PSIScreenTests {
    @Test("the memory panel shows PSI under modern rules only (PSI arrived in 4.20)")
    func psiPerEra() throws {
        var modern = Scenario.defaultScenario
        try modern.policy.set(.era, "modern")
        var state = AppState(scenario: modern)
        state.run.seek(to: 800)
        let k = state.kernel
        let shown = MainView.render(state, width: 100, height: 30).text
        #expect(shown.contains("psi some \(Format.percent(hundredths: k.psi.someAvg10)) full \(Format.percent(hundredths: k.psi.fullAvg10))"))
        let hidden = MainView.render(Snap.state(ticks: 800), width: 100, height: 30).text
        #expect(!hidden.contains("psi"))
    }
}
