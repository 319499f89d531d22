import OOMLab
import OOMLabKernel

/// What `oomlab bench` times of the interface: a frame as the main loop
/// makes one (the views render the state into a `Screen`, `ScreenDiff`
/// finds the cells that changed since the previous frame) against the
/// in-memory grid, with no terminal. The kernel steps between frames, as it
/// does while the lab runs, and that step is not part of a frame's time.
package struct FrameBench {
    var state: AppState
    var previous: Screen?
    let width: Int
    let height: Int

    /// The lab on a fresh run of `scenario` at `width` x `height`, the task
    /// table sorted by `sort` (pid, rss or score), selecting the row at
    /// `selectRank` (the table scrolls to keep it on screen).
    package init(scenario: Scenario, width: Int, height: Int, sort: String = "pid", selectRank: Int = 0) {
        state = AppState(scenario: scenario)
        state.taskSort = TaskSort(rawValue: sort) ?? .pid
        self.width = width
        self.height = height
        select(rank: selectRank)
    }

    /// Steps the kernel `ticks` ticks (untimed work between frames).
    package mutating func step(_ ticks: Int) {
        for _ in 0..<ticks { _ = state.run.step() }
        // The selection follows its rank: a frame shows the same part of the table.
        select(rank: selectedRank)
        // Finding that row built the task order for this tick; the frame
        // must build its own, as the first frame after a tick does in the lab.
        state.taskOrderCache.invalidate()
    }

    private var selectedRank = 0

    private mutating func select(rank: Int) {
        selectedRank = rank
        let k = state.kernel
        var order = state.taskOrder
        state.selectedPid = order.rows(rank..<rank + 1).first.map { k.tasks[$0].pid }
    }

    /// One frame: render and diff. Returns the cells the terminal would be sent.
    package mutating func frame() -> Int {
        state.logPage = MainView.logRows(height: height, caption: CaptionView.shows(state))
        let screen = MainView.render(state, width: width, height: height)
        let diff = ScreenDiff(from: previous, to: screen, width: width, height: height)
        previous = screen
        return diff.cells.count
    }
}
