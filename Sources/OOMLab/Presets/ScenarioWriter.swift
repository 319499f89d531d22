import OOMLabKernel

/// Writes a scenario as canonical YAML that `ScenarioLoader` reads back equal
/// (the round trip is tested for every shipped preset).
///
/// Canonical means: keys in the order presets/README.md documents them,
/// values equal to their default left out, sizes in the largest binary unit
/// that states them exactly ("512MiB"), durations in ticks, gfp masks by
/// their kernel names joined by `|`, runs of identical tasks with
/// consecutive pids folded into one entry with `count`. No comments.
/// Saving to disk is in `ScenarioWriter+Save.swift`.
public enum ScenarioWriter {
    public static func yaml(for scenario: Scenario) -> String {
        var out = Lines()
        out.add("name: " + YAMLScalar.string(scenario.name))
        if !scenario.description.isEmpty { out.add("description: " + YAMLScalar.string(scenario.description)) }
        let defaults = Scenario(name: "", machine: MachineConfig(ramPages: 1), tasks: [])
        if scenario.seed != defaults.seed { out.add("seed: \(scenario.seed)") }
        if scenario.ticks != defaults.ticks { out.add("ticks: \(scenario.ticks)") }
        machine(scenario.machine, &out)
        policy(scenario.policy, &out)
        if !scenario.locks.isEmpty { out.add("locks: " + flowList(scenario.locks.map { YAMLScalar.string($0) })) }
        cgroups(scenario.cgroups, era: scenario.policy.era, &out)
        if !scenario.tasks.isEmpty {
            out.add("tasks:")
            for (task, count) in runs(scenario.tasks) { self.task(task, count: count, &out) }
        }
        if let expect = scenario.expect {
            if expect.checks.isEmpty {
                out.add("expect: {}")
            } else {
                out.add("expect:")
                checks(expect.checks, indent: "  ", &out)
            }
        }
        if !scenario.expectWith.isEmpty {
            out.add("expect_with:")
            for conditional in scenario.expectWith {
                let set = conditional.set.map { "\($0.key.rawValue): \(YAMLScalar.string($0.value))" }
                out.add("  - set: " + flowMap(set))
                checks(conditional.expect.checks, indent: "    ", &out)
            }
        }
        if !scenario.cues.isEmpty {
            out.add("cues:")
            for cue in scenario.cues {
                out.add("  - " + flowMap(["tick: \(cue.tick)", "text: " + YAMLScalar.quoted(cue.text)]))
            }
        }
        return out.text
    }

    // MARK: Sections

    private static func machine(_ m: MachineConfig, _ out: inout Lines) {
        let d = MachineConfig(ramPages: m.ramPages)
        out.add("machine:")
        out.add("  ram: " + Sizes.format(pages: m.ramPages))
        if m.swapPages != d.swapPages { out.add("  swap: " + Sizes.format(pages: m.swapPages)) }
        if m.kernelPages != d.kernelPages { out.add("  kernel: " + Sizes.format(pages: m.kernelPages)) }
        if let kb = m.minFreeKbytes { out.add("  min_free_kbytes: \(kb)") }
        if m.watermarkScaleFactor != d.watermarkScaleFactor {
            out.add("  watermark_scale_factor: \(m.watermarkScaleFactor)")
        }
        if m.writebackPagesPerTick != d.writebackPagesPerTick { out.add("  writeback_rate: \(m.writebackPagesPerTick)") }
        if m.kswapdPagesPerTick != d.kswapdPagesPerTick { out.add("  kswapd_rate: \(m.kswapdPagesPerTick)") }
        if m.swappiness != d.swappiness { out.add("  swappiness: \(m.swappiness)") }
        var cache: [String] = []
        if m.fileCleanPages != 0 { cache.append("clean: " + Sizes.format(pages: m.fileCleanPages)) }
        if m.fileDirtyPages != 0 { cache.append("dirty: " + Sizes.format(pages: m.fileDirtyPages)) }
        if !cache.isEmpty { out.add("  page_cache: " + flowMap(cache)) }
        var slab: [String] = []
        if m.slabReclaimablePages != 0 { slab.append("reclaimable: " + Sizes.format(pages: m.slabReclaimablePages)) }
        if m.slabUnreclaimablePages != 0 { slab.append("unreclaimable: " + Sizes.format(pages: m.slabUnreclaimablePages)) }
        if !slab.isEmpty { out.add("  slab: " + flowMap(slab)) }
    }

    private static func policy(_ p: PolicySpec, _ out: inout Lines) {
        out.add("policy:")
        out.add("  era: " + p.era.rawValue)
        for key in PolicyKey.allCases where key != .era {
            if let value = p.explicit[key] { out.add("  \(key.rawValue): " + YAMLScalar.string(value)) }
        }
    }

    static func task(_ t: TaskSpec, count: Int, _ out: inout Lines) {
        let d = TaskSpec(pid: t.pid, name: t.name, program: [])
        out.add("  - pid: \(t.pid)")
        out.add("    name: " + YAMLScalar.string(t.name))
        if count > 1 { out.add("    count: \(count)") }
        if t.uid != d.uid { out.add("    uid: \(t.uid)") }
        if t.oomScoreAdj != d.oomScoreAdj { out.add("    oom_score_adj: \(t.oomScoreAdj)") }
        if t.kthread != d.kthread { out.add("    kthread: \(t.kthread)") }
        if t.anonPages != d.anonPages { out.add("    anon: " + Sizes.format(pages: t.anonPages)) }
        if t.swapPages != d.swapPages { out.add("    swap: " + Sizes.format(pages: t.swapPages)) }
        if let pt = t.pageTablePages { out.add("    page_tables: \(pt)") }
        if let tgid = t.tgid { out.add("    tgid: \(tgid)") }
        if let parent = t.parent { out.add("    parent: \(parent)") }
        if let lock = t.mmapLock { out.add("    mmap_lock: " + YAMLScalar.string(lock)) }
        if t.startTick != d.startTick { out.add("    start: \(t.startTick)") }
        if !t.cgroup.isRoot { out.add("    cgroup: " + YAMLScalar.string(t.cgroup.description)) }
        if !t.program.isEmpty {
            out.add("    program:")
            program(t.program, indent: "      ", &out)
        }
    }

    /// Each cgroup's files under the names of its version, parents first
    /// (implicit parents written as `{}`, which reads back the same).
    private static func cgroups(_ c: CgroupsSpec, era: Era, _ out: inout Lines) {
        guard !c.isEmpty else { return }
        out.add("cgroups:")
        if let version = c.version { out.add("  version: " + version.rawValue) }
        let v1 = c.version(for: era) == .v1
        for g in c.groups {
            var files: [String] = []
            func size(_ key: String, _ pages: Int?) {
                guard let pages else { return }
                files.append(key + ": " + (pages == PageCounter.max ? "max" : Sizes.format(pages: pages)))
            }
            size(v1 ? "memory.limit_in_bytes" : "memory.max", g.max)
            size("memory.high", g.high)
            size("memory.low", g.low)
            size("memory.min", g.min)
            size("memory.swap.max", g.swapMax)
            if g.oomGroup { files.append("memory.oom.group: 1") }
            if g.oomKillDisable { files.append("oom_kill_disable: 1") }
            out.add("  " + YAMLScalar.string(g.path.description) + ": " + flowMap(files))
        }
    }

    private static func checks(_ checks: [ExpectCheck], indent: String, _ out: inout Lines) {
        for check in checks {
            switch check.kind {
            case .verdict(let v): out.add(indent + "verdict: " + v.rawValue)
            case .verdictByTick(let t): out.add(indent + "by_tick: \(t)")
            case .killed(let refs):
                let items = refs.map { ref -> String in
                    switch ref {
                    case .pid(let pid): return String(pid)
                    case .name(let name): return YAMLScalar.string(name, quoteIntegers: true)
                    }
                }
                out.add(indent + "killed: " + flowList(items))
            case .oomKills(let n): out.add(indent + "oom_kills: \(n)")
            case .firstKillByTick(let t): out.add(indent + "first_kill_by_tick: \(t)")
            case .firstKillAfterTick(let t): out.add(indent + "first_kill_after_tick: \(t)")
            }
        }
    }

    // MARK: Helpers

    /// Tasks grouped into runs of equal tasks with consecutive pids.
    static func runs(_ tasks: [TaskSpec]) -> [(TaskSpec, Int)] {
        var runs: [(TaskSpec, Int)] = []
        for task in tasks {
            if let (first, count) = runs.last {
                var next = first
                next.pid = first.pid + count
                if next == task {
                    runs[runs.count - 1].1 += 1
                    continue
                }
            }
            runs.append((task, 1))
        }
        return runs
    }

    static func flowList(_ items: [String]) -> String { "[" + items.joined(separator: ", ") + "]" }
    static func flowMap(_ items: [String]) -> String { "{" + items.joined(separator: ", ") + "}" }

    /// Output lines, joined with a final newline.
    struct Lines {
        private(set) var lines: [String] = []
        mutating func add(_ line: String) { lines.append(line) }
        var text: String { lines.joined(separator: "\n") + "\n" }
    }
}
