extension Kernel {
    /// A simulated process (or kernel thread). Named `Kernel.Task` so it never
    /// shadows Swift's `Task`.
    public struct Task: Equatable, Sendable {
        // The stored properties are in an order that wastes little padding
        // (each Optional<Int> is followed by one-byte fields that fill the
        // rest of its 16 bytes): a million-task scenario keeps a million.
        public let pid: Int
        /// The thread group (process) id; the pid for a single-threaded process.
        public let tgid: Int
        public var name: String
        public var uid: Int
        /// /proc/PID/oom_score_adj, -1000..1000 (OOMScoreAdj). Stored in
        /// 16 bits, in the padding before `programID`: the 8 bytes it took
        /// kept a million-task kernel above 300 bytes a task. Values outside
        /// Int16 (no kernel allows them) are clamped, never trapped.
        public var oomScoreAdj: Int {
            get { Int(oomScoreAdj16) }
            set { oomScoreAdj16 = Int16(clamping: newValue) }
        }

        // Memory, in pages.
        public internal(set) var anon: Int
        public internal(set) var swapEntries: Int
        public internal(set) var pageTables: Int
        /// Kernel buffers the task allocated (counted in slab_unreclaimable).
        public internal(set) var kernelPages: Int
        /// Pages its open transaction holds in the reservation pool.
        public internal(set) var reserved: Int

        /// The lock standing for this task's mmap_lock, if the scenario names one.
        public internal(set) var mmapLock: String?
        /// The memory cgroup the task's pages are charged to (an index into
        /// `Kernel.memcg.tree`; 0 is the root). Its path: `Kernel.cgroupPath(of:)`.
        /// task->cgroups, mem_cgroup_from_task, mm/memcontrol.c.
        public internal(set) var cgroup: CgroupID

        /// Why the task is not running, when it is blocked or sleeping.
        public internal(set) var wait: Wait?
        /// Tick since which the task has been in its current wait.
        public internal(set) var waitingSince: Int
        /// Tick at which the task last ran or woke: khungtaskd's context-switch count.
        public internal(set) var lastSwitchTick: Int

        /// The parent's pid (ppid), if the scenario gave one.
        public let parent: Int?
        /// Kernel threads have no mm: never OOM victims, never reaped.
        public let kthread: Bool
        public internal(set) var state: State
        /// SIGKILL pending (fatal_signal_pending).
        public internal(set) var sigkill: Bool
        /// TIF_MEMDIE: chosen by the OOM killer, may use memory reserves.
        public internal(set) var memdie: Bool
        /// victim_timeout_ms ran out: the OOM killer no longer waits for it.
        public internal(set) var victimTimedOut: Bool
        /// MMF_OOM_SKIP on its mm: reaped (or given up on); the OOM killer skips it.
        public internal(set) var oomSkip: Bool
        /// PF_MEMALLOC: set while the task reclaims this tick (direct reclaim,
        /// or its cgroup's limit or memory.high reclaim): a memory stall.
        public internal(set) var inDirectReclaim: Bool
        /// Tick at which the task became an OOM victim.
        public internal(set) var victimSince: Int?
        var oomScoreAdj16: Int16

        /// The task's program (its number in `Kernel.programs`; the ops are
        /// `Kernel.program(of:)`) and the task's place in it.
        let programID: Int32
        var frames: FrameStack
        /// The allocation in progress, if the current op is one. Kept out of
        /// line (OutOfLine.swift): about 90 bytes that most tasks, most of
        /// the time, do not use (an allocation the fast path serves whole
        /// never makes one).
        public internal(set) var allocation: AllocationProgress? {
            get { allocationBox?.value }
            set { OutOfLine.write(newValue, into: &allocationBox) }
        }
        var allocationBox: OutOfLine<AllocationProgress>?
        /// The `touch` op in progress: pages still to touch, and pages faulted
        /// in since the last swap read. Out of line, as `allocation` is.
        public internal(set) var touch: TouchProgress? {
            get { touchBox?.value }
            set { OutOfLine.write(newValue, into: &touchBox) }
        }
        var touchBox: OutOfLine<TouchProgress>?
        /// Locks held, in the order taken.
        public internal(set) var heldLocks: [String]
        /// Tick at which the program starts.
        public let startTick: Int
        /// Busy computing until this tick.
        var busyUntil: Int

        public enum State: String, Equatable, Sendable {
            /// Exists with its memory, but its program starts later.
            case new
            /// R: running or runnable.
            case running = "R"
            /// S: interruptible sleep.
            case sleeping = "S"
            /// D: uninterruptible (or killable) sleep.
            case blocked = "D"
            /// Exiting: between do_exit and the end of exit_mm.
            case exiting = "X"
            case dead = "Z"
        }

        public var isAlive: Bool { state != .dead }
        /// Has an mm the OOM killer can weigh.
        public var hasMM: Bool { !kthread && state != .dead }
        /// oom_unkillable_task(): init (is_global_init: the thread group of
        /// pid 1) and kernel threads are never selected, scored or listed in
        /// the OOM report's task table, in every era.
        /// oom_unkillable_task, mm/oom_kill.c (v4.0 and v6.13).
        public var isOOMUnkillable: Bool { Task.isOOMUnkillable(kthread: kthread, tgid: tgid) }
        /// A process the OOM killer weighs: alive, with an mm, not unkillable.
        var isOOMCandidate: Bool { Task.isOOMCandidate(kthread: kthread, tgid: tgid, state: state) }
        /// This entry's resident pages: 0 on a thread that does not own its
        /// process's mm. What a task shows is `Kernel.mmRSS(of:)`.
        public var rss: Int { anon }
        /// Mapped size (total_vm): anon plus swapped-out pages.
        public var totalVM: Int { anon + swapEntries }
        /// Root in the sense of oom_badness: CAP_SYS_ADMIN, i.e. uid 0.
        public var isRoot: Bool { Task.isRoot(uid: uid) }

        // The predicates over the stored fields they read, so that a scan of
        // the task array (`TaskTable.isOOMCandidate(_:)`) can apply them
        // field by field: calling a computed property on an array element
        // copied the whole Task (memcpy, then a retain and release of each
        // of its references) to read three words.
        @inline(__always)
        static func isOOMUnkillable(kthread: Bool, tgid: Int) -> Bool { kthread || tgid == 1 }

        @inline(__always)
        static func isRoot(uid: Int) -> Bool { uid == 0 }

        @inline(__always)
        static func isOOMCandidate(kthread: Bool, tgid: Int, state: State) -> Bool {
            !kthread && state != .dead && !isOOMUnkillable(kthread: kthread, tgid: tgid)
        }
    }

    /// Why a task is not running.
    public enum Wait: Equatable, Sendable {
        /// Waiting for a lock held (or queued for) by other tasks, to take
        /// it in `mode`.
        case lock(name: String, killable: Bool, mode: LockMode)
        /// Interruptible sleep from the program (`sleep`).
        case sleep(until: Int)
        /// congestion_wait(BLK_RW_ASYNC, HZ/50) in XFS's kmem_alloc loop.
        case congestionWait(until: Int)
        /// wait_iff_congested() at the end of a slow-path round (2015), or a
        /// one-jiffy sleep after losing the OOM lock.
        case allocatorBackoff(until: Int, reason: String)
        /// balance_dirty_pages(): a writer paused because too much of memory
        /// is dirty, until the flushers catch up (TASK_KILLABLE).
        case dirtyThrottle(until: Int)
        /// do_swap_page(): waiting, killable, for the disk to read swapped
        /// pages back (folio_lock_or_retry; 4.0 lock_page_or_retry).
        case swapIn(until: Int)
        /// exit_mm(): down_read(mmap_lock) on the way out (mmap_read_lock in 6.x).
        case exitMmapLock(name: String)
        /// mem_cgroup_handle_over_high(): the task's cgroup stayed above
        /// memory.high after reclaim, so it sleeps the penalty
        /// (schedule_timeout_killable, a memory stall) on its way back to
        /// user space. docs/memcg.md §5.
        case memcgHigh(until: Int)

        /// The lock waited for and the mode it is wanted in.
        public var lockWanted: (name: String, mode: LockMode)? {
            switch self {
            case .lock(let name, _, let mode): return (name, mode)
            case .exitMmapLock(let name): return (name, .read)
            default: return nil
            }
        }

        /// Sleeps that are part of trying to allocate (PSI memstall).
        public var isMemoryStall: Bool {
            switch self {
            case .congestionWait, .allocatorBackoff, .memcgHigh: return true
            // swap_read_folio() enters a memstall for a workingset refault (6.13).
            case .swapIn: return true
            default: return false
            }
        }

        /// TASK_UNINTERRUPTIBLE waits: SIGKILL does not end them and khungtaskd watches them.
        public var isUninterruptible: Bool {
            switch self {
            case .lock(_, let killable, _): return !killable
            case .sleep, .dirtyThrottle, .swapIn, .memcgHigh: return false
            case .congestionWait, .allocatorBackoff, .exitMmapLock: return true
            }
        }
    }

    /// An allocation being made, possibly over many ticks.
    public struct AllocationProgress: Equatable, Sendable {
        public var spec: AllocSpec
        /// Where the pages go; a transaction's reservation fills the pool.
        var charge: Charge
        public internal(set) var remaining: Int
        /// Rounds of the slow path that got nothing (the task's "try" count).
        public internal(set) var tries: Int
        /// Consecutive rounds without reclaim progress (should_reclaim_retry, modern).
        var noProgressLoops: Int
        /// Pages direct reclaim has freed for this request (4.0 __GFP_REPEAT rule).
        var pagesReclaimed: Int
        public internal(set) var startedTick: Int
        /// Tick of the last round that got pages (or the start).
        public internal(set) var lastGrantTick: Int
        /// What the last slow-path round did, for the task list and explain.
        public internal(set) var lastRound: SlowpathOutcome?
        /// The last round got nothing: the allocator is looping for this
        /// request (and the task cannot act on a fatal signal).
        public internal(set) var looping = false
        /// try_charge_memcg's loop for this request (Kernel+MemcgCharge.swift).
        var memcgLoop = MemcgChargeLoop()
    }

    /// The locals of try_charge_memcg that outlive one tick: the retries
    /// left, whether the (model's empty) per-CPU stocks were drained, and
    /// whether the memcg OOM killer was passed already. docs/memcg.md §2.
    /// try_charge_memcg, mm/memcontrol.c (4.0: try_charge).
    struct MemcgChargeLoop: Equatable, Sendable {
        /// nr_retries; -1 before the first reclaim of this charge.
        var retriesLeft: Int32 = -1
        var drained = false
        var passedOOM = false
    }

    enum Charge: Equatable, Sendable {
        case target(AllocTarget)
        case reservation
        /// Pages faulted back in from swap by a `touch` op.
        case swapIn
    }

    /// A `touch` op under way.
    public struct TouchProgress: Equatable, Sendable {
        public internal(set) var left: Int
        public internal(set) var faulted: Int
    }

    /// What one round of the slow path ended in, in the kernel's terms.
    public enum SlowpathOutcome: String, Equatable, Sendable {
        case fastPath = "get_page_from_freelist"
        case reclaimRetry = "should_alloc_retry: retry"
        /// 4.0 direct reclaim slept in wait_iff_congested(HZ/10): the zone is
        /// ZONE_CONGESTED and the device congested (shrink_inactive_list).
        case reclaimCongested = "shrink_inactive_list: wait_iff_congested"
        /// should_reclaim_retry() said retry (>= 4.7).
        case reclaimRetryModern = "should_reclaim_retry: retry"
        /// Direct reclaim got nothing and slept a jiffy in
        /// reclaim_throttle(VMSCAN_THROTTLE_NOPROGRESS) (>= 5.16).
        case reclaimThrottled = "reclaim_throttle: VMSCAN_THROTTLE_NOPROGRESS"
        case oomSkippedNoFS = "__alloc_pages_may_oom: !__GFP_FS, no OOM kill"
        case oomLockContended = "oom lock contended"
        case oomAborted = "out_of_memory: victim pending, abort"
        case oomKilled = "out_of_memory: killed a task"
        case oomDeferredToKswapd = "OOM left to kswapd"
        case failed = "page allocation failure"
        /// The charge went over a memory cgroup's memory.max and reclaimed in
        /// it (try_to_free_mem_cgroup_pages); try_charge_memcg retries.
        case memcgReclaim = "try_charge_memcg: memcg reclaim, retry"
        /// The memcg OOM killer found nothing to kill in the cgroup.
        case memcgNoKillable = "mem_cgroup_out_of_memory: nothing killable"
        /// v1 oom_kill_disable: the faulting task waits on the memcg OOM wait queue.
        case memcgOOMWait = "mem_cgroup_oom_synchronize: oom_kill_disable, waiting"
        /// The charge failed with -ENOMEM (the caller's write() or kernel allocation fails).
        case memcgNoMem = "try_charge_memcg: -ENOMEM"
    }
}
