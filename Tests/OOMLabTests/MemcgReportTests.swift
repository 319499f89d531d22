import Testing
@testable import OOMLab
@testable import OOMLabKernel

/// The memory cgroup lines of real OOM reports, each era's shape
/// (MemcgReport.swift, docs/memcg.md §8), read from the fixtures with the
/// numbers their text prints.
@Suite("Memcg report lines: limits, counters, cgroups, stats in every era's shape")
struct MemcgReportTests {
    func memcg(_ prefix: String, index: Int? = nil) throws -> MemcgReport {
        try #require(try OOMReportParser().parse(ReportFixtures.named(prefix), index: index).memcg)
    }

    @Test("5.15 v2 (AKS pod, journald prefixes): memory, swap, oom_memcg and task_memcg, memory.stat")
    func aksV2() throws {
        let m = try memcg("029")
        let pod = "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod5931aa75_4603_4e65_b552_7c71cf55cfb5.slice"
        #expect(m.oomMemcg == pod)
        #expect(m.taskMemcg == pod + "/cri-containerd-25a38b5b8d556d7983d975577f5ac75ebbcfb4b269e6deaa0a0440c1ffc969ca.scope")
        #expect(m.memory == .init(usageKB: 102_400, limitKB: 102_400, failcnt: 6402, line: 44))
        #expect(m.swap == .init(usageKB: 0, limitKB: 9_007_199_254_740_988, failcnt: 0, line: 45))
        #expect(m.swap?.isUnlimited == true && m.memory?.isUnlimited == false)
        #expect(m.memsw == nil && m.kmem == nil && m.version == .v2)
        #expect(m.constraint == "CONSTRAINT_MEMCG" && m.killedByMemcgOOM && m.taskInLine == nil)
        #expect(m.stats.map(\.path) == [pod] && m.stats.first?.shape == .memoryStat)
    }

    @Test("4.15 v1 (k3s, dmesg -T): \"Task in ... killed as a result of limit of\", memory+swap, kmem, a stats line per cgroup")
    func k3sV1() throws {
        let m = try memcg("031")
        let pod = "/kubepods/burstable/podbc001ffa-68fc-11e9-92d7-5ef9efd9374c"
        let container = pod + "/a2ed67c63e828da3849bf9f506ae2b36b4dac5b402a57f2981c9bdc07b23e672"
        #expect(m.oomMemcg == pod && m.taskMemcg == container && m.taskInLine == 26)
        #expect(m.memory == .init(usageKB: 125_952, limitKB: 125_952, failcnt: 3632, line: 27))
        #expect(m.memsw?.usageKB == 0 && m.memsw?.isUnlimited == true)
        #expect(m.kmem?.usageKB == 2352 && m.version == .v1)
        #expect(m.stats.map(\.path) == [pod, pod + "/79fae7c2724ea1b19caa343fed8da3ea84bbe5eb370e5af8a6a94a090d9e4ac2", container])
        #expect(m.stats.allSatisfy { $0.shape == .inline })
        #expect(m.stats[1].anonKB == 48 && m.stats[2].anonKB == 123_552 && m.stats[2].fileKB == 0)
        // 4.15 prints no oom-kill: summary: the constraint comes only from the lines.
        #expect(m.constraint == nil && m.killedByMemcgOOM)
    }

    @Test("3.10 (RHEL 7): res_counter's unlimited kmem, cache and rss in one stats line")
    func rhel7() throws {
        let m = try memcg("synthetic-3.10")
        #expect(m.oomMemcg == "/lxc/foo" && m.taskMemcg == "/lxc/foo")
        #expect(m.memory?.usageKB == 3072 && m.memory?.limitKB == 3072 && m.memory?.failcnt == 127)
        #expect(m.memsw?.limitKB == 3072 && m.memsw?.isUnlimited == false)
        #expect(m.kmem?.limitKB == 18_014_398_509_481_983 && m.kmem?.isUnlimited == true)
        #expect(m.stats.count == 1 && m.stats[0]["cache"] == 32 && m.stats[0]["rss"] == 3040
            && m.stats[0]["active_file"] == 16 && m.stats[0].entries.count == 10)
    }

    @Test("6.1 v2 (Debian, a systemd slice): memory.max reached, swap.max 0")
    func debianSlice() throws {
        let m = try memcg("038")
        #expect(m.oomMemcg == "/user.slice/user-1000.slice/dans-slice" && m.taskMemcg == m.oomMemcg)
        #expect(m.memory?.usageKB == 20_480 && m.memory?.limitKB == 20_480 && m.memory?.failcnt == 148)
        #expect(m.swap?.limitKB == 0 && m.version == .v2)
        #expect(m.stats.first?["anon"] == 20_705_280 && m.stats.first?.anonKB == 20_220)
    }

    @Test("5.2 v1 plain dmesg and its quoted-printable, mail-quoted copy read alike")
    func leakerBothPastes() throws {
        let plain = try memcg("102"), quoted = try memcg("103")
        for m in [plain, quoted] {
            #expect(m.oomMemcg == "/leaker" && m.taskMemcg == "/leaker" && m.constraint == "CONSTRAINT_MEMCG")
            #expect(m.memory?.usageKB == 524_288 && m.memory?.limitKB == 524_288 && m.memory?.failcnt == 1_240_247)
            #expect(m.memsw?.usageKB == 2_592_556 && m.memsw?.isUnlimited == true)
            #expect(m.kmem?.usageKB == 7260 && m.version == .v1)
            #expect(m.stats.first?["swap"] == 2_068_268 && m.stats.first?.anonKB == 516_948)
        }
        #expect(plain.memory?.line == 37 && quoted.memory?.line == 48)
        #expect(quoted.memsw?.line == 50)   // "limit =" soft break joined
    }

    @Test("5.2-rc memory.stat after \"Memory cgroup stats for /foo:\", and the summary's own constraint")
    func memoryStatBlock() throws {
        let m = try memcg("107")
        #expect(m.constraint == "CONSTRAINT_NONE" && m.oomMemcg == "/foo" && m.killedByMemcgOOM)
        #expect(m.memory?.failcnt == 75_131 && m.swap?.usageKB == 0)
        let s = try #require(m.stats.first)
        #expect(s.shape == .memoryStat && s.line == 36)
        #expect(s.entries.count == 31 && s.entries.first == .init(key: "anon", value: 0))
        #expect(s["slab"] == 274_432 && s["thp_collapse_alloc"] == 0 && s["pgscan"] == 200_060)
    }

    @Test("6.7 with the tail of an earlier report first: the tail is a memcg kill, the second report whole")
    func tailFirst() throws {
        let tail = try memcg("110", index: 1)
        #expect(tail.killedByMemcgOOM && tail.memory == nil && tail.oomMemcg == nil)
        let m = try memcg("110", index: 2)
        let service = "/user.slice/user-1000.slice/user@1000.service/app.slice/run-u640.service"
        #expect(m.oomMemcg == service && m.taskMemcg == service)
        #expect(m.memory == .init(usageKB: 32_768, limitKB: 32_768, failcnt: 21_239, line: 45))
        #expect(m.swap?.usageKB == 2112)
    }

    @Test("6.8 v1, hard-wrapped counters: joined when the rest follows, a warning when reply text cut it")
    func hardWraps() throws {
        let second = try memcg("111", index: 2)
        #expect(second.memory?.usageKB == 1_048_548 && second.memory?.limitKB == 1_048_576 && second.memory?.failcnt == 114)
        #expect(second.memsw?.usageKB == 1_048_548 && second.memsw?.isUnlimited == true && second.memsw?.failcnt == 0)
        #expect(second.kmem?.usageKB == 184 && second.kmem?.failcnt == 0)
        // 6.x v1 prints memory.stat's v1 keys after the stats line.
        #expect(second.stats.first?.shape == .memoryStat && second.stats.first?["cache"] == 1_072_300_032)
        let report = try OOMReportParser().parse(ReportFixtures.named("111"), index: 1)
        let first = try #require(report.memcg)
        #expect(first.memory?.failcnt == 153 && first.memsw == nil && first.kmem?.usageKB == 200)
        #expect(report.warnings.contains { $0.hasPrefix("line 58: cannot read the memory cgroup memory+swap counter") })
    }

    @Test("6.16 BPF OOM: an unlimited memory.max, a constraint of its own")
    func bpf() throws {
        let m = try memcg("115")
        #expect(m.memory?.usageKB == 42_240 && m.memory?.isUnlimited == true)
        #expect(m.constraint == "CONSTRAINT_BPF_PSI_MEM" && m.oomMemcg == "/cgroup-test-work-dir673/oom_test/cg2")
    }

    @Test("6.12 with the counters cut: only what the summary says")
    func summaryOnly() throws {
        let m = try memcg("116")
        #expect(m.memory == nil && m.swap == nil && m.stats.isEmpty && m.version == nil)
        #expect(m.oomMemcg == "/no_zswap_test" && m.constraint == "CONSTRAINT_MEMCG" && m.killedByMemcgOOM)
    }

    @Test("v2 memory.stat in bytes, quoted-printable")
    func swapcache() throws {
        let m = try memcg("119")
        #expect(m.memory?.usageKB == 10_240 && m.memory?.failcnt == 4_480_498 && m.swap?.usageKB == 6140)
        #expect(m.stats.first?.path == "/a" && m.stats.first?.anonKB == 5100 && m.stats.first?["pagetables"] == 45_056)
    }

    @Test("LTP 5.8: indented and mail-quoted copies give the same memcg report")
    func ltpBoth() throws {
        let a = try memcg("136"), b = try memcg("137")
        #expect(a == b)
        #expect(a.memory?.usageKB == 132 && a.memory?.failcnt == 9 && a.kmem?.usageKB == 4 && a.oomMemcg == "/ltp_19257")
    }

    @Test("a global OOM has no memcg report, even with the victim's task_memcg")
    func global() throws {
        #expect(try ReportFixtures.report("008").memcg == nil)
        #expect(try ReportFixtures.report("011").summary?.taskMemcg == "/user.slice/user-1000.slice/session-27.scope")
        #expect(try ReportFixtures.report("011").memcg == nil)
    }

    static let header = "stress invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
    static let table = """
        [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name
        [    100]     0   100     2000     1000    40960        0             0 stress
        Memory cgroup out of memory: Kill process 100 (stress) score 900 or sacrifice child

        """

    @Test("3.19-4.0's split \"Task in\" line and a counter wrapped at \"limit\"")
    func splitLines() throws {
        let text = Self.header + "[ 1.0] Task in /a/b\n[ 1.1] killed as a result of limit of /a\n"
            + "[ 1.2] memory: usage 4096kB, limit\n4096kB, failcnt 7\n" + Self.table
        let m = try #require(try OOMReportParser().parse(text).memcg)
        #expect(m.taskMemcg == "/a/b" && m.oomMemcg == "/a" && m.taskInLine == 2)
        #expect(m.memory == .init(usageKB: 4096, limitKB: 4096, failcnt: 7, line: 4))
    }

    @Test("a counter beyond any machine is a located error")
    func outOfRange() {
        let line = "memory: usage 99999999999999999kB, limit 4096kB, failcnt 0"
        #expect(throws: ReportError("memory usage 99999999999999999 is out of range (0 to 18014398509481984 kB)",
                                    line: 2, text: line)) {
            try OOMReportParser().parse(Self.header + line + "\n" + Self.table)
        }
    }
}
