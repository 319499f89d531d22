import Foundation
import OOMLab
import OOMLabKernel
import Testing
@testable import OOMLabTUI

/// The task table builds only the rows on screen (`TaskOrder`): its rows,
/// ranks and window must be exactly what sorting every task gave before.
/// The oracle below is that full sort, as the table did it until issue 12.
@Suite("Task table: visible rows only, same rows as a full sort")
struct TaskOrderTests {
    /// The table's order the old way: copy every task, sort them all.
    static func fullSort(_ k: Kernel, _ sort: TaskSort) -> [Int] {
        let alive = k.tasks.filter(\.isAlive)
        let dead = k.tasks.filter { !$0.isAlive }
        let rows: [Kernel.Task]
        switch sort {
        case .pid:
            rows = alive + dead
        case .rss:
            // What the table shows: a thread's rss is its mm's (get_mm_rss).
            let shown = alive.map { (task: $0, rss: k.mmRSS(of: $0)) }
            rows = shown.sorted { $0.rss != $1.rss ? $0.rss > $1.rss : $0.task.pid < $1.task.pid }.map(\.task) + dead
        case .score:
            let scored = alive.map { (task: $0, score: k.oomScore(of: $0)) }
            rows = scored.sorted { $0.score != $1.score ? $0.score > $1.score : $0.task.pid < $1.task.pid }.map(\.task) + dead
        }
        return rows.map(\.pid)
    }

    /// 300 tasks with repeated rss and oom_score values (ties break by pid),
    /// some root, some unkillable, pids not in spec order; every fourth exits.
    /// Every ninth is a thread of the task before it, so it shows that
    /// process's mm (some leaders exit first and hand the mm on).
    static func crowdPid(_ n: Int) -> Int { 1000 + (n * 7919) % 3001 }
    static let crowd: Scenario = {
        let specs = (0..<300).map { n in
            var t = TaskSpec(pid: crowdPid(n), name: "t\(n)", uid: n % 6 == 0 ? 0 : 1000,
                             oomScoreAdj: n % 11 == 0 ? -1000 : (n % 5) * 150 - 300,
                             anonPages: 64 * (n % 23), program: n % 4 == 0
                                ? [.sleep(ticks: 1 + n % 7), .exit]
                                : [.repeat(count: nil, body: [.sleep(ticks: 5)])])
            if n % 9 == 8 { t.tgid = crowdPid(n - 1) }
            return t
        }
        return Scenario(name: "crowd", ticks: 1000, machine: MachineConfig(ramPages: 1 << 18), tasks: specs)
    }()

    static func kernel() -> Kernel {
        var k = Kernel(scenario: crowd)
        for _ in 0..<20 { k.step() }
        return k
    }

    @Test("rows, ranks and the live count agree with the full sort, for every sort and many windows",
          arguments: TaskSort.allCases)
    func windows(sort: TaskSort) {
        let k = Self.kernel()
        let expected = Self.fullSort(k, sort)
        #expect(k.tasks.contains { !$0.isAlive }, "the scenario has dead tasks")
        #expect(k.tasks.contains { $0.isAlive && k.mmRSS(of: $0) != $0.rss }, "the scenario has threads showing their mm")
        var order = TaskOrder(k, sort: sort)
        #expect(order.count == expected.count)
        #expect(order.alive == k.tasks.filter(\.isAlive).count)
        for (rank, pid) in expected.enumerated() { #expect(order.rank(ofPid: pid) == rank, "pid \(pid)") }
        #expect(order.rank(ofPid: 42) == nil)
        #expect(order.rank(ofPid: nil) == nil)
        var windows = [0..<1, 0..<19, 137..<170, 200..<260, 290..<320, 299..<300, 310..<330, 0..<300]
        var rng = SplitMix64(seed: 12)
        for _ in 0..<60 {
            let start = rng.next(below: 300)
            windows.append(start..<start + 1 + rng.next(below: 60))
        }
        for w in windows {
            // Each window on a fresh order and on the one the previous windows rearranged.
            var fresh = TaskOrder(k, sort: sort)
            let want = Array(expected[w.clamped(to: 0..<expected.count)])
            #expect(fresh.rows(w).map { k.tasks[$0].pid } == want, "window \(w)")
            #expect(order.rows(w).map { k.tasks[$0].pid } == want, "window \(w), reused")
        }
    }

    @Test("the partial selection puts each asked-for rank in place, smaller before, larger after")
    func selection() {
        var rng = SplitMix64(seed: 3)
        let n = 2000
        let shapes: [[Int]] = [
            (0..<n).map { $0 },                        // sorted
            (0..<n).map { n - $0 },                    // reversed
            (0..<n).map { $0 < n / 2 ? $0 : n - $0 },  // organ pipe
            (0..<n).map { _ in 7 },                    // one key: the pid decides
            (0..<n).map { _ in rng.next(below: 50) },  // many ties
            (0..<n).map { _ in rng.next(below: 1 << 40) },
        ]
        for keys in shapes {
            let entries = keys.enumerated().map { TaskOrder.Entry(key: $1, pid: ($0 * 7919) % 10007, index: $0) }
            let sorted = entries.sorted(by: <).map(\.pid)
            for ranks in [0..<1, 0..<40, 990..<1030, 1960..<2000, 1999..<2000, 0..<n] {
                var a = entries
                TaskOrder.select(&a, ranks)
                #expect(a[ranks].map(\.pid) == Array(sorted[ranks]), "\(ranks)")
                let low = a[ranks].first!, high = a[ranks].last!
                #expect(a[..<ranks.lowerBound].allSatisfy { $0 < low })
                #expect(a[ranks.upperBound...].allSatisfy { high < $0 })
            }
        }
    }

    /// The pids in the task panel's rows of a rendered screen, top to bottom.
    static func shownPids(_ screen: String) -> [Int] {
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let head = lines.firstIndex(where: { $0.hasPrefix(TaskListView.header) }) else { return [] }
        var pids: [Int] = []
        for line in lines[(head + 1)...] {
            let cells = Array(line)
            guard cells.count > 8, let pid = Int(String(cells[1..<8]).trimmingCharacters(in: .whitespaces)) else { break }
            pids.append(pid)
        }
        return pids
    }

    @Test("moving the selection scrolls the table as before: the window the full sort gives, at 80x24 and 200x60",
          arguments: TaskSort.allCases)
    func scrolling(sort: TaskSort) {
        var state = AppState(scenario: Self.crowd)
        state.run.seek(to: 20)
        state.taskSort = sort
        state.selectedPid = state.firstTaskPid
        let presses: [[Key]] = [[], [.down], Array(repeating: .down, count: 12), [.pageDown], [.pageDown, .pageDown, .up],
                                [.end], [.up, .up, .up], [.home], Array(repeating: .down, count: 150)]
        for keys in presses {
            Snap.press(&state, keys)
            let expected = Self.fullSort(state.kernel, sort)
            let selected = expected.firstIndex(of: state.selectedPid ?? -1) ?? -1
            #expect(selected >= 0)
            for (w, h) in [(80, 24), (200, 60)] {
                let visible = MainView.layout(width: w, height: h).tasks.height - 2
                let first = clamp(selected - visible + 1, 0, Swift.max(0, expected.count - visible))
                let screen = MainView.render(state, width: w, height: h).text
                #expect(Self.shownPids(screen) == Array(expected[first..<first + visible]), "\(keys) at \(w)x\(h)")
                // The position label has 12 columns; a longer one is cut with an ellipsis (as before).
                let label = "\(first + 1)-\(first + visible) of \(expected.count)"
                #expect(screen.contains(label.count <= 12 ? label : String(label.prefix(11)) + "…"), "\(label)")
                #expect(screen.contains("\(state.kernel.tasks.filter(\.isAlive).count) alive  by \(sort.rawValue)"))
            }
        }
        // Down from the last row stays there; the selection is the full sort's last.
        Snap.press(&state, [.end, .down])
        #expect(state.selectedPid == Self.fullSort(state.kernel, sort).last)
    }

    @Test("Kernel.oomScores() is oomScore(of:) for every task, in task order, in both eras")
    func scores() {
        for scenario in [Self.crowd, .defaultScenario] {
            for era in [Era.v2015, .modern] {
                var s = scenario
                s.policy.era = era
                var k = Kernel(scenario: s)
                for tick in [0, 20, 400, 900] {
                    while k.tick < tick { k.step() }
                    #expect(k.oomScores() == k.tasks.map { k.oomScore(of: $0) }, "\(s.name) \(era) tick \(tick)")
                }
            }
        }
    }

    @Test("the cached order follows every change: an action at the same tick, a seek, another sort, another state")
    func cache() throws {
        var state = AppState(scenario: Self.crowd)
        state.run.seek(to: 20)
        state.taskSort = .rss
        state.selectedPid = state.firstTaskPid
        #expect(state.taskRows.map(\.pid) == Self.fullSort(state.kernel, .rss))
        let top = try #require(state.selectedPid)
        try state.run.apply(.kill(pid: top))   // same tick: only the timeline tells
        #expect(state.taskRows.map(\.pid) == Self.fullSort(state.kernel, .rss))
        state.run.seek(to: 30)
        #expect(state.kernel.task(pid: top)?.isAlive == false)
        #expect(state.taskRows.map(\.pid) == Self.fullSort(state.kernel, .rss))
        #expect(state.taskRows.last?.isAlive == false, "the killed task went last")
        state.taskSort = .score
        #expect(state.taskRows.map(\.pid) == Self.fullSort(state.kernel, .score))
        // A copy shares the cache; an older state asking again gets its own rows.
        var earlier = state
        earlier.run.seek(to: 10)
        #expect(earlier.taskRows.map(\.pid) == Self.fullSort(earlier.kernel, .score))
        #expect(state.taskRows.map(\.pid) == Self.fullSort(state.kernel, .score))
    }

    @Test("taskRows, every row, is the full sort")
    func allRows() {
        var state = AppState(scenario: Self.crowd)
        state.run.seek(to: 20)
        for sort in TaskSort.allCases {
            state.taskSort = sort
            #expect(state.taskRows.map(\.pid) == Self.fullSort(state.kernel, sort))
            #expect(state.firstTaskPid == Self.fullSort(state.kernel, sort).first)
        }
    }
}
