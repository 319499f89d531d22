/// The simulated kernel: one node, one zone, tasks running small programs,
/// mutexes, kswapd, the flusher, the OOM killer and the OOM reaper.
///
/// It is a value. It changes only through `step()` (one jiffy) and the
/// explicit user actions in Kernel+Actions.swift, never reads a clock or system
/// randomness, and keeps tasks in an array ordered by pid, so the same scenario,
/// seed and inputs give a byte-identical trace on every run. Memory is counted,
/// never allocated, and a tick costs time in proportion to tasks and locks,
/// never to the size of RAM.
///
/// `==` compares the whole state, every stored property including the caches
/// beside it (pidIndex, schedule, history, the log), so tests and the
/// timeline can assert that two ways of reaching a tick give the same kernel.
public struct Kernel: Equatable, Sendable {
    // What the scenario fixed at boot.
    public let scenarioName: String
    public let machine: MachineConfig
    public let seed: UInt64
    public let cues: [Cue]
    public let ticksPlanned: Int
    /// The effective switches: `policySpec` resolved against its era's defaults.
    public internal(set) var policy: Policy
    /// The era and the switches set explicitly (by the scenario, `--set` or
    /// the user), from which `policy` derives.
    public internal(set) var policySpec: PolicySpec

    // The clock.
    /// jiffies since boot.
    public internal(set) var tick: Int = 0
    var rng: SplitMix64
    /// Set when the kernel panics; no tick runs after it.
    public internal(set) var panicVerdict: Verdict?

    // The state, in parts (Kernel+Parts.swift). Kernel code names the part,
    // `taskTable.tasks`; code outside reads Kernel+PublicView.swift's names.
    /// The zone's counters and watermarks.
    var zone: Zone
    /// Reclaim's bookkeeping beside the zone: the flusher, the disk queue, swap.
    var reclaim = Reclaim()
    /// The tasks and the indexes derived from them.
    var taskTable = TaskTable()
    /// The locks, by name.
    var lockTable = LockTable()
    /// kswapd0, a state machine (Kswapd.swift).
    public internal(set) var kswapd = Kswapd()
    /// The memory cgroups (Kernel+Memcontrol.swift).
    public internal(set) var memcg: MemcgState
    /// The OOM reaper thread, a state machine (OOMReaper.swift).
    public internal(set) var reaper = OOMReaper()
    /// The OOM killer's lock, victims and kills.
    var oom = OOMState()
    /// The hung task detector and oomlab's own diagnoses.
    var detectors = Detectors()
    /// The verdict's history, updated at the end of every tick (Kernel+Outcome.swift).
    public internal(set) var outcome = Outcome()
    /// What the kernel printed: this tick's lines, the recent ones, the ratelimits.
    var printk = PrintkState()

    // What the tick measured.
    public internal(set) var stats = TickStats()
    public internal(set) var psi = PSIAverages()
    public var history = MetricsHistory(capacity: 4096)
    public static let recentEventLimit = 2000

    public init(scenario: Scenario) {
        let resolved = scenario.policy.resolved
        scenarioName = scenario.name
        policy = resolved
        policySpec = scenario.policy
        machine = scenario.machine
        seed = scenario.seed
        rng = SplitMix64(seed: scenario.seed)
        cues = scenario.cues.sorted { $0.tick < $1.tick }
        ticksPlanned = scenario.ticks
        let m = scenario.machine
        let managed = Swift.max(0, m.ramPages - m.kernelPages)
        let minFreeKbytes = m.minFreeKbytes
            ?? Watermarks.calculateMinFreeKbytes(lowmemKbytes: Units.kb(pages: managed), era: resolved.era)
        zone = Zone(
            counters: MemoryCounters(
                total: m.ramPages, free: 0, anon: 0, pageTables: 0,
                fileClean: m.fileCleanPages, fileDirty: m.fileDirtyPages, writeback: 0,
                slabReclaimable: m.slabReclaimablePages, slabUnreclaimable: m.slabUnreclaimablePages,
                kernel: m.kernelPages, reservationPool: 0, swapTotal: m.swapPages, swapUsed: 0),
            watermarks: Watermarks.setupPerZoneWmarks(minFreeKbytes: minFreeKbytes, managed: managed,
                                                lowmemManaged: managed, era: resolved.era,
                                                watermarkScaleFactor: m.watermarkScaleFactor),
            minFreeKbytes: minFreeKbytes)
        memcg = MemcgState(spec: scenario.cgroups, era: resolved.era)
        syncCgroupAccounting()
        for name in scenario.locks where lockTable.lockIndex[name] == nil {
            lockTable.lockIndex[name] = lockTable.locks.count
            lockTable.locks.append(Lock(name: name))
        }
        // In pid order (the first of a duplicated pid wins). Scenarios list
        // their tasks by pid, so this walks the specs in place instead of
        // sorting a copy of them (a million specs retained and released).
        let specs = scenario.tasks
        let inOrder = specs.indices.dropFirst().allSatisfy { specs[$0 - 1].pid <= specs[$0].pid }
        let order = inOrder ? Array(specs.indices) : specs.indices.sorted { specs[$0].pid < specs[$1].pid }
        // Tasks made from one template (a scenario file's `count:`) share
        // their program's storage. Looking the program up by that storage's
        // address is cheaper than hashing the ops (for a million tasks, most
        // of the set-up time). The table keeps each array it was given, so
        // no address is reused while it is looked up, and `==` (which
        // compares storage first) confirms each hit.
        var byStorage: [UnsafeRawPointer?: (ops: [Op], id: Int32)] = [:]
        // Room for every task at once: growing a million-entry array by
        // doubling copied it about twenty times (a quarter of the set-up).
        taskTable.tasks.reserveCapacity(specs.count)
        taskTable.schedule.reserveCapacity(specs.count)
        taskTable.pidIndex.reserveCapacity(specs.count)
        for k in order where taskTable.pidIndex[specs[k].pid] == nil {
            let ops = specs[k].program
            let address = ops.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
            let id: Int32
            if let seen = byStorage[address], seen.ops == ops {
                id = seen.id
            } else {
                id = taskTable.programs.intern(ops)
                byStorage[address] = (ops, id)
            }
            insertTask(specs[k], programID: id)
        }
        zone.counters.free = zone.counters.total - zone.counters.accountedPages
        if zone.counters.free < 0 {
            // The scenario promised more than the machine has: take it back
            // from the page cache first, so that the books still balance.
            let cut = Swift.min(-zone.counters.free, zone.counters.fileClean)
            zone.counters.fileClean -= cut
            zone.counters.free += cut
        }
        recordMetrics()
    }

    /// Adds a task built from a spec, keeping the array ordered by pid.
    mutating func insertTask(_ spec: TaskSpec) {
        insertTask(spec, programID: taskTable.programs.intern(spec.program))
    }

    /// Adds a task running program `programID` (the spec's program, interned).
    mutating func insertTask(_ spec: TaskSpec, programID: Int32) {
        var spec = spec
        // clone(CLONE_THREAD) from a thread joins the caller's thread group:
        // p->tgid = current->tgid (copy_process, kernel/fork.c). A tgid that
        // names a thread therefore means that thread's process.
        if let t = spec.tgid, let named = taskTable.pidIndex[t], taskTable.tasks[named].tgid != t {
            spec.tgid = taskTable.tasks[named].tgid
        }
        var task = Task(spec: spec, programID: programID)
        if !spec.cgroup.isRoot {
            attachInitialCharges(&task, to: spec.cgroup)
            syncCgroupAccounting()   // the path may have made cgroups
        }
        if task.tgid != task.pid { taskTable.hasThreadGroups = true }
        // Scenarios list tasks by pid, so the common case appends. (The last
        // task's pid read in place: `tasks.last` would copy the whole Task.)
        let position = (taskTable.tasks.isEmpty || taskTable.tasks[taskTable.tasks.count - 1].pid < spec.pid)
            ? taskTable.tasks.count
            : taskTable.tasks.firstIndex(where: { $0.pid > spec.pid }) ?? taskTable.tasks.count
        if position == taskTable.tasks.count { taskTable.tasks.append(task) } else { taskTable.tasks.insert(task, at: position) }
        if position == taskTable.tasks.count - 1 {
            taskTable.pidIndex[spec.pid] = position
            taskTable.schedule.append(ScheduleEntry(until: 0, stat: .idle, cgroup: Int32(truncatingIfNeeded: task.cgroup)))
            taskTable.runQueue.append(taskCount: taskTable.tasks.count)
        } else {
            rebuildPidIndex()
            rebuildSchedule()
        }
        zone.counters.anon += task.anon
        zone.counters.pageTables += task.pageTables
        zone.counters.swapUsed += task.swapEntries
        if taskTable.hasThreadGroups { joinThreadGroup(taskTable.pidIndex[spec.pid] ?? position) }
        if let name = spec.mmapLock, lockTable.lockIndex[name] == nil {
            lockTable.lockIndex[name] = lockTable.locks.count
            lockTable.locks.append(Lock(name: name))
        }
    }

    mutating func rebuildPidIndex() {
        taskTable.pidIndex.removeAll(keepingCapacity: true)
        for (i, t) in taskTable.tasks.enumerated() { taskTable.pidIndex[t.pid] = i }
    }

    public func task(pid: Int) -> Task? { taskTable.pidIndex[pid].map { taskTable.tasks[$0] } }
    /// The program a task runs, as the scenario wrote it.
    public func program(of t: Task) -> [Op] { taskTable.programs.list[Int(t.programID)].source }
    public func lock(named name: String) -> Lock? { lockTable.lockIndex[name].map { lockTable.locks[$0] } }

    /// totalpages for a global OOM: managed RAM plus swap (constrained_alloc).
    public var oomTotalPages: Int { zone.counters.managed + zone.counters.swapTotal }

    /// Simulated time in milliseconds.
    public var timeMs: Int { Units.ms(ticks: tick) }

    /// Advances one jiffy and returns what the kernel printed during it.
    @discardableResult
    public mutating func step() -> [Event] {
        // Events carried over from actions since the last step (their lines,
        // and what the kernel printed during them) are in `recent` already.
        let carried = printk.pendingUser.count
        printk.pending = printk.pendingUser
        printk.pendingUser.removeAll()
        guard panicVerdict == nil else { return printk.pending }
        tick += 1
        stats = TickStats()
        endPageWriteback()
        wbWorkfn()
        kswapdTick()
        reaperTick()
        if oom.lockHolder != nil && tick >= oom.lockUntil { oom.lockHolder = nil }
        runTasks()
        runDetectors()
        updateOutcome()
        emitCues()
        recordMetrics()
        if printk.pending.count > carried { appendRecent(Array(printk.pending[carried...])) }
        #if DEBUG
        // Debug builds (tests, the e2e binary, `oomlab check` in CI) stop at
        // the first broken invariant instead of printing a wrong trace.
        do { try checkInvariants() } catch { assertionFailure("\(error)") }
        #endif
        return printk.pending
    }

    /// Steps `count` ticks, collecting the events.
    public mutating func run(ticks count: Int) -> [Event] {
        var all: [Event] = []
        for _ in 0..<Swift.max(0, count) {
            all.append(contentsOf: step())
            if panicVerdict != nil { break }
        }
        return all
    }

    mutating func log(_ text: String, _ kind: Event.Kind = .kernel) {
        printk.pending.append(Event(tick: tick, text: text, kind: kind))
    }

    mutating func appendRecent(_ events: [Event]) {
        guard !events.isEmpty else { return }
        printk.recent.append(contentsOf: events)
        if printk.recent.count > Kernel.recentEventLimit + 256 {
            printk.recent.removeFirst(printk.recent.count - Kernel.recentEventLimit)
        }
    }

    /// A scenario's narration at its ticks. Once the user has changed the
    /// run (a policy toggle, a kill, a limit written), a cue may describe
    /// what no longer happens, so it says it was written for the run as it was.
    mutating func emitCues() {
        for cue in cues where cue.tick == tick {
            log(Event.cuePrefix + cueCaveat + cue.text, .oomlab)
        }
    }

    /// "" while the run is the scenario as written; after the user's first
    /// action, "(as written, before the change at 1.20 s) ".
    public var cueCaveat: String {
        guard let t = printk.firstUserActionTick else { return "" }
        return "(as written, before the change at \(Units.seconds(ms: Units.ms(ticks: t))) s) "
    }
}

extension Kernel.Task {
    init(spec: TaskSpec, programID: Int32) {
        pid = spec.pid
        tgid = spec.tgid ?? spec.pid
        parent = spec.parent
        name = spec.name
        uid = spec.uid
        oomScoreAdj16 = Int16(clamping: spec.oomScoreAdj)
        kthread = spec.kthread
        anon = spec.kthread ? 0 : spec.anonPages
        swapEntries = spec.kthread ? 0 : spec.swapPages
        pageTables = spec.kthread ? 0 : (spec.pageTablePages ?? Kernel.pageTablePages(mapped: spec.anonPages + spec.swapPages))
        kernelPages = 0
        reserved = 0
        mmapLock = spec.mmapLock
        cgroup = CgroupTree.rootID
        state = .new
        wait = nil
        waitingSince = 0
        lastSwitchTick = 0
        sigkill = false
        memdie = false
        victimSince = nil
        oomSkip = false
        inDirectReclaim = false
        self.programID = programID
        frames = Kernel.FrameStack()
        allocationBox = nil
        touchBox = nil
        heldLocks = []
        startTick = spec.startTick
        busyUntil = 0
        victimTimedOut = false
    }
}

extension Kernel {
    /// Page-table pages a mapping of this many pages needs: one PTE page per
    /// 512 pages plus one PMD page per 512 PTE pages (x86-64, 4 KiB pages).
    static func pageTablePages(mapped: Int) -> Int {
        guard mapped > 0 else { return 0 }
        let ptes = (mapped + 511) / 512
        let pmds = (ptes + 511) / 512
        return ptes + pmds
    }
}
