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
    public let scenarioName: String
    public internal(set) var tick: Int = 0
    /// The effective switches: `policySpec` resolved against its era's defaults.
    public internal(set) var policy: Policy
    /// The era and the switches set explicitly (by the scenario, `--set` or
    /// the user), from which `policy` derives.
    public internal(set) var policySpec: PolicySpec
    public let machine: MachineConfig
    public internal(set) var watermarks: Watermarks
    public internal(set) var minFreeKbytes: Int
    public internal(set) var memory: MemoryCounters
    /// Every task ever started, ordered by pid (dead ones stay, state .dead).
    public internal(set) var tasks: [Task] = []
    var pidIndex: [Int: Int] = [:]
    /// The tick loop's compact view of the tasks (Kernel+Schedule.swift).
    var schedule: [ScheduleEntry] = []
    /// Which tasks a tick visits, derived from `schedule` (RunQueue.swift).
    var runQueue = RunQueue()
    /// Each distinct program once, compiled (CompiledProgram.swift):
    /// thousands of tasks made from a few templates share it.
    var programs = ProgramTable()
    /// Some task is a thread of another's process (Kernel+ThreadGroup.swift);
    /// without any, the OOM paths skip the grouping work.
    var hasThreadGroups = false
    public internal(set) var locks: [Lock] = []
    var lockIndex: [String: Int] = [:]
    public internal(set) var kswapd = Kswapd()
    public internal(set) var reaper = OOMReaper()
    public let seed: UInt64
    var rng: SplitMix64

    // Reclaim state.
    /// zone->pages_scanned (4.0): pages scanned since a page was last freed.
    public internal(set) var pagesScanned = 0
    /// wakeup_flusher_threads() was called by direct reclaim.
    var flusherWoken = false
    /// Pages direct reclaim has freed, ever (kswapd keeps its own count).
    public internal(set) var directReclaimedTotal = 0
    /// Where swap-out continues in the task list: a stand-in for the anon LRU.
    var anonCursor = 0
    /// Swap-in reads queued at the disk, in pages: they go before writeback.
    var swapReadBacklog = 0
    /// Pages freed by finished swap writes that no reclaim pass has counted
    /// yet: the next pass counts them as reclaimed (docs/kernel.md §5.6).
    var swapWrittenUncounted = 0

    // OOM state.
    /// The OOM lock (4.0: ZONE_OOM_LOCKED on the zonelist; >= 4.2 oom_lock):
    /// held by the killer through its schedule_timeout_killable(1).
    public internal(set) var oomLockHolder: String?
    var oomLockUntil = 0
    public internal(set) var oomKills: [OOMKill] = []
    /// Victims not yet dead or skipped, to check for stalls without walking every task.
    var liveVictims: [Int] = []
    /// OOM invocations that found a victim still alive and did nothing.
    public internal(set) var oomAborts = 0
    public internal(set) var reaped: [Int] = []

    // Detectors.
    public internal(set) var panicVerdict: Verdict?
    var hungTaskWarningsLeft = 10
    var lastHungTaskCheck = 0
    public internal(set) var diagnoses = Diagnoses()
    /// The verdict's history, updated at the end of every tick (Kernel+Outcome.swift).
    public internal(set) var outcome = Outcome()

    // Per tick.
    public internal(set) var stats = TickStats()
    public internal(set) var psi = PSIAverages()
    public var history = MetricsHistory(capacity: 4096)
    /// The most recent events, for the TUI log; `step()` returns each tick's own.
    public internal(set) var recentEvents: [Event] = []
    public static let recentEventLimit = 2000
    var pendingEvents: [Event] = []
    /// warn_alloc's nopage_rs: page allocation failures are rate-limited.
    var nopageRatelimit = RateLimit(function: "warn_alloc")
    /// oom_kill_process's oom_rs: the OOM report is rate-limited (Kernel+OOMRatelimit.swift).
    var oomRatelimit = RateLimit(function: "oom_kill_process")
    /// User actions since the last step, delivered with the next step's events.
    var pendingUserEvents: [Event] = []
    public let cues: [Cue]
    public let ticksPlanned: Int

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
        minFreeKbytes = m.minFreeKbytes
            ?? Watermarks.defaultMinFreeKbytes(lowmemKbytes: Units.kb(pages: managed), era: resolved.era)
        watermarks = Watermarks.setupPerZone(minFreeKbytes: minFreeKbytes, managed: managed,
                                             lowmemManaged: managed, era: resolved.era,
                                             watermarkScaleFactor: m.watermarkScaleFactor)
        memory = MemoryCounters(
            total: m.ramPages, free: 0, anon: 0, pageTables: 0,
            fileClean: m.fileCleanPages, fileDirty: m.fileDirtyPages, writeback: 0,
            slabReclaimable: m.slabReclaimablePages, slabUnreclaimable: m.slabUnreclaimablePages,
            kernel: m.kernelPages, reservationPool: 0, swapTotal: m.swapPages, swapUsed: 0)
        for name in scenario.locks where lockIndex[name] == nil {
            lockIndex[name] = locks.count
            locks.append(Lock(name: name))
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
        for k in order where pidIndex[specs[k].pid] == nil {
            let ops = specs[k].program
            let address = ops.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
            let id: Int32
            if let seen = byStorage[address], seen.ops == ops {
                id = seen.id
            } else {
                id = programs.intern(ops)
                byStorage[address] = (ops, id)
            }
            insertTask(specs[k], programID: id)
        }
        memory.free = memory.total - memory.accountedPages
        if memory.free < 0 {
            // The scenario promised more than the machine has: take it back
            // from the page cache first, so that the books still balance.
            let cut = Swift.min(-memory.free, memory.fileClean)
            memory.fileClean -= cut
            memory.free += cut
        }
        recordMetrics()
    }

    /// Adds a task built from a spec, keeping the array ordered by pid.
    mutating func insertTask(_ spec: TaskSpec) {
        insertTask(spec, programID: programs.intern(spec.program))
    }

    /// Adds a task running program `programID` (the spec's program, interned).
    mutating func insertTask(_ spec: TaskSpec, programID: Int32) {
        let task = Task(spec: spec, programID: programID)
        if task.tgid != task.pid { hasThreadGroups = true }
        // Scenarios list tasks by pid, so the common case appends. (The last
        // task's pid read in place: `tasks.last` would copy the whole Task.)
        let position = (tasks.isEmpty || tasks[tasks.count - 1].pid < spec.pid)
            ? tasks.count
            : tasks.firstIndex(where: { $0.pid > spec.pid }) ?? tasks.count
        tasks.insert(task, at: position)
        if position == tasks.count - 1 {
            pidIndex[spec.pid] = position
            schedule.append(ScheduleEntry(until: 0, stat: .idle))
            runQueue.append(taskCount: tasks.count)
        } else {
            rebuildPidIndex()
            rebuildSchedule()
        }
        memory.anon += task.anon
        memory.pageTables += task.pageTables
        memory.swapUsed += task.swapEntries
        if let name = spec.mmapLock, lockIndex[name] == nil {
            lockIndex[name] = locks.count
            locks.append(Lock(name: name))
        }
    }

    mutating func rebuildPidIndex() {
        pidIndex.removeAll(keepingCapacity: true)
        for (i, t) in tasks.enumerated() { pidIndex[t.pid] = i }
    }

    public func task(pid: Int) -> Task? { pidIndex[pid].map { tasks[$0] } }
    /// The program a task runs, as the scenario wrote it.
    public func program(of t: Task) -> [Op] { programs.list[Int(t.programID)].source }
    public func lock(named name: String) -> Lock? { lockIndex[name].map { locks[$0] } }

    /// totalpages for a global OOM: managed RAM plus swap (constrained_alloc).
    public var oomTotalPages: Int { memory.managed + memory.swapTotal }

    /// Simulated time in milliseconds.
    public var timeMs: Int { Units.ms(ticks: tick) }

    /// Advances one jiffy and returns what the kernel printed during it.
    @discardableResult
    public mutating func step() -> [Event] {
        pendingEvents = pendingUserEvents
        pendingUserEvents.removeAll()
        guard panicVerdict == nil else { return pendingEvents }
        tick += 1
        stats = TickStats()
        completeWriteback()
        flusherTick()
        kswapdTick()
        reaperTick()
        if oomLockHolder != nil && tick >= oomLockUntil { oomLockHolder = nil }
        runTasks()
        runDetectors()
        updateOutcome()
        emitCues()
        recordMetrics()
        if !pendingEvents.isEmpty { appendRecent(pendingEvents.filter { $0.kind != .user }) }
        #if DEBUG
        // Debug builds (tests, the e2e binary, `oomlab check` in CI) stop at
        // the first broken invariant instead of printing a wrong trace.
        do { try checkInvariants() } catch { assertionFailure("\(error)") }
        #endif
        return pendingEvents
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
        pendingEvents.append(Event(tick: tick, text: text, kind: kind))
    }

    mutating func appendRecent(_ events: [Event]) {
        guard !events.isEmpty else { return }
        recentEvents.append(contentsOf: events)
        if recentEvents.count > Kernel.recentEventLimit + 256 {
            recentEvents.removeFirst(recentEvents.count - Kernel.recentEventLimit)
        }
    }

    mutating func emitCues() {
        for cue in cues where cue.tick == tick {
            log(Event.cuePrefix + cue.text, .oomlab)
        }
    }
}

extension Kernel.Task {
    init(spec: TaskSpec, programID: Int32) {
        pid = spec.pid
        tgid = spec.tgid ?? spec.pid
        parent = spec.parent
        name = spec.name
        uid = spec.uid
        oomScoreAdj = spec.oomScoreAdj
        kthread = spec.kthread
        anon = spec.kthread ? 0 : spec.anonPages
        swapEntries = spec.kthread ? 0 : spec.swapPages
        pageTables = spec.kthread ? 0 : (spec.pageTablePages ?? Kernel.pageTablePages(mapped: spec.anonPages + spec.swapPages))
        kernelPages = 0
        reserved = 0
        mmapLock = spec.mmapLock
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
        allocation = nil
        touch = nil
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
