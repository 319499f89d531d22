import Foundation
import OOMLab
import Testing
@testable import OOMLabTUI
import OOMLabKernel

/// Forks side by side through the reducer: `f` and its picker, lockstep,
/// `Tab`, the first difference, and `f` again keeping one side.
@Suite("Fork side by side")
struct ForkTests {
    /// The default scenario at `tick`, forked there with the reaper on, then
    /// stepped `ticks` more with n.
    static func forked(at tick: Int, then ticks: Int) -> AppState {
        var state = Snap.state(ticks: tick)
        Snap.press(&state, [.char("f")])
        let index = AppState.forkChoices(state.kernel).firstIndex { $0.action == .setPolicy(.oomReaper, "on") } ?? 0
        Snap.press(&state, Array(repeating: .down, count: index) + [.enter])
        if ticks > 0 { Snap.press(&state, [.char("n")] + Snap.type(String(ticks)) + [.enter]) }
        return state
    }

    @Test("f offers every switch value it does not have and a kill of each live task")
    func choices() {
        let labels = AppState.forkChoices(Snap.state(ticks: 300).kernel).map(\.label)
        #expect(labels.contains("oom_reaper = on") && !labels.contains("oom_reaper = off"))
        #expect(labels.contains("era = modern") && labels.contains("panic_on_oom = 2"))
        #expect(labels.contains("kill xfs-writer[412]") && labels.contains("kill journald[2001]"))
    }

    @Test("the fork steps in lockstep: the left stalls, the right recovers, and they part at the reap")
    func lockstep() {
        var state = Self.forked(at: 300, then: 700)
        guard let sides = state.forkSides, let f = state.fork else { Issue.record("no fork"); return }
        #expect(f.tick == 300 && f.focusRight && f.change == "oom_reaper = on")
        #expect(sides.left.position == 1000 && sides.right.position == 1000)
        #expect(sides.left.kernel.verdict.kind == .stall)
        #expect(sides.right.kernel.verdict.kind == .recovered)
        // The left is the unforked run exactly.
        #expect(sides.left.kernel == TimeTravelTests.stepped(to: 1000))
        #expect(sides.right.kernel == TimeTravelTests.stepped(to: 1000, reaperOnAt: 300))
        let diff = AppState.firstDifference(sides.left, sides.right, after: 300)
        #expect(diff?.tick == 301 && diff?.left == nil)
        #expect(diff?.right?.text.hasPrefix("oom_reaper: reaped process 1337 (postgres)") == true)
        // Going back moves both sides.
        Snap.press(&state, [.char(",")])
        #expect(state.forkSides?.left.position == 999 && state.forkSides?.right.position == 999)
        Snap.press(&state, [.char("g")] + Snap.type("200") + [.enter])
        #expect(state.forkSides?.left.position == 200 && state.forkSides?.right.position == 200)
        #expect(state.forkSides?.right.kernel.policy.oomReaper == false, "before the fork tick the fork has no change yet")
    }

    @Test("keys act on the focused side; Tab switches; f keeps the side asked for")
    func focusAndKeep() {
        var state = Self.forked(at: 300, then: 10)
        // Focus starts on the fork: x kills there only.
        Snap.press(&state, [.home, .char("x")])
        #expect(state.forkSides?.right.timeline.count == 2)
        #expect(state.forkSides?.left.timeline.count == 0)
        Snap.press(&state, [.tab])
        #expect(state.fork?.focusRight == false && state.message?.text == "focus: the left side")
        Snap.press(&state, [.char("k")])
        #expect(state.forkSides?.left.kernel.policy.oomInvocation == .kswapd)
        #expect(state.forkSides?.right.kernel.policy.oomInvocation == .direct)
        Snap.press(&state, [.char("f")])
        #expect(state.overlay == .keepSide)
        Snap.press(&state, [.escape])
        #expect(state.fork != nil && state.overlay == .none)
        Snap.press(&state, [.char("f"), .char("r")])
        #expect(state.fork == nil)
        #expect(state.run.kernel.policy.oomReaper && state.run.kernel.policy.oomInvocation == .direct)
        #expect(state.message?.text == "kept the fork (oom_reaper = on at tick 300)")
    }

    @Test("the future an action after a rewind replaced is the first fork choice; keeping it undoes the action")
    func replacedFuture() {
        var state = Snap.state(ticks: 800)
        Snap.press(&state, [.char("g")] + Snap.type("300") + [.enter, .char("r"), .char("f")])
        guard case .picker(let picker) = state.overlay else { Issue.record("no picker"); return }
        #expect(picker.entries.first?.label == "the future you replaced")
        Snap.press(&state, [.enter, .char("n")] + Snap.type("500") + [.enter])
        guard let sides = state.forkSides else { Issue.record("no fork"); return }
        #expect(sides.left.kernel.verdict.kind == .recovered, "the reaper went on at 300")
        #expect(sides.right.kernel == TimeTravelTests.stepped(to: 800), "the old future, as it ran")
        #expect(sides.right.timeline.isEmpty)
        Snap.press(&state, [.char("f"), .char("r")])
        #expect(state.fork == nil && !state.kernel.policy.oomReaper && state.run.timeline.isEmpty)
    }

    @Test("f then Esc leaves no fork; quitting with a fork's actions asks")
    func cancelAndQuit() {
        var state = Snap.state(ticks: 300)
        Snap.press(&state, [.char("f"), .escape])
        #expect(state.fork == nil && state.overlay == .none)
        state = Self.forked(at: 300, then: 0)
        Snap.press(&state, [.char("q")])
        #expect(state.overlay == .unsaved(then: .quit))
    }
}

@Suite("Time travel screens against golden files")
struct TimeTravelGoldenTests {
    @Test("rewound to the stall detection with markers on the graph", arguments: ScreenGoldenTests.sizes)
    func rewound(size: (Int, Int)) {
        var state = Snap.state(ticks: 1200)
        Snap.press(&state, [.char("g")] + Snap.type("800") + [.enter, .char("[")])
        Golden.check(MainView.render(state, width: size.0, height: size.1).text, "rewound-\(size.0)x\(size.1)")
    }

    @Test("the fork view: reaper on at tick 300, 7 s later", arguments: ScreenGoldenTests.sizes)
    func fork(size: (Int, Int)) {
        let state = ForkTests.forked(at: 300, then: 700)
        Golden.check(MainView.render(state, width: size.0, height: size.1).text, "fork-\(size.0)x\(size.1)")
    }
}
