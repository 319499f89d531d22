/// What to send the terminal to turn the previous frame into the next: a
/// pure function, so the diff is tested against grids, not a terminal
/// (ratatui's and bubbletea's way).
struct ScreenDiff: Equatable {
    /// Clear first and send every cell: there was no previous frame, or its size differs.
    var full: Bool
    /// The cells to write, row by row, inside the terminal's `width` x `height`.
    var cells: [(x: Int, y: Int, cell: Cell)]

    static func == (a: ScreenDiff, b: ScreenDiff) -> Bool {
        a.full == b.full && a.cells.elementsEqual(b.cells) { $0.x == $1.x && $0.y == $1.y && $0.cell == $1.cell }
    }

    init(from previous: Screen?, to next: Screen, width: Int, height: Int) {
        full = previous == nil || previous?.width != next.width || previous?.height != next.height
        cells = []
        for y in 0..<Swift.max(0, Swift.min(next.height, height)) {
            for x in 0..<Swift.max(0, Swift.min(next.width, width)) {
                let cell = next[x, y]
                if !full, let p = previous, p[x, y] == cell { continue }
                cells.append((x, y, cell))
            }
        }
    }
}
