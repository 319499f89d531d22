import Foundation
import Testing
@testable import OOMLab
@testable import OOMLabKernel

@Suite("OOM report parser (docs/kernel.md §10.2)")
struct ReportParserTests {
    @Test("every fixture parses into at least one report")
    func fixturesParse() throws {
        #expect(ReportFixtures.names.count >= 13)
        for name in ReportFixtures.names {
            let reports = try OOMReportParser().parseAll(ReportFixtures.text(name))
            #expect(!reports.isEmpty, "\(name)")
        }
    }

    @Test("4.0: syslog prefixes, plain hex gfp_mask, nr_ptes + nr_pmds, Mem-Info numbers")
    func v4_0() throws {
        let r = try ReportFixtures.report("019")
        #expect(r.kernelVersion?.release == "4.0.5-x86_64-linode58")
        #expect(r.invoking == InvokingTask(comm: "apache2", pid: 26613, gfpMask: 0x200da, gfpNames: [], order: 0,
                                           oomScoreAdj: 0, line: 1))
        #expect(GFPFlags.fromReport(mask: 0x200da, names: [], kernel: r.kernelVersion) == .highuserMovable)
        #expect(r.constraint == .global)
        #expect(r.memInfo.ramPages == 262047)
        #expect(r.memInfo.reservedPages == 9138)
        #expect(r.memInfo.totalSwapKB == 262140)
        #expect(r.memInfo.freeSwapKB == 0)
        #expect(r.memInfo.counters["free"] == 2444)
        #expect(r.memInfo.zones.map(\.name) == ["DMA", "DMA32"])
        #expect(r.memInfo.zones[1] == ZoneInfo(node: 0, name: "DMA32", freeKB: 5828, minKB: 3948, lowKB: 4932,
                                               highKB: 5920, managedKB: 995724, presentKB: 1032192))
        #expect(r.pageSize == 4096 && r.pageSizeSource == .buddyList)
        let t = try #require(r.table)
        #expect(t.format == .nrPmds)
        #expect(t.rows.count == 80)
        #expect(!t.truncated)
        let mysqld = try #require(t.rows.first { $0.pid == 2831 })
        #expect(mysqld.rss == 6457 && mysqld.nrPtes == 72 && mysqld.nrPmds == 1 && mysqld.swapents == 11904)
        #expect(mysqld.pageTablePages(pageSize: 4096) == 73)
        #expect(r.selectLine?.pid == 2831 && r.selectLine?.score == 57 && r.selectLine?.comm == "mysqld")
        #expect(r.killedLine?.pid == 2831 && r.killedLine?.anonRSSKB == 25828 && r.killedLine?.totalVMKB == 343084)
        #expect(r.warnings.isEmpty)
    }

    @Test("3.x table without a header: nr_ptes swapents, page size from the kill line")
    func v3NoHeader() throws {
        let r = try ReportFixtures.report("016")
        #expect(r.invoking == nil && r.kernelVersion == nil)
        #expect(r.table?.format == .nrPtes)
        #expect(r.table?.rows.count == 102)
        #expect(r.pageSizeSource == .killLine && r.pageSize == 4096)
        #expect(ReportEra.infer(from: r).label == "3.14-4.16")
    }

    @Test("4.19: pr_cont pieces, symbolic gfp_mask, pgtables_bytes after \"Tasks state\"")
    func v4_19() throws {
        let r = try ReportFixtures.report("002")
        #expect(r.invoking?.gfpMask == 0 && r.invoking?.gfpNames == [])
        #expect(r.memInfo.zones.map(\.name) == ["DMA", "DMA32", "Normal"])
        #expect(r.table?.format == .pgtablesBytes && r.table?.tasksStateLine == true)
        #expect(r.table?.rows.count == 106)
        let q = try #require(r.table?.rows.first { $0.pid == 23437 })
        #expect(q.pgtablesBytes == 1_122_304 && q.pageTablePages(pageSize: 4096) == 274 && q.oomScoreAdj == 300)
        #expect(r.reapedPids == [23437])
    }

    @Test("6.x: rss_anon/rss_file/rss_shmem, oom-kill summary, \"Out of memory: Killed process\"")
    func v6() throws {
        let r = try ReportFixtures.report("008")
        #expect(r.kernelVersion?.release == "6.12.62+rpt-rpi-v8")
        #expect(r.invoking?.gfpNames == ["GFP_HIGHUSER_MOVABLE", "__GFP_COMP"])
        #expect(r.table?.format == .rssSplit)
        let p = try #require(r.table?.rows.first { $0.pid == 996 })
        #expect(p.rss == 30557 && p.rssAnon == 30557 && p.rssFile == 0 && p.swapents == 31936)
        #expect(r.summary?.pid == 996 && r.summary?.constraint == "CONSTRAINT_NONE" && r.summary?.uid == 1000)
        #expect(r.selectLine == nil && r.killedLine?.pid == 996 && r.killedLine?.message == "Out of memory")
    }

    @Test("memcg v2 (5.15, journald prefixes): limit, swap.max, oom_memcg")
    func memcgV2() throws {
        let r = try ReportFixtures.report("029")
        #expect(r.constraint == .memcg)
        #expect(r.memcg?.limitKB == 102400 && r.memcg?.version == .v2)
        #expect(r.memcg?.path == "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod5931aa75_4603_4e65_b552_7c71cf55cfb5.slice")
        #expect(r.killedLine?.message == "Memory cgroup out of memory")
        #expect(r.table?.rows.count == 9)
    }

    @Test("memcg v1 (4.15, dmesg -T stamps): memory+swap, \"Task in ... limit of\"")
    func memcgV1() throws {
        let r = try ReportFixtures.report("031")
        #expect(r.constraint == .memcg)
        #expect(r.memcg?.limitKB == 125952 && r.memcg?.version == .v1)
        #expect(r.memcg?.path == "/kubepods/burstable/podbc001ffa-68fc-11e9-92d7-5ef9efd9374c")
        #expect(r.cpuset == "a2ed67c63e828da3849bf9f506ae2b36b4dac5b402a57f2981c9bdc07b23e672")
        #expect(r.selectLine?.score == 1718)
    }

    @Test("RHEL6 2.6.32: \"Pid: N, comm:\" line, cpu oom_adj table, \"Killed process P, UID U, (comm)\"")
    func rhel6() throws {
        let r = try ReportFixtures.report("039")
        #expect(r.kernelVersion?.major == 2 && r.kernelVersion?.minor == 6 && r.kernelVersion?.patch == 32)
        #expect(r.invoking?.pid == 3794)
        #expect(r.table?.format == .cpuOomAdj)
        let udevd = try #require(r.table?.rows.first)
        #expect(udevd.oomAdj == -17 && udevd.oomScoreAdj == -1000)
        #expect(r.killedLine?.pid == 31995 && r.killedLine?.comm == "java" && r.killedLine?.anonRSSKB == 3558396)
    }

    @Test("i686 with indented lines, a HighMem zone and an unrelated line before the report")
    func i686() throws {
        let r = try ReportFixtures.report("004")
        #expect(r.firstLine == 2)
        #expect(r.memInfo.zones.map(\.name) == ["DMA", "Normal", "HighMem"])
        #expect(r.memInfo.highmemPages == 556722)
        #expect(r.table?.rows.count == 72)
    }

    @Test("an empty task table and \"no killable processes\"")
    func noKillable() throws {
        let r = try ReportFixtures.report("012")
        #expect(r.noKillableProcesses)
        #expect(r.table?.rows.isEmpty == true && r.table?.truncated == false)
        #expect(r.kernelSelectedPid == nil)
    }

    @Test("3.x memcg: the select line names a thread, \"Killed process\" its leader")
    func memcgThread() throws {
        let r = try ReportFixtures.report("synthetic-3.10")
        #expect(r.selectLine?.pid == 9253 && r.killedLine?.pid == 9252)
        #expect(r.memcg?.memsw?.limitKB == 3072 && r.memcg?.version == .v1)
    }

    @Test("log prefixes of dmesg, dmesg -T, dmesg -x, syslog, ISO syslog, printk caller ids")
    func prefixes() {
        let lines: [(String, String)] = [
            ("[ 1146.798696] emerge invoked", "emerge invoked"),
            ("[Sat Apr 27 22:56:09 2019] stress invoked", "stress invoked"),
            ("kern  :err   : [   30.745678] Out of memory", "Out of memory"),
            ("Jun 23 04:09:18 www kernel: [ pid ]   uid", "[ pid ]   uid"),
            ("2023-10-12T19:00:20.123456+00:00 host kernel: Mem-Info:", "Mem-Info:"),
            ("<4>[    5.1] [    T1] Mem-Info:", "Mem-Info:"),
            ("   [34629.315793] [ pid ]", "[ pid ]"),
            ("Dec  8 01:56:31 scottubuntu kernel: [106464.880260] mono invoked", "mono invoked"),
            ("[ 1554]     0  1554", "[ 1554]     0  1554"),
        ]
        for (raw, message) in lines {
            #expect(ReportText.message(Substring(raw)) == Substring(message), "\(raw)")
        }
    }

    @Test("several reports in one file, picked by 1-based index")
    func severalReports() throws {
        let text = ReportFixtures.named("019") + "\n" + ReportFixtures.named("027") + ReportFixtures.named("038")
        let all = try OOMReportParser().parseAll(text)
        #expect(all.map(\.index) == [1, 2, 3])
        #expect(all.map { $0.kernelSelectedPid } == [2831, 116, 4045])
        #expect(all[1].firstLine == 135)
        let second = try OOMReportParser().parse(text, index: 2)
        #expect(second.invoking?.comm == "stress-ng-vm")
        #expect(throws: ReportError("report 4 does not exist: the file has 3 OOM reports")) {
            try OOMReportParser().parse(text, index: 4)
        }
    }

    @Test("a table cut off at the end of the text is kept, with a warning")
    func truncated() throws {
        let full = ReportFixtures.named("019")
        let cut = full.components(separatedBy: "\n").prefix(80).joined(separator: "\n") + "\n"
            + "Jun 23 04:09:18 www kernel: [25014]    33 25014    41642"
        let r = try OOMReportParser().parse(cut)
        #expect(r.table?.truncated == true)
        #expect(r.table?.rows.count == 30)
        #expect(r.warnings == ["the task table is truncated at line 81 (expected 8 numbers after the pid, then the name; "
                               + "column 4 (rss) is missing or not a number); tasks after it are missing"])
        let e = ReportExplainer.explain(r)
        #expect(e.kernelChoice == nil && !e.agree)
        #expect(e.reasons.contains { $0.contains("truncated") })

        let rowsOnly = try OOMReportParser().parse(full.components(separatedBy: "\n").prefix(60).joined(separator: "\n"))
        #expect(rowsOnly.table?.truncated == true)
        #expect(rowsOnly.warnings == ["no kill line follows the task table (line 50); the table may be truncated"])
    }

    @Test("an unreadable line in the middle of a table is left out with a warning naming the line")
    func unreadableRow() throws {
        let bad = "Jun 23 04:09:18 www kernel: [ 2745]     0  2745     1055        x       6       2       74             0 systemd-logind"
        let text = ReportFixtures.named("019").replacingOccurrences(
            of: "Jun 23 04:09:18 www kernel: [ 2745]     0  2745     1055        2       6       2       74             0 systemd-logind",
            with: bad)
        let r = try OOMReportParser().parse(text)
        let full = try ReportFixtures.report("019")
        #expect(r.table?.rows.count == (full.table?.rows.count ?? 0) - 1)
        #expect(r.table?.rows.contains { $0.pid == 2745 } == false)
        #expect(r.table?.skippedRows == 1)
        #expect(r.warnings == ["line 56: cannot read task table row (expected 8 numbers after the pid, then the name; "
            + "column 4 (rss) is missing or not a number); the task is left out of the ranking: " + bad])
        // The rest of the report is read: the kernel's victim and the model's.
        #expect(ReportExplainer.explain(r).agree)
    }

    @Test("an unreadable header keeps the report with a warning; a file without a report is an error")
    func otherErrors() throws {
        let r = try OOMReportParser().parse("hello\n[ 1.0] x invoked oom-killer: order=0\n"
            + "[ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name\n"
            + "[  10]     0    10     1000      500       3        0             0 big\n"
            + "Out of memory: Kill process 10 (big) score 9 or sacrifice child\n")
        #expect(r.invoking == nil)
        #expect(r.warnings == ["line 2: cannot read the oom-killer header (expected gfp_mask=0x...): "
            + "[ 1.0] x invoked oom-killer: order=0; the invoking task is unknown"])
        #expect(r.kernelSelectedPid == 10)
        #expect(throws: ReportError("no OOM report found (looked for \"invoked oom-killer\", \"Mem-Info:\", a task table or a kill line)")) {
            try OOMReportParser().parseAll("just\nsome\nlog lines\n")
        }
        let odd = try OOMReportParser().parse("[ pid ]   uid  ppid total_vm      rss oom_score_adj name\n"
            + "Out of memory: Killed process 7 (x) total-vm:4kB, anon-rss:4kB, file-rss:0kB\n")
        #expect(odd.table == nil)
        #expect(odd.warnings.first == "line 1: unknown task table header (column ppid): "
            + "[ pid ]   uid  ppid total_vm      rss oom_score_adj name; the table is not read")
    }

    @Test("cut or damaged text gives reports or a ReportError, never a crash", arguments: [UInt64(1), 2, 3])
    func damaged(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for name in ReportFixtures.names {
            let text = Array(ReportFixtures.text(name).utf8)
            for _ in 0..<20 {
                var bytes = Array(text.prefix(rng.next(below: text.count + 1)))
                for _ in 0..<rng.next(below: 8) where !bytes.isEmpty {
                    bytes[rng.next(below: bytes.count)] = UInt8(truncatingIfNeeded: rng.next() % 128)
                }
                do {
                    let reports = try OOMReportParser().parseAll(String(decoding: bytes, as: UTF8.self))
                    for (i, r) in reports.enumerated() {
                        _ = ReportExplainer.explain(r, earlier: Array(reports.prefix(i))).text()
                        _ = ReportImporter.scenario(from: r, memcgForm: .cgroup)
                        _ = ReportImporter.scenario(from: r, memcgForm: .machine)
                    }
                } catch {
                    #expect(!error.message.isEmpty)
                }
            }
        }
    }

    @Test("kernel releases")
    func versions() {
        #expect(KernelVersion(release: "2.6.32-642.11.1.el6.x86_64") == KernelVersion(major: 2, minor: 6, patch: 32, release: "2.6.32-642.11.1.el6.x86_64"))
        #expect(KernelVersion(release: "6.12.62+rpt-rpi-v8")?.patch == 62)
        #expect(KernelVersion(release: "5.12.0-11533-ge7cb072eb988")?.minor == 12)
        #expect(KernelVersion(release: "4.9.0")?.atLeast(4, 9) == true)
        #expect(KernelVersion(release: "6") == nil)
    }
}
