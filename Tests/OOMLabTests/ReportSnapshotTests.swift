import Testing
@testable import OOMLab
@testable import OOMLabKernel

@Suite("Snapshot of this machine's /proc")
struct ReportSnapshotTests {
    @Test("the model's oom_score equals /proc/PID/oom_score for every process here")
    func compareHere() throws {
        let snapshot = try ProcReader.read()
        #expect(snapshot.memTotalKB > 0)
        #expect(!snapshot.processes.isEmpty)
        // A busy process (a compiler beside the tests) can change its rss
        // between the reads of status and oom_score; a process that disagrees
        // is read again a few times, and only a disagreement that persists fails.
        let differ = snapshot.comparisons().filter { !$0.agree }.filter { c in
            !(0..<5).contains { _ in
                guard case .read(let again) = ProcReader.readProcess(c.process.pid, proc: "/proc", pageSize: snapshot.pageSize) else { return true }
                return snapshot.modelOOMScore(again) == again.kernelOOMScore
            }
        }
        #expect(differ.isEmpty, "\(differ.map { "\($0.process.pid) \($0.process.name): model \($0.model), kernel \($0.kernel)" })")
    }

    @Test("/proc/PID/status fields")
    func status() {
        let s = ProcReader.parseStatus("""
            Name:\tbash
            Uid:\t1000\t1000\t1000\t1000
            NSpid:\t12\t1
            VmRSS:\t    4096 kB
            VmPTE:\t      64 kB
            VmSwap:\t     128 kB
            CapEff:\t000001ffffffffff
            """)
        #expect(s.name == "bash" && s.uid == 1000 && s.rssKB == 4096 && s.pteKB == 64 && s.swapKB == 128)
        #expect(s.hasMM && s.capSysAdmin && s.nspidDepth == 2)
        let kthread = ProcReader.parseStatus("Name:\tkworker/0:1\nUid:\t0\t0\t0\t0\nCapEff:\t0000000000000000\n")
        #expect(!kthread.hasMM && !kthread.capSysAdmin)
    }

    @Test("the snapshot scenario expects the model's current choice")
    func scenario() throws {
        let snapshot = try ProcReader.read()
        let s = snapshot.scenario()
        #expect(s.tasks.last?.name == "oomlab-pressure" && s.tasks.last?.oomScoreAdj == -1000)
        #expect(s.machine.swapPages == snapshot.swapTotalKB * 1024 / snapshot.pageSize)
        var k = Kernel(scenario: s)
        while k.oomKills.isEmpty && k.panicVerdict == nil && k.tick < s.ticks { _ = k.step() }
        #expect(s.expect?.checks.first?.kind == .killed([.pid(k.oomKills.first?.pid ?? -1)]))
    }
}
