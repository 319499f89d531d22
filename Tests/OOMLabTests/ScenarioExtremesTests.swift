import Testing
@testable import OOMLab
@testable import OOMLabKernel

/// Every scenario key at the ends of the range the loader accepts: the file
/// loads and the kernel runs it (debug builds check the invariants every
/// tick) without an arithmetic trap. One value at an extreme a case, all the
/// others at a base value, and then everything at its maximum at once.
@Suite("Scenario keys at their extremes: the kernel's arithmetic never traps")
struct ScenarioExtremesTests {
    static let pib = "1PiB"
    static let maxPages = String(Scenario.Limits.maxPages)
    static let maxTicks = String(Scenario.Limits.maxTicks)

    /// The base scenario's values; a case replaces one (or all).
    static let base: [String: String] = [
        "seed": "1", "ticks": "100", "era": "2015",
        "ram": "64MiB", "swap": "0", "kernel": "1MiB", "min_free_kbytes": "auto", "wsf": "10",
        "writeback": "64", "kswapd": "512", "clean": "4MiB", "dirty": "4MiB", "slab_r": "1MiB", "slab_u": "1MiB",
        "victim_timeout_ms": "0", "hung": "120", "panic": "0", "reaper": "off", "invocation": "direct",
        "pid": "10", "uid": "1000", "adj": "0", "anon": "1MiB", "task_swap": "0", "page_tables": "1",
        "start": "0", "alloc": "1MiB", "order": "0", "rate": "64", "retry": "once", "free": "1MiB",
        "sleep": "1", "compute": "1", "reserve": "16", "repeat": "3", "cue": "5",
    ]

    static func yaml(_ v: [String: String]) -> String {
        """
        seed: \(v["seed"]!)
        ticks: \(v["ticks"]!)
        machine:
          ram: \(v["ram"]!)
          swap: \(v["swap"]!)
          kernel: \(v["kernel"]!)
          min_free_kbytes: \(v["min_free_kbytes"]!)
          watermark_scale_factor: \(v["wsf"]!)
          writeback_rate: \(v["writeback"]!)
          kswapd_rate: \(v["kswapd"]!)
          page_cache: {clean: \(v["clean"]!), dirty: \(v["dirty"]!)}
          slab: {reclaimable: \(v["slab_r"]!), unreclaimable: \(v["slab_u"]!)}
        policy:
          era: \(v["era"]!)
          victim_timeout_ms: \(v["victim_timeout_ms"]!)
          hung_task_timeout_secs: \(v["hung"]!)
          panic_on_oom: \(v["panic"]!)
          oom_reaper: \(v["reaper"]!)
          oom_invocation: \(v["invocation"]!)
        locks: [l]
        tasks:
          - pid: \(v["pid"]!)
            name: hog
            uid: \(v["uid"]!)
            oom_score_adj: \(v["adj"]!)
            anon: \(v["anon"]!)
            swap: \(v["task_swap"]!)
            page_tables: \(v["page_tables"]!)
            start: \(v["start"]!)
            program:
              - repeat: \(v["repeat"]!)
                body:
                  - alloc: {size: \(v["alloc"]!), order: \(v["order"]!), rate: \(v["rate"]!), retry: \(v["retry"]!)}
                  - transaction:
                      reserve: \(v["reserve"]!)
                      body: [{lock: l}, {alloc: {size: \(v["alloc"]!), gfp: GFP_NOFS, retry: kmem_alloc}}, {unlock: l}]
                  - write: \(v["alloc"]!)
                  - slab: \(v["alloc"]!)
                  - free: \(v["free"]!)
                  - compute: \(v["compute"]!)
                  - sleep: \(v["sleep"]!)
              - alloc: {size: \(v["alloc"]!), gfp: GFP_KERNEL|__GFP_NOFAIL}
          - {pid: 4194304, name: other, uid: 0, anon: 1MiB, program: [{sleep: 1}, {alloc: \(v["alloc"]!)}]}
        cues: [{tick: \(v["cue"]!), text: cue}]
        """
    }

    /// Keys and the two ends of what the loader accepts for them.
    static let extremes: [(key: String, values: [String])] = [
        ("seed", ["0", String(UInt64.max)]), ("ticks", ["1", maxTicks]), ("era", ["2015", "modern"]),
        ("ram", ["16MiB", pib]), ("swap", ["0", pib]), ("kernel", ["0", "7MiB"]),
        ("min_free_kbytes", ["0", "8192", "auto"]), ("wsf", ["1", "3000"]),
        ("writeback", ["0", maxPages]), ("kswapd", ["0", maxPages]),
        ("clean", ["0", "40MiB"]), ("dirty", ["0", "40MiB"]), ("slab_r", ["0", "40MiB"]), ("slab_u", ["0", "40MiB"]),
        ("victim_timeout_ms", ["0", "1", "86400000"]), ("hung", ["0", "1", "86400000"]), ("panic", ["0", "1", "2"]),
        ("reaper", ["on"]), ("invocation", ["kswapd"]),
        ("pid", ["1", "4194303"]), ("uid", ["0", "4294967294"]), ("adj", ["-1000", "1000"]),
        ("anon", ["0", "40MiB"]), ("page_tables", ["0", "10MiB"]), ("start", ["0", maxTicks]),
        ("alloc", ["1", pib]), ("order", ["0", "10"]), ("rate", ["1", maxPages]),
        ("retry", ["once", "kmem_alloc", "allocator"]), ("free", ["1", pib, "all"]),
        ("sleep", ["0", maxTicks]), ("compute", ["0", maxTicks]), ("reserve", ["0", pib]),
        ("repeat", ["1", String(Scenario.Limits.maxRepeat), "forever"]), ("cue", ["0", maxTicks]),
    ]

    struct Case: CustomTestStringConvertible, Sendable {
        var label: String
        var values: [String: String]
        var testDescription: String { label }
    }

    static var cases: [Case] {
        var out: [Case] = []
        for (key, values) in extremes {
            for value in values {
                var v = base
                v[key] = value
                // swap entries of a task need swap to fit in.
                if key == "swap" { v["task_swap"] = value == "0" ? "0" : "1MiB" }
                out.append(Case(label: "\(key)=\(value)", values: v))
            }
        }
        // Everything that scales with memory at its largest at once: the
        // watermark setup of `ram: 1PiB` with the largest min_free_kbytes.
        for era in ["2015", "modern"] {
            var huge = base
            huge["era"] = era
            huge["ram"] = pib
            huge["swap"] = pib
            huge["kernel"] = String(Scenario.Limits.maxPages - 1 - 3 * 256)
            huge["min_free_kbytes"] = String(3 * 1024)
            huge["wsf"] = "3000"
            huge["writeback"] = maxPages
            huge["kswapd"] = maxPages
            huge["clean"] = "0"; huge["dirty"] = "0"; huge["slab_r"] = "0"; huge["slab_u"] = "0"; huge["anon"] = "0"
            huge["page_tables"] = "0"
            huge["alloc"] = pib
            huge["rate"] = maxPages
            huge["reserve"] = pib
            huge["free"] = pib
            out.append(Case(label: "tiny managed memory on 1PiB, \(era)", values: huge))
            var full = huge
            full["kernel"] = "0"
            full["min_free_kbytes"] = String(Units.kb(pages: Scenario.Limits.maxPages))
            out.append(Case(label: "1PiB with the largest min_free_kbytes, \(era)", values: full))
            full["min_free_kbytes"] = "auto"
            full["task_swap"] = pib
            full["anon"] = "512TiB"
            full["page_tables"] = "0"
            out.append(Case(label: "1PiB, auto min_free_kbytes, a 512TiB task, \(era)", values: full))
        }
        return out
    }

    @Test("the loader accepts the extreme and the kernel runs it", arguments: cases)
    func extreme(_ c: Case) throws {
        let scenario = try ScenarioLoader.parse(yaml: Self.yaml(c.values), file: "x.yaml")
        var kernel = Kernel(scenario: scenario)
        try kernel.checkInvariants()
        try Lab.run(&kernel, ticks: 300)
        // Saving writes numbers back; the copy loads as the same scenario.
        let again = try ScenarioLoader.parse(yaml: ScenarioWriter.yaml(for: scenario), file: "x.yaml")
        #expect(again.machine == scenario.machine)
    }

    @Test("order 11 and more, 64 and more, are refused where the file says them",
          arguments: ["11", "63", "64", "65", "1000", "18446744073709551616"])
    func orderRefused(_ order: String) {
        var v = Self.base
        v["order"] = order
        #expect(throws: ScenarioError.self) { try ScenarioLoader.parse(yaml: Self.yaml(v), file: "x.yaml") }
    }
}
