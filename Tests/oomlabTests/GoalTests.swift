import Foundation
import OOMLab
import Testing
@testable import OOMLabTUI
import OOMLabKernel

/// Long moves compute in slices, so keys are handled while they go.
@Suite("Long moves in slices")
struct GoalTests {
    @Test("g far past the frontier starts a move that the loop continues in slices, and arrives where straight stepping does")
    func goFar() {
        var state = Snap.state(ticks: 0)
        Snap.press(&state, [.char("g")] + Snap.type("9000") + [.enter])
        #expect(state.goal == AppState.Goal(target: 9000, from: 0, verb: "at"))
        #expect(state.run.position < 9000, "nothing computed in the key's own call beyond the frontier")
        var slices = 0
        while state.goal != nil && slices < 1000 {
            state.continueGoal(64)
            slices += 1
        }
        #expect(state.goal == nil)
        #expect(state.run.position == 9000)
        #expect(slices > 100, "9000 ticks in slices of 64")
        #expect(state.message?.text == "at tick 9000 (90.00 s)")
        var straight = Kernel(scenario: .defaultScenario)
        _ = straight.run(ticks: 9000)
        #expect(state.kernel == straight)
    }

    @Test("any key stops the move where it stands; Esc only stops it")
    func keyStops() {
        var state = Snap.state(ticks: 0)
        Snap.press(&state, [.char("n")] + Snap.type("50000") + [.enter])
        #expect(state.goal?.target == 50_000)
        state.continueGoal(64)
        state.continueGoal(64)
        Snap.press(&state, [.escape])
        #expect(state.goal == nil)
        #expect(state.run.position == 128)
        #expect(state.message?.text == "stepped 128 ticks (stopped by a key; 49872 ticks short of 50000)")
        Snap.press(&state, [.char("n")] + Snap.type("5000") + [.enter])
        state.continueGoal(10)
        Snap.press(&state, [.char(",")])
        #expect(state.goal == nil)
        #expect(state.run.position == 137, "the move stopped at 138, then , stepped back one")
    }

    @Test("short moves stay immediate")
    func shortMoves() {
        var state = Snap.state(ticks: 0)
        Snap.press(&state, [.char("n")] + Snap.type("800") + [.enter])
        #expect(state.goal == nil)
        #expect(state.run.position == 800)
        Snap.press(&state, [.char("g")] + Snap.type("300") + [.enter])
        #expect(state.goal == nil && state.run.position == 300)
    }
}
