/// The program interpreter: what each task does on its turn in a tick.
extension Kernel {
    /// Instantaneous ops (lock, unlock, free, loop control) a task may run in
    /// one turn before it yields, so that `repeat forever` over them cannot hang a tick.
    static let opsPerTurn = 32

    mutating func runTask(_ i: Int) {
        switch taskTable.tasks[i].state {
        case .dead:
            return
        case .new:
            // A task that has not started its program still exists (it has
            // its memory); SIGKILL starts it so that it can die.
            guard tick >= taskTable.tasks[i].startTick || taskTable.tasks[i].sigkill else { return }
            taskTable.tasks[i].state = .running
            taskTable.tasks[i].frames = FrameStack([taskTable.programs.mainFrame(of: taskTable.tasks[i].programID)])
            taskTable.tasks[i].lastSwitchTick = tick
        case .sleeping, .blocked:
            wakeIfTimedOut(i)
        case .running, .exiting:
            break
        }
        // Written only when set: a store is a uniqueness check of the task array.
        if taskTable.tasks[i].inDirectReclaim { taskTable.tasks[i].inDirectReclaim = false }
        let state = taskTable.tasks[i].state
        if state == .blocked || state == .sleeping {
            stats.blocked += state == .blocked ? 1 : 0
            if taskTable.tasks[i].wait?.isMemoryStall == true {
                stats.memstalled += 1
                stats.nonIdle += 1
                if !memcg.tickCounts.isEmpty { memcg.countPressure(taskTable.tasks[i].cgroup, memstalled: 1, nonIdle: 1) }
            }
            return
        }
        taskTable.tasks[i].lastSwitchTick = tick
        if state == .exiting {
            exitMM(i)
            return
        }
        if taskTable.tasks[i].sigkill && canActOnSignal(i) {
            doExit(i)
            return
        }
        stats.nonIdle += 1
        if !memcg.tickCounts.isEmpty { memcg.countPressure(taskTable.tasks[i].cgroup, memstalled: 0, nonIdle: 1) }
        if taskTable.tasks[i].busyUntil > tick { return }
        var budget = Kernel.opsPerTurn
        while budget > 0 {
            budget -= 1
            if taskTable.tasks[i].sigkill && canActOnSignal(i) {
                // Back in user space with SIGKILL pending (and an interruptible
                // sleep with a fatal signal pending returns at once).
                doExit(i)
                return
            }
            guard let pc = currentPC(i) else {
                doExit(i)
                return
            }
            switch execute(pc: pc, task: i) {
            case .next:
                advance(i)
            case .yield:
                if taskTable.tasks[i].inDirectReclaim || taskTable.tasks[i].wait?.isMemoryStall == true {
                    stats.memstalled += 1
                    if !memcg.tickCounts.isEmpty { memcg.countPressure(taskTable.tasks[i].cgroup, memstalled: 1, nonIdle: 0) }
                }
                return
            case .entered:
                continue
            }
        }
    }

    enum StepResult {
        /// The op finished; go on to the next one in this turn.
        case next
        /// The op took this tick (or blocked); stop here.
        case yield
        /// The op pushed a frame (repeat, transaction); go on inside it.
        case entered
    }

    /// Runs the instruction at `pc` (CompiledProgram.swift) for task i, the
    /// pc of its innermost frame; the instruction is read in place, a plain value.
    mutating func execute(pc: Int32, task i: Int) -> StepResult {
        switch taskTable.programs.code[Int(pc)] {
        case .alloc(let s):
            let spec = taskTable.programs.allocs[Int(s)]
            return allocOp(i, spec: spec, charge: .target(spec.target))
        case .free(let pages, let kernel):
            freeOp(i, pages: pages, from: kernel ? .kernel : .anon)
            return .next
        case .touch(let pages, let rate):
            return touchOp(i, pages: pages, rate: rate)
        case .lock(let n, let killable, let mode):
            return lockOp(i, name: taskTable.programs.names[Int(n)], killable: killable, mode: mode) ? .next : .yield
        case .unlock(let n):
            lockRelease(i, name: taskTable.programs.names[Int(n)])
            return .next
        case .sleep(let ticks):
            guard ticks > 0 else { return .next }
            advance(i)
            block(i, .sleep(until: tick + ticks), state: .sleeping)
            return .yield
        case .compute(let ticks):
            guard ticks > 0 else { return .next }
            advance(i)
            taskTable.tasks[i].busyUntil = tick + ticks
            return .yield
        case .transaction(let reserve, let end):
            let body = (taskTable.tasks[i].frames.top.program, pc + 1, end)
            if policy.reservations && reserve > 0 {
                if taskTable.tasks[i].allocation == nil && taskTable.tasks[i].reserved >= reserve {
                    // Reservation granted earlier this transaction: run the body.
                    pushFrame(i, body, remaining: 1, transaction: true)
                    return .entered
                }
                // Taken in the transaction's NOFS context: 4.0 xfs_trans_reserve
                // sets PF_FSTRANS first, which kmem_flags_convert turns into
                // !__GFP_FS (6.13: memalloc_nofs_save in xfs_trans_alloc), so
                // the reservation reclaims without the fs and never invokes
                // the OOM killer. xfs_trans_reserve, fs/xfs/xfs_trans.c (v4.0).
                let spec = AllocSpec(pages: reserve - taskTable.tasks[i].reserved, order: 0, gfp: .nofs,
                                     target: .kernel, retry: .allocator, ratePerTick: reserve)
                let r = allocOp(i, spec: spec, charge: .reservation)
                if r == .next {
                    pushFrame(i, body, remaining: 1, transaction: true)
                    return .yield
                }
                return r
            }
            if case .reservation? = taskTable.tasks[i].allocation?.charge {
                // Reservations were switched off mid-way: keep what was
                // reserved (it returns at commit) and run the body now.
                taskTable.tasks[i].allocation = nil
            }
            pushFrame(i, body, remaining: 1, transaction: true)
            return .entered
        case .repeat(let count, let end):
            if count == 0 || end == pc + 1 { return .next }
            pushFrame(i, (taskTable.tasks[i].frames.top.program, pc + 1, end), remaining: count, transaction: false)
            return .entered
        case .exit:
            doExit(i)
            return .yield
        }
    }

    /// The task's program counter, popping finished frames; nil when the
    /// program has ended.
    mutating func currentPC(_ i: Int) -> Int32? {
        while !taskTable.tasks[i].frames.isEmpty {
            let f = taskTable.tasks[i].frames.top
            if f.pc < f.end { return f.pc }
            if let remaining = f.remaining, remaining <= 1 {
                taskTable.tasks[i].frames.pop()
                if f.isTransaction { commitTransaction(i) }
                if taskTable.tasks[i].frames.isEmpty { return nil }
                advance(i)
            } else {
                if let remaining = f.remaining { taskTable.tasks[i].frames.top.remaining = remaining - 1 }
                taskTable.tasks[i].frames.top.pc = f.start
                return f.start
            }
        }
        return nil
    }

    /// Moves the innermost frame past the instruction at its pc (past the
    /// whole body of a repeat or transaction).
    mutating func advance(_ i: Int) {
        guard !taskTable.tasks[i].frames.isEmpty else { return }
        let f = taskTable.tasks[i].frames.top
        taskTable.tasks[i].frames.top.pc = f.pc < f.end ? taskTable.programs.code[Int(f.pc)].next(after: f.pc) : f.pc + 1
    }

    /// Enters a body: instructions start..<end of `programs.code`, in program `program`.
    mutating func pushFrame(_ i: Int, _ body: (program: Int32, start: Int32, end: Int32), remaining: Int?, transaction: Bool) {
        taskTable.tasks[i].frames.push(Frame(program: body.program, start: body.start, end: body.end, pc: body.start,
                                   remaining: remaining, isTransaction: transaction))
    }

    /// Runs `ops` next (a user action's inserted op), compiled as a program of its own.
    mutating func pushFrame(_ i: Int, ops: [Op], remaining: Int?, transaction: Bool) {
        let p = taskTable.programs.intern(ops)
        let compiled = taskTable.programs.list[Int(p)]
        pushFrame(i, (p, compiled.start, compiled.end), remaining: remaining, transaction: transaction)
    }

    /// Commit: what is left of the reservation goes back to the free pages.
    mutating func commitTransaction(_ i: Int) {
        let left = taskTable.tasks[i].reserved
        guard left > 0 else { return }
        taskTable.tasks[i].reserved = 0
        zone.counters.reservationPool -= left
        freePages(left)
    }

    @inline(__always)
    func isInTransaction(_ i: Int) -> Bool {
        taskTable.tasks[i].frames.contains(where: { $0.isTransaction })
    }

    mutating func freeOp(_ i: Int, pages: Int?, from source: FreeSource) {
        switch source {
        case .anon:
            // munmap of the process's memory: the mm's, on its owner's entry.
            let mm = taskTable.mmOwner(i)
            let n = Swift.min(pages ?? taskTable.tasks[mm].anon, taskTable.tasks[mm].anon)
            guard n > 0 else { return }
            taskTable.tasks[mm].anon -= n
            zone.counters.anon -= n
            freePages(n)
            memcgUnchargeAnon(i, n)
        case .kernel:
            let n = Swift.min(pages ?? taskTable.tasks[i].kernelPages, taskTable.tasks[i].kernelPages)
            guard n > 0 else { return }
            taskTable.tasks[i].kernelPages -= n
            zone.counters.slabUnreclaimable -= n
            freePages(n)
        }
    }

    /// Pages returned to the buddy allocator. Freeing resets the zone's
    /// pages_scanned (4.0 free_one_page/free_pcppages_bulk), the count that
    /// zone_reclaimable() compares against.
    /// free_one_page / free_pcppages_bulk, mm/page_alloc.c (v4.0).
    mutating func freePages(_ n: Int) {
        guard n > 0 else { return }
        zone.counters.free += n
        zone.pagesScanned = 0
    }

    /// Puts a task to sleep on a wait.
    /// set_current_state and schedule(), kernel/sched/core.c.
    mutating func block(_ i: Int, _ wait: Wait, state: Task.State = .blocked) {
        taskTable.tasks[i].wait = wait
        taskTable.tasks[i].state = state
        taskTable.tasks[i].waitingSince = tick
    }

    /// Wakes a sleeping task: wake_up_process / try_to_wake_up, kernel/sched/core.c.
    mutating func wake(_ i: Int) {
        touch(i)
        wakeInTurn(i)
    }

    /// The wake itself, for a task whose turn it is (its timed wait ran
    /// out): it is due already and its entry is recomputed after the turn,
    /// so the run queue has nothing to do.
    mutating func wakeInTurn(_ i: Int) {
        taskTable.tasks[i].wait = nil
        if taskTable.tasks[i].state == .blocked || taskTable.tasks[i].state == .sleeping { taskTable.tasks[i].state = .running }
        taskTable.tasks[i].lastSwitchTick = tick
    }

    /// In task i's turn (runTask): ends a timed wait whose tick has come.
    mutating func wakeIfTimedOut(_ i: Int) {
        switch taskTable.tasks[i].wait {
        case .sleep(let until), .congestionWait(let until), .allocatorBackoff(let until, _), .dirtyThrottle(let until),
             .swapIn(let until), .memcgHigh(let until):
            if tick >= until { wakeInTurn(i) }
        default:
            break
        }
    }

    /// A fatal signal is acted on when the task returns to user space: not
    /// while it holds a kernel lock (it finishes that section first), not
    /// inside XFS's kmem_alloc loop, which never checks for signals, and not
    /// while the page allocator is looping for its current request: neither
    /// era's __alloc_pages_slowpath checks fatal_signal_pending. A dying task
    /// leaves the allocator only when the request ends: served, or failed
    /// after out_of_memory() marked it (the "current is dying" shortcut, then
    /// 4.0's "victims don't loop" / 6.13's ALLOC_OOM try). A 4.0 GFP_NOFS
    /// request never reaches that shortcut (__alloc_pages_may_oom bails out
    /// for !__GFP_FS first), so a killed NOFS looper without TIF_MEMDIE loops
    /// on. Between two granted chunks of a long request the task is between
    /// page faults, and acts on the signal.
    /// __alloc_pages_slowpath, mm/page_alloc.c; out_of_memory, mm/oom_kill.c.
    @inline(__always)
    func canActOnSignal(_ i: Int) -> Bool {
        guard taskTable.tasks[i].heldLocks.isEmpty else { return false }
        guard let a = taskTable.tasks[i].allocation else { return true }
        return a.spec.retry != .kmemAlloc && !a.looping
    }
}
