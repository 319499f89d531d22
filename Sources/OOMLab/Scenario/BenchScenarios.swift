import OOMLabKernel

/// Generated workloads for `oomlab bench`: many tasks churning memory, and
/// the same churn on machines a million times apart in size, to show that a
/// tick costs time per task, never per page.
public enum BenchScenarios {
    /// `tasks` tasks on a machine with room for all of them: each allocates,
    /// computes, frees and sleeps, for ever, so every path of a normal tick runs.
    public static func churn(tasks: Int, ramPages: Int? = nil, seed: UInt64 = 1) -> Scenario {
        let perTask = 16
        let ram = ramPages ?? Swift.max(65_536, tasks * perTask * 4)
        return scaled(tasks: tasks, ramPages: ram, pagesPerTask: perTask, seed: seed,
                      name: "bench-\(tasks)-tasks")
    }

    /// The same program on any RAM size: each task allocates a quarter of its
    /// share of RAM in one go, so a 1 TiB machine moves millions of times the
    /// pages of a 1 MiB one through the same number of operations.
    public static func ramSize(_ ramPages: Int, tasks: Int = 100, seed: UInt64 = 1) -> Scenario {
        let share = Swift.max(1, ramPages / 4 / tasks)
        return scaled(tasks: tasks, ramPages: ramPages, pagesPerTask: share, seed: seed,
                      name: "bench-ram-\(ramPages)-pages")
    }

    /// Task n computes 1 + n % 3 ticks and sleeps 1 + n % 5, so there are
    /// 15 programs; each is built once and shared by the tasks that run it,
    /// as a scenario file's `count:` shares one task's program among its copies.
    static func scaled(tasks: Int, ramPages: Int, pagesPerTask: Int, seed: UInt64, name: String) -> Scenario {
        let programs: [[Op]] = (0..<15).map { n in
            [.repeat(count: nil, body: [
                .alloc(AllocSpec(pages: pagesPerTask, gfp: .highuserMovable, target: .anon,
                                 ratePerTick: pagesPerTask)),
                .compute(ticks: 1 + n % 3),
                .free(pages: nil, from: .anon),
                .sleep(ticks: 1 + n % 5),
            ])]
        }
        let specs = (0..<tasks).map { n in
            TaskSpec(pid: 100 + n, name: "worker\(n)", program: programs[n % 15])
        }
        return Scenario(name: name, seed: seed, ticks: 1000,
                        machine: MachineConfig(ramPages: ramPages, kernelPages: ramPages / 50, minFreeKbytes: nil),
                        policy: PolicySpec(era: .modern), tasks: specs)
    }
}

extension BenchScenarios {
    /// `base` with its tasks spread over `slices` v2 cgroups of `podsPerSlice`
    /// children each (10 x 9 + 10 = 100 cgroups by default), every task in a
    /// leaf, each leaf's memory.max twice what its tasks can hold at once and
    /// each slice's twice its pods': every allocation is charged up the
    /// hierarchy and checked against two limits, and none reclaims, so the
    /// cost next to `base` is what charging adds (docs/memcg.md §2).
    public static func inCgroups(_ base: Scenario, slices: Int = 10, podsPerSlice: Int = 9) -> Scenario {
        var s = base
        s.name = base.name + "-in-cgroups"
        let leaves = slices * podsPerSlice
        var paths: [CgroupPath] = []
        var groups: [CgroupSpec] = []
        let perTask = base.tasks.map { t in t.program.reduce(0) { $0 + Self.allocated($1) } }.max() ?? 0
        let perLeaf = (base.tasks.count + leaves - 1) / leaves * perTask * 2
        for sl in 0..<slices {
            guard let slice = CgroupPath.root.appending("slice\(sl)") else { continue }
            groups.append(CgroupSpec(path: slice, max: perLeaf * podsPerSlice * 2))
            for pod in 0..<podsPerSlice {
                guard let leaf = slice.appending("pod\(pod)") else { continue }
                groups.append(CgroupSpec(path: leaf, max: perLeaf))
                paths.append(leaf)
            }
        }
        s.cgroups = CgroupsSpec(version: .v2, groups: groups)
        for k in s.tasks.indices { s.tasks[k].cgroup = paths[k % paths.count] }
        return s
    }

    /// The pages an op (and what it repeats) allocates at most at once.
    private static func allocated(_ op: Op) -> Int {
        switch op {
        case .alloc(let a): return a.pages
        case .repeat(_, let body): return body.reduce(0) { $0 + allocated($1) }
        default: return 0
        }
    }
}

extension BenchScenarios {
    /// The time-travel benchmark's run: `churn` with 1,000 tasks, long enough
    /// to record one simulated hour (360,000 ticks).
    public static func timeline(tasks: Int = 1000, ticks: Int = 360_000) -> Scenario {
        var s = churn(tasks: tasks)
        s.name = "bench-timeline-\(tasks)-tasks"
        s.ticks = ticks
        return s
    }
}

extension BenchScenarios {
    /// `base` plus `count` tasks asleep for the whole run: what an idle task costs.
    public static func withIdleTasks(_ base: Scenario, count: Int) -> Scenario {
        var s = base
        let first = (s.tasks.map(\.pid).max() ?? 0) + 1
        s.tasks += (0..<count).map { n in
            TaskSpec(pid: first + n, name: "idle\(n)", program: [.sleep(ticks: Scenario.Limits.maxTicks)])
        }
        return s
    }

    /// `base` plus one task holding a mutex for the whole run and `count`
    /// tasks waiting for it in mutex_lock(): what a lock waiter costs.
    public static func withLockWaiters(_ base: Scenario, count: Int) -> Scenario {
        var s = base
        let first = (s.tasks.map(\.pid).max() ?? 0) + 1
        s.locks.append("bench_mutex")
        s.tasks.append(TaskSpec(pid: first, name: "holder", program: [
            .lock(name: "bench_mutex", wait: .uninterruptible), .sleep(ticks: Scenario.Limits.maxTicks),
        ]))
        s.tasks += (1...count).map { n in
            TaskSpec(pid: first + n, name: "waiter\(n)", startTick: 1, program: [.lock(name: "bench_mutex", wait: .uninterruptible)])
        }
        return s
    }

    /// `count` tasks that each log one line a tick (an unlock of a mutex
    /// they do not hold, which oomlab reports and ignores), or, with
    /// `logging` false, the same tasks only computing.
    public static func loggers(_ count: Int, logging: Bool) -> Scenario {
        let body: [Op] = logging ? [.unlock(name: "bench_mutex"), .compute(ticks: 1)] : [.compute(ticks: 1)]
        let specs = (0..<count).map { n in
            TaskSpec(pid: 100 + n, name: "logger\(n)", program: [.repeat(count: nil, body: body)])
        }
        return Scenario(name: "bench-loggers", seed: 1, ticks: 1000,
                        machine: MachineConfig(ramPages: 65_536, kernelPages: 1024, minFreeKbytes: nil),
                        policy: PolicySpec(era: .modern), locks: ["bench_mutex"], tasks: specs)
    }
}
