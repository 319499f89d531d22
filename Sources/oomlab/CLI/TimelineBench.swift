import Foundation
import OOMLab
import OOMLabKernel

/// `oomlab bench`'s time-travel case: record a long run, then measure seeking
/// to random ticks, what the keyframes cost in heap, and how fast a forked
/// pair steps against one timeline. Goals (issue 9): seek <= 100 ms median,
/// keyframes <= 100 MB, pair >= 45% of the single rate.
struct TimelineBench {
    var tasks: Int
    var ticks: Int
    var seeks: Int

    func run() throws {
        let scenario = BenchScenarios.timeline(tasks: tasks, ticks: ticks)
        let clock = ContinuousClock()
        let rssBefore = Self.residentBytes()
        var run = try Run(scenario: scenario)
        let recordStart = clock.now
        for _ in 0..<ticks { run.step() }
        let recordSeconds = Self.seconds(clock.now - recordStart)
        print("time travel: \(tasks) tasks, \(ticks) ticks recorded in \(String(format: "%.1f", recordSeconds)) s"
              + " (\(String(format: "%.0f", Double(ticks) / recordSeconds)) ticks/s while recording)")

        // Seeks to seeded random ticks, from wherever the previous seek left the run.
        var rng = SplitMix64(seed: 9)
        var times: [Double] = []
        for _ in 0..<seeks {
            let target = rng.next(below: ticks + 1)
            let start = clock.now
            run.seek(to: target)
            times.append(Self.seconds(clock.now - start) * 1000)
        }
        times.sort()
        let median = times[times.count / 2]
        print("  seek to a random tick: median \(String(format: "%.1f", median)) ms, 90th percentile "
              + "\(String(format: "%.1f", times[times.count * 9 / 10])) ms, max \(String(format: "%.1f", times[times.count - 1])) ms"
              + " (\(seeks) seeks; goal: median <= 100 ms)")

        let rssAfter = Self.residentBytes()
        func mb(_ bytes: Int) -> String { String(format: "%.1f", Double(bytes) / 1e6) }
        print("  keyframes: \(run.keyframeCount), every \(run.keyframeInterval) ticks, \(mb(run.keyframeBytes)) MB estimated"
              + " (goal <= 100 MB); sample log \(mb(run.sampleLogBytes)) MB, \(run.log.endIndex) events logged")
        print("  resident memory: \(mb(rssAfter - rssBefore)) MB more after recording (keyframes, samples, log and"
              + " the live kernel together: an upper bound of the keyframes' cost)")

        // A forked pair in lockstep against one timeline, both recording at their frontier.
        let lockstep = Swift.max(100, Swift.min(ticks / 10, 5000))
        var single = try Run(scenario: scenario)
        for _ in 0..<1000 { single.step() }
        let left = single
        let right = try single.fork(at: single.position, with: [.setPolicy(.oomReaper, "off")])
        // CPU time of this thread, not wall time: the ratio holds on a busy machine.
        let singleStart = Self.cpuSeconds()
        for _ in 0..<lockstep { single.step() }
        let singleRate = Double(lockstep) / (Self.cpuSeconds() - singleStart)
        // Alternating every tick, each kernel evicts the other from the
        // core's cache; a screen shows a frame every few ticks, so stepping
        // each side a frame's worth in turn is the pair's real pattern.
        for block in [1, 10] {
            var l = left, r = right
            let start = Self.cpuSeconds()
            for _ in 0..<(lockstep / block) {
                for _ in 0..<block { l.step() }
                for _ in 0..<block { r.step() }
            }
            let pairRate = Double(lockstep / block * block) / (Self.cpuSeconds() - start)
            print("  forked pair, \(block == 1 ? "alternating every tick" : "\(block) ticks a side in turn"): "
                  + "\(String(format: "%.0f", pairRate)) ticks per CPU second vs \(String(format: "%.0f", singleRate))"
                  + " for one timeline: \(String(format: "%.0f", pairRate / singleRate * 100))% (goal >= 45%)")
        }
        _ = (left.position, right.position)
    }

    /// CPU seconds this thread has used (CLOCK_THREAD_CPUTIME_ID).
    static func cpuSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// Gives the heap's free pages back to the system (glibc's
    /// malloc_trim(0), looked up at run time: Swift's Glibc module does not
    /// declare it), so that VmRSS growth measured next counts what is
    /// allocated: pages an earlier bench section freed and this one reused
    /// did not show as growth (the set-up case read 272 bytes a task after
    /// the other sections, 292 alone).
    static func trimHeap() {
        typealias MallocTrim = @convention(c) (Int) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
    }

    /// VmRSS of this process, from /proc/self/status (0 where there is none).
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kb = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kb * 1024
    }
}
