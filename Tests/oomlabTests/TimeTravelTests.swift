import Foundation
import OOMLab
import Testing
@testable import OOMLabTUI
import OOMLabKernel

/// The time-travel keys through the reducer: `,` `.` `[` `]` `g` `R`, the
/// unsaved-actions question on `q` `o` `R`, and saving a session with `s`.
@Suite("Time travel keys")
struct TimeTravelTests {
    /// The default scenario's kernel stepped straight to `tick`, no run.
    static func stepped(to tick: Int, reaperOnAt: Int? = nil) -> Kernel {
        var k = Kernel(scenario: .defaultScenario)
        while k.tick < tick {
            k.step()
            if k.tick == reaperOnAt { try? k.setPolicy(.oomReaper, "on") }
        }
        return k
    }

    static func screen(_ state: AppState, _ w: Int = 80, _ h: Int = 24) -> String {
        MainView.render(state, width: w, height: h).text
    }

    @Test(", goes one tick back to exactly the state stepping gives; . goes forward as space does")
    func stepBackAndForward() {
        var state = Snap.state(ticks: 800)
        Snap.press(&state, [.char(",")])
        #expect(state.run.position == 799)
        #expect(state.message?.text == "back to tick 799")
        #expect(state.kernel == Self.stepped(to: 799))
        #expect(Self.screen(state).contains("tick 799 of 3000 rewound"))
        Snap.press(&state, [.char(".")])
        #expect(state.kernel == Self.stepped(to: 800))
        #expect(!Self.screen(state).contains("rewound"))
        Snap.press(&state, [.char(" ")])
        #expect(state.run.position == 801)
    }

    @Test(", at tick 0 says there is nothing before it")
    func stepBackAtZero() {
        var state = Snap.state(ticks: 0)
        Snap.press(&state, [.char(",")])
        #expect(state.message == AppState.Message(text: "already at tick 0; nothing before it", isError: true))
    }

    @Test("[ goes back marker by marker to the OOM kill, naming the victim; ] goes forward again")
    func markers() {
        var state = Snap.state(ticks: 800)
        Snap.press(&state, [.char("[")])
        let last = state.run.markers.last { $0.tick < 800 }
        #expect(last != nil && state.run.position == last?.tick)
        #expect(state.message?.text.hasPrefix("marker: ") == true)
        // Back to the first marker: the first OOM kill.
        for _ in 0..<20 where state.run.position > Snap.firstKillTick { Snap.press(&state, [.char("[")]) }
        #expect(state.run.position == Snap.firstKillTick)
        #expect(state.message?.text == "marker: OOM kill of postgres[1337] at tick \(Snap.firstKillTick)")
        Snap.press(&state, [.char("[")])
        #expect(state.message == AppState.Message(text: "no marker before tick \(Snap.firstKillTick)", isError: true))
        Snap.press(&state, [.char("]")])
        #expect(state.run.position == state.run.markers.first { $0.tick > Snap.firstKillTick }?.tick)
    }

    @Test("] from tick 0 computes ahead to the first marker")
    func nextMarkerComputes() {
        var state = Snap.state(ticks: 0)
        Snap.press(&state, [.char("]")])
        #expect(state.run.position == Snap.firstKillTick)
        #expect(state.message?.text == "marker: OOM kill of postgres[1337] at tick \(Snap.firstKillTick)")
    }

    @Test("g goes to a tick or a time; bad input says what to type")
    func goTo() {
        var state = Snap.state(ticks: 800)
        Snap.press(&state, [.char("g")] + Snap.type("300") + [.enter])
        #expect(state.run.position == 300)
        #expect(state.message?.text == "back to tick 300 (3.00 s)")
        #expect(state.logLines.allSatisfy { $0.tick <= 300 })
        #expect(state.kernel == Self.stepped(to: 300))
        Snap.press(&state, [.char("g")] + Snap.type("7.5s") + [.enter])
        #expect(state.run.position == 750)
        Snap.press(&state, [.char("g")] + Snap.type("120ms") + [.enter])
        #expect(state.run.position == 12)
        Snap.press(&state, [.char("g")] + Snap.type("soon") + [.enter])
        #expect(state.message == AppState.Message(text: "'soon' is neither a tick nor a time; type a tick (800) or a time (7.5s, 750ms) after g, then Enter", isError: true))
        Snap.press(&state, [.char("g")] + Snap.type("7.505s") + [.enter])
        #expect(state.message == AppState.Message(text: "7.505s does not fall on a tick: a tick is 10 ms", isError: true))
        Snap.press(&state, [.char("g"), .enter])
        #expect(state.message?.isError == true)
        #expect(state.run.position == 12, "bad input does not move the run")
        #expect(AppState.parseGoTo("99999999", limit: 1_000_800) == .failure(AppState.GoToError(text: "tick 99999999 is too far: g goes at most to tick 1000800")))
    }

    @Test("running after a rewind replays the user's later actions")
    func replay() {
        var state = Snap.state(ticks: 0)
        Snap.press(&state, [.char("g")] + Snap.type("300") + [.enter, .char("r")])
        Snap.press(&state, [.char("g")] + Snap.type("900") + [.enter])
        let recorded = state.kernel
        #expect(recorded == Self.stepped(to: 900, reaperOnAt: 300))
        Snap.press(&state, [.char("g")] + Snap.type("100") + [.enter, .char("p")])
        #expect(state.message?.text == "replaying your actions (1 ahead, up to tick 900 computed); acting now replaces them")
        state.advance(250)
        #expect(state.message?.text == "replayed your action at tick 300: oomlab: policy oom_reaper: off -> on")
        state.running = false
        Snap.press(&state, [.char("g")] + Snap.type("900") + [.enter])
        #expect(state.kernel == recorded)
        #expect(state.run.timeline.count == 1)
    }

    @Test("acting after a rewind replaces the old future, and says so")
    func actReplaces() {
        var state = Snap.state(ticks: 800)
        Snap.press(&state, [.char("g")] + Snap.type("300") + [.enter, .char("r")])
        #expect(state.message?.text == "oom_reaper = on; the old future after tick 300 is replaced")
        #expect(state.run.frontier == 300)
        Snap.press(&state, [.char("n")] + Snap.type("700") + [.enter])
        #expect(state.kernel.verdict.kind == .recovered)
    }

    @Test("R goes back to the scenario as loaded; with unsaved actions it asks first")
    func reset() {
        var state = Snap.state(ticks: 500)
        Snap.press(&state, [.char("R")])
        #expect(state.run.position == 0 && state.overlay == .none)
        Snap.press(&state, [.char("r"), .char("R")])
        #expect(state.overlay == .unsaved(then: .reset))
        #expect(Self.screen(state).contains("You have 1 unsaved action."))
        #expect(Self.screen(state).contains("Going back to the scenario as loaded drops them."))
        Snap.press(&state, [.escape])
        #expect(state.overlay == .none && state.run.timeline.count == 1)
        #expect(state.message?.text == "cancelled; nothing was dropped")
        Snap.press(&state, [.char("R"), .char("d")])
        #expect(state.run.timeline.isEmpty && state.run.position == 0)
        #expect(state.kernel == Kernel(scenario: .defaultScenario))
    }

    @Test("q with unsaved actions asks; s saves the session, then quits")
    func quitAsks() {
        let files = FakeFiles()
        var state = Snap.state(ticks: 200)
        Snap.press(&state, [.char("k"), .char("q")], files: files)
        #expect(state.overlay == .unsaved(then: .quit) && !state.quitRequested)
        Snap.press(&state, [.char("s")] + Array(repeating: .backspace, count: 40) + Snap.type("mine.yaml") + [.enter], files: files)
        #expect(state.quitRequested)
        let saved = files.saved["mine.yaml"]
        #expect(saved?.at == 200)
        #expect(saved?.timeline.entries == [Timeline.Entry(tick: 200, action: .setPolicy(.oomInvocation, "kswapd"))])
        #expect(saved?.scenario == .defaultScenario, "the scenario as loaded, not a snapshot")
        #expect(!state.hasUnsavedActions)
    }

    @Test("q and o without unsaved actions do not ask; o with them asks, d discards and opens")
    func openAsks() {
        let files = FakeFiles()
        files.presets["other.yaml"] = Session(scenario: .defaultScenario)
        var state = Snap.state(ticks: 10)
        Snap.press(&state, [.char("o")], files: files)
        guard case .picker = state.overlay else { Issue.record("no picker"); return }
        Snap.press(&state, [.escape, .char("x"), .char("o")], files: files)
        #expect(state.overlay == .unsaved(then: .open))
        Snap.press(&state, [.char("d")], files: files)
        guard case .picker = state.overlay else { Issue.record("no picker after discard"); return }
        Snap.press(&state, [.enter], files: files)
        #expect(state.run.timeline.isEmpty && state.message?.text == "opened other.yaml")
        Snap.press(&state, [.char("q")], files: files)
        #expect(state.quitRequested)
    }
}
