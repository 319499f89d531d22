/// The program interpreter: what each task does on its turn in a tick.
extension Kernel {
    /// Instantaneous ops (lock, unlock, free, loop control) a task may run in
    /// one turn before it yields, so that `repeat forever` over them cannot hang a tick.
    static let opsPerTurn = 32

    mutating func runTask(_ i: Int) {
        switch tasks[i].state {
        case .dead:
            return
        case .new:
            // A task that has not started its program still exists (it has
            // its memory); SIGKILL starts it so that it can die.
            guard tick >= tasks[i].startTick || tasks[i].sigkill else { return }
            tasks[i].state = .running
            tasks[i].frames = [Frame(ops: tasks[i].program, index: 0, remaining: 1, isTransaction: false)]
            tasks[i].lastSwitchTick = tick
        case .sleeping, .blocked:
            wakeIfTimedOut(i)
        case .running, .exiting:
            break
        }
        tasks[i].inDirectReclaim = false
        let state = tasks[i].state
        if state == .blocked || state == .sleeping {
            stats.blocked += state == .blocked ? 1 : 0
            if tasks[i].wait?.isMemoryStall == true { stats.memstalled += 1; stats.nonIdle += 1 }
            return
        }
        tasks[i].lastSwitchTick = tick
        if state == .exiting {
            finishExit(i)
            return
        }
        if tasks[i].sigkill && canActOnSignal(i) {
            beginExit(i)
            return
        }
        stats.nonIdle += 1
        if tasks[i].busyUntil > tick { return }
        var budget = Kernel.opsPerTurn
        while budget > 0 {
            budget -= 1
            if tasks[i].sigkill && canActOnSignal(i) {
                // Back in user space with SIGKILL pending (and an interruptible
                // sleep with a fatal signal pending returns at once).
                beginExit(i)
                return
            }
            guard let op = currentOp(i) else {
                beginExit(i)
                return
            }
            switch execute(op, task: i) {
            case .next:
                advance(i)
            case .yield:
                if tasks[i].inDirectReclaim || tasks[i].wait?.isMemoryStall == true { stats.memstalled += 1 }
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

    mutating func execute(_ op: Op, task i: Int) -> StepResult {
        switch op {
        case .alloc(let spec):
            return allocOp(i, spec: spec, charge: .target(spec.target))
        case .free(let pages, let source):
            freeOp(i, pages: pages, from: source)
            return .next
        case .touch(let pages, let rate):
            return touchOp(i, pages: pages, rate: rate)
        case .lock(let name, let wait, let mode):
            return lockOp(i, name: name, killable: wait == .killable, mode: mode) ? .next : .yield
        case .unlock(let name):
            lockRelease(i, name: name)
            return .next
        case .sleep(let ticks):
            guard ticks > 0 else { return .next }
            advance(i)
            block(i, .sleep(until: tick + ticks), state: .sleeping)
            return .yield
        case .compute(let ticks):
            guard ticks > 0 else { return .next }
            advance(i)
            tasks[i].busyUntil = tick + ticks
            return .yield
        case .transaction(let reserve, let body):
            if policy.reservations && reserve > 0 {
                if tasks[i].allocation == nil && tasks[i].reserved >= reserve {
                    // Reservation granted earlier this transaction: run the body.
                    pushFrame(i, ops: body, remaining: 1, transaction: true)
                    return .entered
                }
                let spec = AllocSpec(pages: reserve - tasks[i].reserved, order: 0, gfp: .kernel,
                                     target: .kernel, retry: .allocator, ratePerTick: reserve)
                let r = allocOp(i, spec: spec, charge: .reservation)
                if r == .next {
                    pushFrame(i, ops: body, remaining: 1, transaction: true)
                    return .yield
                }
                return r
            }
            if case .reservation? = tasks[i].allocation?.charge {
                // Reservations were switched off mid-way: keep what was
                // reserved (it returns at commit) and run the body now.
                tasks[i].allocation = nil
            }
            pushFrame(i, ops: body, remaining: 1, transaction: true)
            return .entered
        case .repeat(let count, let body):
            if count == 0 || body.isEmpty { return .next }
            pushFrame(i, ops: body, remaining: count, transaction: false)
            return .entered
        case .exit:
            beginExit(i)
            return .yield
        }
    }

    /// The op at the task's program counter, popping finished frames; nil
    /// when the program has ended.
    /// Reads the frame in place: binding `frames.last` to a local would
    /// retain its ops array for every op run (the hot path of a tick).
    mutating func currentOp(_ i: Int) -> Op? {
        while !tasks[i].frames.isEmpty {
            let last = tasks[i].frames.count - 1
            let index = tasks[i].frames[last].index
            if index < tasks[i].frames[last].ops.count { return tasks[i].frames[last].ops[index] }
            let remaining = tasks[i].frames[last].remaining
            if let remaining, remaining <= 1 {
                let isTransaction = tasks[i].frames[last].isTransaction
                tasks[i].frames.removeLast()
                if isTransaction { commitTransaction(i) }
                if tasks[i].frames.isEmpty { return nil }
                advance(i)
            } else {
                if let remaining { tasks[i].frames[last].remaining = remaining - 1 }
                tasks[i].frames[last].index = 0
                return tasks[i].frames[last].ops[0]
            }
        }
        return nil
    }

    mutating func advance(_ i: Int) {
        guard !tasks[i].frames.isEmpty else { return }
        tasks[i].frames[tasks[i].frames.count - 1].index += 1
    }

    mutating func pushFrame(_ i: Int, ops: [Op], remaining: Int?, transaction: Bool) {
        tasks[i].frames.append(Frame(ops: ops, index: 0, remaining: remaining, isTransaction: transaction))
    }

    /// Commit: what is left of the reservation goes back to the free pages.
    mutating func commitTransaction(_ i: Int) {
        let left = tasks[i].reserved
        guard left > 0 else { return }
        tasks[i].reserved = 0
        memory.reservationPool -= left
        freePages(left)
    }

    func isInTransaction(_ i: Int) -> Bool {
        tasks[i].frames.contains(where: { $0.isTransaction })
    }

    mutating func freeOp(_ i: Int, pages: Int?, from source: FreeSource) {
        switch source {
        case .anon:
            let n = Swift.min(pages ?? tasks[i].anon, tasks[i].anon)
            guard n > 0 else { return }
            tasks[i].anon -= n
            memory.anon -= n
            freePages(n)
        case .kernel:
            let n = Swift.min(pages ?? tasks[i].kernelPages, tasks[i].kernelPages)
            guard n > 0 else { return }
            tasks[i].kernelPages -= n
            memory.slabUnreclaimable -= n
            freePages(n)
        }
    }

    /// Pages returned to the buddy allocator. Freeing resets the zone's
    /// pages_scanned (4.0 free_one_page/free_pcppages_bulk), the count that
    /// zone_reclaimable() compares against.
    mutating func freePages(_ n: Int) {
        guard n > 0 else { return }
        memory.free += n
        pagesScanned = 0
    }

    /// Puts a task to sleep on a wait.
    mutating func block(_ i: Int, _ wait: Wait, state: Task.State = .blocked) {
        tasks[i].wait = wait
        tasks[i].state = state
        tasks[i].waitingSince = tick
    }

    mutating func wake(_ i: Int) {
        touch(i)
        tasks[i].wait = nil
        if tasks[i].state == .blocked || tasks[i].state == .sleeping { tasks[i].state = .running }
        tasks[i].lastSwitchTick = tick
    }

    mutating func wakeIfTimedOut(_ i: Int) {
        switch tasks[i].wait {
        case .sleep(let until), .congestionWait(let until), .allocatorBackoff(let until, _), .dirtyThrottle(let until),
             .swapIn(let until):
            if tick >= until { wake(i) }
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
    func canActOnSignal(_ i: Int) -> Bool {
        guard tasks[i].heldLocks.isEmpty else { return false }
        guard let a = tasks[i].allocation else { return true }
        return a.spec.retry != .kmemAlloc && !a.looping
    }
}
