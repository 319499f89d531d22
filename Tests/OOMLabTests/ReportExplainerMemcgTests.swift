import Foundation
import Testing
@testable import OOMLab
@testable import OOMLabKernel

/// explain-report's memcg section, text and JSON: only what the report says.
@Suite("Explaining a memcg report: the cgroup, its limits, the victim's cgroup")
struct ReportExplainerMemcgTests {
    func lines(_ prefix: String, index: Int? = nil) throws -> [String] {
        let r = try OOMReportParser().parse(ReportFixtures.named(prefix), index: index)
        return ReportExplainer.explain(r).text().split(separator: "\n").map(String.init).filter { $0.hasPrefix("memcg: ") }
    }

    @Test("4.15 v1: the pod, the victim's container inside it, each counter against its limit, the stats")
    func v1() throws {
        let pod = "/kubepods/burstable/podbc001ffa-68fc-11e9-92d7-5ef9efd9374c"
        #expect(try lines("031") == [
            "memcg: the OOM's cgroup: \(pod) (the kernel scans only its tasks); the victim's cgroup: "
                + "\(pod)/a2ed67c63e828da3849bf9f506ae2b36b4dac5b402a57f2981c9bdc07b23e672 (inside \(pod))",
            "memcg: memory: usage 125952 kB, limit 125952 kB (at the limit), failcnt 3632 (cgroup v1)",
            "memcg: memory+swap: usage 0 kB, limit max, failcnt 0",
            "memcg: kmem: usage 2352 kB, limit max, failcnt 0",
            "memcg: stats for \(pod): anon 0 kB, file 0 kB",
            "memcg: stats for \(pod)/79fae7c2724ea1b19caa343fed8da3ea84bbe5eb370e5af8a6a94a090d9e4ac2: anon 48 kB, file 0 kB",
            "memcg: stats for \(pod)/a2ed67c63e828da3849bf9f506ae2b36b4dac5b402a57f2981c9bdc07b23e672: anon 123552 kB, file 0 kB",
            "memcg: the kill line says \"Memory cgroup out of memory\"",
        ])
    }

    @Test("6.8 v1: usage just below the limit is said as such")
    func below() throws {
        #expect(try lines("111", index: 2).contains("memcg: memory: usage 1048548 kB, limit 1048576 kB (28 kB below the limit), failcnt 114 (cgroup v1)"))
    }

    @Test("counters cut from the paste are said to be missing, not guessed")
    func cut() throws {
        #expect(try lines("116") == [
            "memcg: the OOM's cgroup: /no_zswap_test (the kernel scans only its tasks); the victim's cgroup: /no_zswap_test (the same cgroup)",
            "memcg: the counters (\"memory: usage ... limit ...\") are not in the paste",
            "memcg: the oom-kill: line says CONSTRAINT_MEMCG; the kill line says \"Memory cgroup out of memory\"",
        ])
        #expect(try lines("150").first == "memcg: the report names no cgroup")
    }

    @Test("a global report has no memcg section and a null memcg in JSON")
    func global() throws {
        #expect(try lines("008").isEmpty)
        let json = ReportExplainer.explain(try ReportFixtures.report("008")).json()
        #expect(json.contains("  \"memcg\": null,\n"))
    }

    @Test("JSON memcg object: cgroups, version, constraint, counters with unlimited marked, stats")
    func json() throws {
        let e = ReportExplainer.explain(try ReportFixtures.report("029"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(e.json().utf8)) as? [String: Any])
        let m = try #require(object["memcg"] as? [String: Any])
        #expect(Set(m.keys) == ["oom_memcg", "task_memcg", "version", "constraint", "killed_by_memcg_oom",
                                "memory", "memory_swap", "kmem", "swap", "stats"])
        #expect((m["oom_memcg"] as? String)?.hasSuffix("pod5931aa75_4603_4e65_b552_7c71cf55cfb5.slice") == true)
        #expect(m["version"] as? String == "v2" && m["constraint"] as? String == "CONSTRAINT_MEMCG")
        #expect(m["killed_by_memcg_oom"] as? Bool == true && m["memory_swap"] is NSNull && m["kmem"] is NSNull)
        let memory = try #require(m["memory"] as? [String: Any])
        #expect(memory["usage_kb"] as? Int == 102_400 && memory["limit_kb"] as? Int == 102_400
            && memory["unlimited"] as? Bool == false && memory["failcnt"] as? Int == 6402 && memory["line"] as? Int == 44)
        let swap = try #require(m["swap"] as? [String: Any])
        #expect(swap["unlimited"] as? Bool == true && swap["limit_kb"] as? Int == 9_007_199_254_740_988)
        let stats = try #require(m["stats"] as? [[String: Any]])
        #expect(stats.count == 1 && Set(stats[0].keys) == ["path", "anon_kb", "file_kb", "line"])
    }
}
