/// The parts the kernel's state is grouped in (Kernel.swift lists them).
///
/// Kernel code reaches a field through its part, `taskTable.tasks[i]`,
/// `zone.counters.free`: one name per field. Forwarding names (a `tasks`
/// that yields `taskTable.tasks`) were tried and removed: on the tick path
/// the optimizer left each read as a call to the accessor's coroutine that
/// copied the whole Kernel (1,160 bytes) once per task turn, even with
/// `@inline(__always)`; naming the part took Kernel.step() from 489 to 407
/// instructions per task-tick at 1,000 tasks (scripts/step-instructions).
/// Code outside the kernel reads the fields through Kernel+PublicView.swift.
extension Kernel {
    /// The one zone (struct zone): its page counters and watermarks.
    struct Zone: Equatable, Sendable {
        var counters: MemoryCounters
        var watermarks: Watermarks
        /// vm.min_free_kbytes, from which the watermarks derive.
        var minFreeKbytes: Int
        /// zone->pages_scanned (4.0): pages scanned since a page was last freed.
        var pagesScanned = 0
        /// zone->flags (4.0; pgdat->flags since 4.8), set by
        /// shrink_inactive_list and cleared by kswapd (Kernel+Vmscan.swift).
        var flags = ZoneFlags()
    }

    /// ZONE_DIRTY, ZONE_CONGESTED, ZONE_WRITEBACK (4.0 include/linux/mmzone.h).
    struct ZoneFlags: Equatable, Sendable {
        /// ZONE_DIRTY: the pages reclaim took from the LRU tail were all dirty
        /// and not queued for I/O; kswapd may write file pages itself.
        var dirty = false
        /// ZONE_CONGESTED: the dirty pages scanned were backed by a congested
        /// device; wait_iff_congested() sleeps.
        var congested = false
        /// ZONE_WRITEBACK: the pages taken were all under writeback; kswapd
        /// stalls on the next ones it meets (nr_immediate).
        var writeback = false

        /// 4.0: kswapd found the zone balanced, "consider it to be no longer
        /// congested": ZONE_CONGESTED and ZONE_DIRTY go (ZONE_WRITEBACK is
        /// cleared after every kswapd pass, balanced or not). Only kswapd
        /// clears them: in balance_pgdat's scan for the highest unbalanced
        /// zone, and in kswapd_shrink_zone after its pass when the zone is
        /// reclaimable and at the high watermark.
        /// balance_pgdat / kswapd_shrink_zone, mm/vmscan.c (v4.0).
        mutating func clearCongestion() {
            congested = false
            dirty = false
        }
    }

    /// What reclaim keeps beside the zone: the flusher's wakeup, the disk's
    /// read queue and swap writes not yet counted.
    struct Reclaim: Equatable, Sendable {
        /// wakeup_flusher_threads() was called by direct reclaim.
        var flusherWoken = false
        /// Pages direct reclaim has freed, ever (kswapd keeps its own count).
        var directReclaimedTotal = 0
        /// Where swap-out continues in the task list: a stand-in for the anon LRU.
        var anonCursor = 0
        /// Swap-in reads queued at the disk, in pages: they go before writeback.
        var swapReadBacklog = 0
        /// Pages freed by finished swap writes that no reclaim pass has counted
        /// yet: the next pass counts them as reclaimed (docs/kernel.md §5.6).
        var swapWrittenUncounted = 0
    }

    /// The tasks and what derives from them; checkInvariants checks each
    /// derived field against `tasks` (Kernel+CacheInvariants.swift).
    struct TaskTable: Equatable, Sendable {
        /// Every task ever started, ordered by pid (dead ones stay, state .dead).
        var tasks: [Task] = []
        var pidIndex = PidIndex()
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
        /// mm->owner of each multi-threaded process: tgid -> the pid of the
        /// thread whose entry carries the mm's pages (Kernel+ThreadGroup.swift).
        var mmOwners: [Int: Int] = [:]
    }

    /// The locks tasks take (Kernel+Locks.swift), with their index by name.
    struct LockTable: Equatable, Sendable {
        var locks: [Lock] = []
        var lockIndex: [String: Int] = [:]
    }

    /// The OOM killer's state (Kernel+OOMKill.swift).
    struct OOMState: Equatable, Sendable {
        /// The OOM lock (4.0: ZONE_OOM_LOCKED on the zonelist; >= 4.2 oom_lock):
        /// held by the killer through its schedule_timeout_killable(1).
        var lockHolder: String?
        var lockUntil = 0
        var kills: [OOMKill] = []
        /// Victims not yet dead or skipped, to check for stalls without walking every task.
        var liveVictims: [Int] = []
        /// OOM invocations that found a victim still alive and did nothing.
        var aborts = 0
        /// The tgids whose signal->oom_mm mark_oom_victim() set (>= 4.14):
        /// 6.13's victim status is the process's (tsk_is_oom_victim).
        var victimProcesses: [Int] = []
    }

    /// The hung task detector's state (kernel/hung_task.c) and the
    /// diagnoses oomlab's own detectors keep (Kernel+Detectors.swift).
    struct Detectors: Equatable, Sendable {
        /// sysctl_hung_task_warnings: reports left before the detector goes quiet.
        var hungTaskWarningsLeft = 10
        var lastHungTaskCheck = 0
        var diagnoses = Diagnoses()
    }

    /// What the kernel printed, and the ratelimits on what it may print.
    struct PrintkState: Equatable, Sendable {
        /// This tick's lines, returned by `step()`.
        var pending: [Event] = []
        /// User actions since the last step, delivered with the next step's events.
        var pendingUser: [Event] = []
        /// The most recent events, for the TUI log.
        var recent: [Event] = []
        /// warn_alloc's nopage_rs: page allocation failures are rate-limited.
        var nopageRatelimit = RateLimit(function: "warn_alloc")
        /// oom_kill_process's oom_rs: the OOM report is rate-limited (Kernel+OOMRatelimit.swift).
        var oomRatelimit = RateLimit(function: "oom_kill_process")
        /// The tick of the user's first action (logAction): a scenario's cues
        /// after it were written for the run without that action.
        var firstUserActionTick: Int?
    }
}
