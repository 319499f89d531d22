/// What a user can do to a running kernel between ticks (the TUI's keys,
/// the CLI's --set). Every change is logged, so a trace shows it.
extension Kernel {
    public enum ActionError: Error, Equatable, CustomStringConvertible {
        case duplicatePid(Int)
        case noSuchTask(Int)
        case badValue(String)
        public var description: String {
            switch self {
            case .duplicatePid(let p): return "pid \(p) is already in use"
            case .noSuchTask(let p): return "no task with pid \(p)"
            case .badValue(let m): return m
            }
        }
    }

    /// Flips one policy switch, with the meaning `--set KEY=VALUE` has: the
    /// value becomes explicit, and changing the era re-derives every switch
    /// not set explicitly from the new era's defaults (so `E` to modern turns
    /// the reaper on, as `--set era=modern` does). Changing the era also
    /// recomputes the watermarks (and min_free_kbytes, unless the scenario
    /// set it). Every switch that changes is logged.
    public mutating func setPolicy(_ key: PolicyKey, _ text: String) throws {
        var spec = policySpec
        do { try spec.set(key, text) } catch {
            throw ActionError.badValue("\(key.rawValue) takes \(key.allowedValues), not '\(text)'")
        }
        let before = policy
        policySpec = spec
        policy = spec.resolved
        if policy.era != before.era {
            let managed = zone.counters.managed
            zone.minFreeKbytes = machine.minFreeKbytes
                ?? Watermarks.calculateMinFreeKbytes(lowmemKbytes: Units.kb(pages: managed), era: policy.era)
            zone.watermarks = Watermarks.setupPerZoneWmarks(minFreeKbytes: zone.minFreeKbytes, managed: managed, lowmemManaged: managed,
                                                 era: policy.era, watermarkScaleFactor: machine.watermarkScaleFactor)
        }
        if policy.oomReaper && !before.oomReaper {
            for pid in oom.liveVictims { queueOOMReaper(pid) }
        }
        for k in PolicyKey.allCases where before.value(of: k) != policy.value(of: k) {
            let why = k != key && spec.explicit[k] == nil ? " (the \(policy.era.rawValue) default)" : ""
            logAction("oomlab: policy \(k.rawValue): \(before.value(of: k)) -> \(policy.value(of: k))\(why)")
        }
    }

    /// Adds a task; it starts at its start tick (or the next tick).
    public mutating func addTask(_ spec: TaskSpec) throws {
        guard taskTable.pidIndex[spec.pid] == nil else { throw ActionError.duplicatePid(spec.pid) }
        guard spec.anonPages + spec.swapPages + Kernel.pageTablePages(mapped: spec.anonPages) <= zone.counters.free else {
            throw ActionError.badValue("not enough free memory for \(spec.anonPages) pages of initial rss")
        }
        try checkCgroupRoom(for: spec)
        // A thread joins its process's mm, charged to the process's memory
        // cgroup (get_mem_cgroup_from_mm, mm/memcontrol.c).
        if let tgid = spec.tgid, tgid != spec.pid, let leader = taskTable.pidIndex[tgid],
           cgroupPath(of: taskTable.tasks[leader]) != spec.cgroup {
            throw ActionError.badValue("task \(spec.pid) is a thread of \(tgid), which is in cgroup "
                                       + "\(cgroupPath(of: taskTable.tasks[leader])), not \(spec.cgroup)")
        }
        var spec = spec
        spec.startTick = Swift.max(spec.startTick, tick + 1)
        let swapRoom = zone.counters.swapFree
        spec.swapPages = Swift.min(spec.swapPages, swapRoom)
        // The pages the new task brings (a thread's join its process's mm).
        let before = zone.counters.anon + zone.counters.pageTables
        insertTask(spec)
        zone.counters.free -= zone.counters.anon + zone.counters.pageTables - before
        logAction("oomlab: added task \(spec.name)[\(spec.pid)]")
    }

    public mutating func addLock(_ name: String) throws {
        guard !name.trimmedLowercase.isEmpty else { throw ActionError.badValue("a lock needs a name") }
        guard lockTable.lockIndex[name] == nil else { throw ActionError.badValue("lock \(name) already exists") }
        _ = ensureLock(name)
        logAction("oomlab: added lock \(name)")
    }

    /// kill -9 from user space: the simulated SIGKILL, so a task in an
    /// uninterruptible wait does not die yet.
    /// kill(2): kill_pid_info / do_send_sig_info, kernel/signal.c.
    public mutating func kill(pid: Int) throws {
        guard let i = taskTable.pidIndex[pid], taskTable.tasks[i].isAlive else { throw ActionError.noSuchTask(pid) }
        sendSIGKILL(i)
        logAction("oomlab: SIGKILL sent to \(taskTable.tasks[i].name)[\(pid)] by the user")
    }

    /// oom_score_adj_write / __set_oom_adj, fs/proc/base.c.
    public mutating func setOOMScoreAdj(pid: Int, _ adj: Int) throws {
        guard let i = taskTable.pidIndex[pid], taskTable.tasks[i].isAlive else { throw ActionError.noSuchTask(pid) }
        guard (OOMScoreAdj.min...OOMScoreAdj.max).contains(adj) else {
            throw ActionError.badValue("oom_score_adj must be between -1000 and 1000")
        }
        taskTable.tasks[i].oomScoreAdj = adj
        logAction("oomlab: \(taskTable.tasks[i].name)[\(pid)] oom_score_adj = \(adj)")
    }

    /// Makes a task take a lock next, before going on with its program.
    public mutating func takeLock(pid: Int, lock name: String, wait: LockWait = .uninterruptible) throws {
        guard let i = taskTable.pidIndex[pid], taskTable.tasks[i].isAlive, taskTable.tasks[i].state != .new else { throw ActionError.noSuchTask(pid) }
        guard lockTable.lockIndex[name] != nil else { throw ActionError.badValue("no lock named \(name)") }
        guard taskTable.tasks[i].state != .exiting else { throw ActionError.badValue("\(taskTable.tasks[i].name) is exiting") }
        pushFrame(i, ops: [.lock(name: name, wait: wait)], remaining: 1, transaction: false)
        touch(i)
        logAction("oomlab: \(taskTable.tasks[i].name)[\(pid)] will take \(name)")
    }

    /// Makes a task release a lock it holds, now.
    public mutating func releaseLock(pid: Int, lock name: String) throws {
        guard let i = taskTable.pidIndex[pid], taskTable.tasks[i].isAlive else { throw ActionError.noSuchTask(pid) }
        guard taskTable.tasks[i].heldLocks.contains(name) else { throw ActionError.badValue("\(taskTable.tasks[i].name) does not hold \(name)") }
        lockRelease(i, name: name)
        logAction("oomlab: \(taskTable.tasks[i].name)[\(pid)] released \(name)")
    }

    /// A user action's log line, stamped with the current tick. An action
    /// can end a diagnosis (releasing a lock breaks a cycle), so the outcome
    /// is brought up to date at once rather than at the next step.
    mutating func logAction(_ text: String) {
        if printk.firstUserActionTick == nil { printk.firstUserActionTick = tick }
        let e = Event(tick: tick, text: text, kind: .user)
        appendRecent([e])
        printk.pendingUser.append(e)
        updateOutcome()
    }

    /// The next free pid at or above `from`.
    public func nextFreePid(from: Int = 100) -> Int {
        var p = from
        while taskTable.pidIndex[p] != nil { p += 1 }
        return p
    }
}
