/// A place in a scenario file, for errors and for expectations that fail.
public struct SourceLocation: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }
    public var description: String { "\(file):\(line):\(column)" }
}

/// Everything needed to start a simulation: the machine, the policy, the locks,
/// the tasks and their programs, what the run should show (`expect`), the seed
/// and the default run length. Loaded from YAML (Presets/ScenarioLoader.swift)
/// or built in code; `Kernel(scenario:)` turns it into a running kernel.
public struct Scenario: Equatable, Sendable {
    public var name: String
    public var description: String
    public var seed: UInt64
    /// Default number of ticks `oomlab run` steps.
    public var ticks: Int
    public var machine: MachineConfig
    public var policy: PolicySpec
    public var locks: [String]
    /// The memory cgroups (empty: every task in the root, no limits).
    public var cgroups: CgroupsSpec
    public var tasks: [TaskSpec]
    public var expect: Expectation?
    /// Expectations under other policies, each keyed by `--set`-style overrides.
    public var expectWith: [ConditionalExpectation]
    /// Optional narration for workshops: a line shown when a tick is reached.
    public var cues: [Cue]

    public init(name: String, description: String = "", seed: UInt64 = 1, ticks: Int = 3000,
                machine: MachineConfig, policy: PolicySpec = PolicySpec(), locks: [String] = [],
                cgroups: CgroupsSpec = CgroupsSpec(), tasks: [TaskSpec], expect: Expectation? = nil,
                expectWith: [ConditionalExpectation] = [], cues: [Cue] = []) {
        self.name = name
        self.description = description
        self.seed = seed
        self.ticks = ticks
        self.machine = machine
        self.policy = policy
        self.locks = locks
        self.cgroups = cgroups
        self.tasks = tasks
        self.expect = expect
        self.expectWith = expectWith
        self.cues = cues
    }

    /// Hard limits that keep a hostile or mistaken file from exhausting the
    /// machine; the loader refuses anything beyond them with a located error.
    public enum Limits {
        public static let maxTasks = 200_000
        public static let maxLocks = 10_000
        public static let maxTicks = 100_000_000
        /// 1 PiB of RAM in pages: counted, never allocated, so only overflow matters.
        public static let maxPages = 1 << 38
        public static let maxProgramOps = 10_000
        public static let maxProgramDepth = 16
        public static let maxRepeat = 1_000_000_000
        /// The largest allocation order: MAX_PAGE_ORDER (10) of x86-64 since
        /// 6.4 (MAX_ORDER - 1 before). `1 << order` must stay a page count.
        public static let maxOrder = 10
        /// Cgroups a scenario may declare (implicit parents included).
        public static let maxCgroups = 10_000
    }
}

/// The simulated machine: one node with one zone (ZONE_NORMAL), swap, a disk
/// that cleans dirty pages at a fixed rate, and initial page cache and slab.
public struct MachineConfig: Equatable, Sendable {
    public var ramPages: Int
    public var swapPages: Int
    /// Pages the kernel keeps for itself (text, memmap, reserved at boot):
    /// "pages reserved" in a report; not managed by the buddy allocator.
    public var kernelPages: Int
    /// vm.min_free_kbytes; nil = the era's boot default.
    public var minFreeKbytes: Int?
    /// vm.watermark_scale_factor (modern era only).
    public var watermarkScaleFactor: Int
    /// Pages the disk finishes writing back per tick.
    public var writebackPagesPerTick: Int
    /// Pages kswapd can reclaim per tick (its share of one CPU).
    public var kswapdPagesPerTick: Int
    public var fileCleanPages: Int
    public var fileDirtyPages: Int
    public var slabReclaimablePages: Int
    public var slabUnreclaimablePages: Int
    /// vm.swappiness: how hard reclaim scans anon against page cache
    /// (0...100 in 4.0; 0...200 since 5.8). get_scan_count, mm/vmscan.c.
    public var swappiness: Int = 60

    public init(ramPages: Int, swapPages: Int = 0, kernelPages: Int? = nil, minFreeKbytes: Int? = nil,
                watermarkScaleFactor: Int = 10, writebackPagesPerTick: Int = 64,
                kswapdPagesPerTick: Int = 512, fileCleanPages: Int = 0, fileDirtyPages: Int = 0,
                slabReclaimablePages: Int = 0, slabUnreclaimablePages: Int = 0) {
        self.ramPages = ramPages
        self.swapPages = swapPages
        self.kernelPages = kernelPages ?? MachineConfig.defaultKernelPages(ramPages: ramPages)
        self.minFreeKbytes = minFreeKbytes
        self.watermarkScaleFactor = watermarkScaleFactor
        self.writebackPagesPerTick = writebackPagesPerTick
        self.kswapdPagesPerTick = kswapdPagesPerTick
        self.fileCleanPages = fileCleanPages
        self.fileDirtyPages = fileDirtyPages
        self.slabReclaimablePages = slabReclaimablePages
        self.slabUnreclaimablePages = slabUnreclaimablePages
    }

    /// 2% of RAM, about what memmap and kernel text take on x86-64.
    public static func defaultKernelPages(ramPages: Int) -> Int { ramPages / 50 }

    /// Pages the buddy allocator manages (present minus reserved).
    public var managedPages: Int { ramPages - kernelPages }
}

/// One task as a scenario declares it.
public struct TaskSpec: Equatable, Sendable {
    public var pid: Int
    public var name: String
    public var uid: Int
    public var oomScoreAdj: Int
    /// A kernel thread: has no mm, is never an OOM victim.
    public var kthread: Bool
    /// Anonymous memory the task has mapped when the scenario starts.
    public var anonPages: Int
    /// Swap entries the task has when the scenario starts.
    public var swapPages: Int
    /// Page-table pages, when known (an imported report); nil = derived from
    /// the mapped size as the kernel would need (one PTE page per 512 pages).
    public var pageTablePages: Int?
    /// The thread group (process) this task is a thread of; nil = its own pid.
    /// Threads of one process are weighed, killed and reaped together, as
    /// the OOM killer treats a process (they should name the same mmap_lock).
    public var tgid: Int?
    /// The parent process's pid, if the scenario says. Before 5.1 the OOM
    /// killer kills a child of the chosen process instead ("sacrifice child").
    public var parent: Int?
    /// The lock that stands for this task's mmap_lock (mmap_sem in 2015), if
    /// another task can hold it: exit_mm() must take it, the OOM reaper trylocks it.
    public var mmapLock: String?
    /// Tick at which the task starts running its program.
    public var startTick: Int
    /// The memory cgroup the task runs in (the root, unlimited, by default).
    public var cgroup: CgroupPath
    public var program: [Op]

    public init(pid: Int, name: String, uid: Int = 1000, oomScoreAdj: Int = 0, kthread: Bool = false,
                anonPages: Int = 0, swapPages: Int = 0, pageTablePages: Int? = nil, mmapLock: String? = nil,
                startTick: Int = 0, cgroup: CgroupPath = .root, program: [Op]) {
        self.pid = pid
        self.name = name
        self.uid = uid
        self.oomScoreAdj = oomScoreAdj
        self.kthread = kthread
        self.anonPages = anonPages
        self.swapPages = swapPages
        self.pageTablePages = pageTablePages
        self.mmapLock = mmapLock
        self.startTick = startTick
        self.cgroup = cgroup
        self.program = program
    }
}

/// A narration line for workshops, shown when the run reaches a tick.
public struct Cue: Equatable, Sendable {
    public var tick: Int
    public var text: String
    public init(tick: Int, text: String) {
        self.tick = tick
        self.text = text
    }
}

extension Scenario {
    /// Pages in use at tick 0: the kernel's, page cache, slab, and every
    /// task's anon memory and page tables. It must fit in RAM.
    public var initialPages: Int {
        let m = machine
        var pages = m.kernelPages + m.fileCleanPages + m.fileDirtyPages + m.slabReclaimablePages + m.slabUnreclaimablePages
        for t in tasks where !t.kthread {
            pages += t.anonPages + (t.pageTablePages ?? Kernel.pageTablePages(mapped: t.anonPages + t.swapPages))
        }
        return pages
    }

    /// Swap entries in use at tick 0. They must fit in swap.
    public var initialSwapPages: Int { tasks.filter { !$0.kthread }.reduce(0) { $0 + $1.swapPages } }
}
