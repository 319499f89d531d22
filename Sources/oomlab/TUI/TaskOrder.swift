import OOMLabKernel

/// The task table's rows in `TaskSort` order without copying the tasks or
/// sorting all of them: one pass over the kernel's task array collects each
/// task's sort key (a few words, never the task), and only the rows asked
/// for (the ones on screen) are put in order, by a partial selection.
/// A frame costs one pass over the tasks plus the rows it shows, whatever
/// the task count (issue 12).
///
/// The order: live tasks by the sort (pid order is the kernel's task list
/// order; rss and oom_score largest first, ties by pid), then the dead ones
/// in task list order. The key is a total order (pids are unique), so the
/// rows at a rank are the same whichever way they are found.
struct TaskOrder {
    /// A live task's place: `key` ascending, then `pid` ascending.
    struct Entry {
        var key: Int
        var pid: Int
        var index: Int

        static func < (a: Entry, b: Entry) -> Bool { a.key != b.key ? a.key < b.key : a.pid < b.pid }
    }

    let sort: TaskSort
    /// Live tasks; in row order for `.pid`, otherwise in task list order
    /// until `rows(_:)` puts the asked-for ranks in place.
    private var live: [Entry] = []
    /// The dead tasks, in task list order (their rows follow the live ones).
    private var dead: [Entry] = []

    /// Every row: live and dead tasks.
    var count: Int { live.count + dead.count }
    /// The live tasks: the first `alive` rows.
    var alive: Int { live.count }

    init(_ k: Kernel, sort: TaskSort) {
        self.sort = sort
        live.reserveCapacity(k.tasks.count)
        let scores = sort == .score ? k.oomScores() : []
        // Stored properties and index-taking calls only (state for isAlive,
        // mmRSS(at:) for rss): calling a getter of another module on an array
        // element copies the whole Task.
        for i in k.tasks.indices {
            let pid = k.tasks[i].pid
            guard k.tasks[i].state != .dead else {
                dead.append(Entry(key: i, pid: pid, index: i))
                continue
            }
            let key: Int
            switch sort {
            case .pid: key = i
            case .rss: key = -k.mmRSS(at: i)
            case .score: key = -scores[i]
            }
            live.append(Entry(key: key, pid: pid, index: i))
        }
    }

    /// The row of the task with `pid` (live or dead), or nil when there is none.
    func rank(ofPid pid: Int?) -> Int? {
        guard let pid else { return nil }
        if let e = live.first(where: { $0.pid == pid }) {
            // Its rank is how many live tasks come before it: no sorting needed.
            var before = 0
            for other in live where other < e { before += 1 }
            return before
        }
        return dead.firstIndex { $0.pid == pid }.map { alive + $0 }
    }

    /// The kernel task indexes of the rows at `ranks` (clamped to the rows
    /// there are), in row order. Puts those live ranks in place first.
    mutating func rows(_ ranks: Range<Int>) -> [Int] {
        let ranks = ranks.clamped(to: 0..<count)
        guard !ranks.isEmpty else { return [] }
        let liveRanks = ranks.clamped(to: 0..<alive)
        if sort != .pid && !liveRanks.isEmpty {
            TaskOrder.select(&live, liveRanks)
        }
        var out = liveRanks.map { live[$0].index }
        let deadRanks = ranks.clamped(to: alive..<count)
        out += deadRanks.map { dead[$0 - alive].index }
        return out
    }

    // MARK: Partial selection

    /// Rearranges `a` so that `a[ranks]` holds, in order, the elements a
    /// full sort would put there: two quickselects (everything before
    /// `ranks` is smaller, everything after larger) and a sort of the few
    /// in between. Expected O(n + k log k) for k ranks; a partition that
    /// keeps going badly falls back to sorting that part (introselect), so
    /// the worst case stays O(n log n).
    static func select(_ a: inout [Entry], _ ranks: Range<Int>) {
        guard !ranks.isEmpty else { return }
        nthElement(&a, ranks.lowerBound, in: 0..<a.count)
        if ranks.upperBound < a.count { nthElement(&a, ranks.upperBound, in: ranks.lowerBound..<a.count) }
        a[ranks].sort(by: <)
    }

    /// Puts the element of rank `n` (within `range`) at `a[n]`, smaller ones
    /// before it and larger ones after (std::nth_element).
    static func nthElement(_ a: inout [Entry], _ n: Int, in range: Range<Int>) {
        var lo = range.lowerBound
        var hi = range.upperBound - 1
        var budget = 2 * (Int.bitWidth - range.count.leadingZeroBitCount) + 4
        while lo < hi {
            if hi - lo < 16 || budget == 0 {
                a[lo...hi].sort(by: <)
                return
            }
            budget -= 1
            // Median of three as the pivot, moved to hi.
            let mid = lo + (hi - lo) / 2
            if a[mid] < a[lo] { a.swapAt(mid, lo) }
            if a[hi] < a[lo] { a.swapAt(hi, lo) }
            if a[mid] < a[hi] { a.swapAt(mid, hi) }
            let pivot = a[hi]
            // Lomuto partition: [lo, store) < pivot, pivot then at store.
            var store = lo
            for j in lo..<hi where a[j] < pivot {
                a.swapAt(store, j)
                store += 1
            }
            a.swapAt(store, hi)
            if n == store { return }
            if n < store { hi = store - 1 } else { lo = store + 1 }
        }
    }
}

/// The last task order built, kept for the frames and key presses that come
/// while the run stands still (paused, scrolling, sorting back and forth).
/// A run's kernel is a function of its scenario, its timeline and its
/// position (`Run`), so those and the sort are the key; comparing them is
/// cheap, since unchanged arrays compare by their storage. A class, so that a
/// view drawing from an immutable `AppState` can fill it; copies of the state
/// share it, and an entry made for one is right for any with an equal key.
final class TaskOrderCache {
    private struct Key: Equatable {
        var scenario: Scenario
        var timeline: Timeline
        var position: Int
        var sort: TaskSort
    }

    private var key: Key?
    private var cached: TaskOrder?

    /// Forgets the order kept, so that the next one is built (the frame
    /// benchmark times a frame as the first at its tick).
    func invalidate() {
        key = nil
        cached = nil
    }

    func order(_ run: Run, sort: TaskSort) -> TaskOrder {
        let key = Key(scenario: run.scenario, timeline: run.timeline, position: run.position, sort: sort)
        if let cached, self.key == key { return cached }
        let order = TaskOrder(run.kernel, sort: sort)
        self.key = key
        cached = order
        return order
    }
}
