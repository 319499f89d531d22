import Foundation
import OOMLab
import OOMLabKernel
import OOMLabTUI

/// `oomlab bench`'s interface case: the time to build a frame and diff it
/// against the previous one (`FrameBench`: the views into the in-memory
/// grid, no terminal) at 80x24 and 200x60, with 10, 10,000 and 100,000
/// tasks (`BenchScenarios.churn`), the table sorted by pid and by oom_score,
/// its selection at the top and in the middle. The kernel steps one tick
/// before each frame, untimed, so every frame shows a changed state, as it
/// does while the lab runs. Times are the thread's CPU time (the machine's
/// load does not count). Goal (issue 12): <= 1 ms at 200x60 with 10,000
/// tasks, whatever the sort or scroll position.
struct FrameTimesBench {
    /// Frames timed per case (fewer at 100,000 tasks, whose ticks are slow).
    var frames: Int

    func run() {
        print("TUI frame: build + diff against the previous frame (no terminal, CPU time), one tick stepped before each")
        print("size      tasks  sort   selection   median us/frame   90% us   cells sent")
        for tasks in [10, 10_000, 100_000] {
            let scenario = BenchScenarios.churn(tasks: tasks)
            let count = tasks >= 100_000 ? Swift.max(3, frames / 20) : frames
            for (width, height) in [(80, 24), (200, 60)] {
                for sort in ["pid", "score"] {
                    for (label, rank) in [("top", 0), ("middle", tasks / 2)] where tasks > 10 || rank == 0 {
                        let times = measure(scenario, width: width, height: height, sort: sort, rank: rank, frames: count)
                        let row = [
                            "\(width)x\(height)".padding(toLength: 7, withPad: " ", startingAt: 0),
                            String(tasks).leftPad(7),
                            " " + sort.padding(toLength: 6, withPad: " ", startingAt: 0),
                            label.padding(toLength: 9, withPad: " ", startingAt: 0),
                            String(format: "%.1f", times.median).leftPad(12),
                            String(format: "%.1f", times.p90).leftPad(12),
                            String(times.cells).leftPad(12),
                        ]
                        print(row.joined(separator: " "))
                    }
                }
            }
        }
    }

    /// This thread's CPU time: on a busy machine wall-clock frame times
    /// count the waits for a core, which are not the frame's cost.
    static func threadCPUMicroseconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) * 1e6 + Double(t.tv_nsec) / 1e3
    }

    struct Times {
        var median: Double
        var p90: Double
        /// Median cells a frame sends.
        var cells: Int
    }

    func measure(_ scenario: Scenario, width: Int, height: Int, sort: String, rank: Int, frames: Int) -> Times {
        var bench = FrameBench(scenario: scenario, width: width, height: height, sort: sort, selectRank: rank)
        bench.step(5)
        _ = bench.frame()   // the first frame sends every cell: not a steady frame
        var times: [Double] = []
        var cells: [Int] = []
        for _ in 0..<frames {
            bench.step(1)
            let start = Self.threadCPUMicroseconds()
            cells.append(bench.frame())
            times.append(Self.threadCPUMicroseconds() - start)
        }
        times.sort()
        cells.sort()
        return Times(median: times[times.count / 2], p90: times[times.count * 9 / 10], cells: cells[cells.count / 2])
    }
}
