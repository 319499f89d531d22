/// A task as bytes, for keyframes: a `Kernel.Task` is about 370 bytes plus its
/// frames' buffers, and a 1,000-task keyframe of them costs half a megabyte;
/// encoded (ticks relative to the keyframe's tick, names and programs by
/// number) it is about 60 bytes a task. Decoding gives back an equal task
/// (the property tests compare whole kernels).
///
/// Every stored property of `Kernel.Task` is written and read here, in the
/// same order; decoding calls the memberwise initializers, so a new property
/// without a default does not compile until it is coded here. One with a
/// default compiles and is lost: the seek-equals-stepping property tests
/// (whole-kernel equality) catch that, as they caught `looping`.
extension Kernel.Task {
    func encode(_ w: inout ByteWriter, _ table: inout KeyframeInterner, now: Int) {
        w.int(pid)
        w.int(tgid &- pid)
        w.optional(parent)
        w.int(table.string(name))
        w.int(uid)
        w.int(oomScoreAdj)
        w.bool(kthread)
        w.int(anon)
        w.int(swapEntries)
        w.int(pageTables)
        w.int(kernelPages)
        w.int(reserved)
        w.optional(mmapLock.map { table.string($0) })
        w.int(cgroup)
        w.int(table.string(state.rawValue))
        encode(wait, &w, &table, now: now)
        w.int(now &- waitingSince)
        w.int(now &- lastSwitchTick)
        w.bool(sigkill)
        w.bool(memdie)
        w.optional(victimSince.map { now &- $0 })
        w.bool(victimTimedOut)
        w.bool(oomSkip)
        w.bool(inDirectReclaim)
        w.int(Int(programID))
        w.int(frames.count)
        for f in frames.all {
            w.int(Int(f.program))
            w.int(Int(f.start))
            w.int(Int(f.end))
            w.int(Int(f.pc))
            w.optional(f.remaining)
            w.bool(f.isTransaction)
        }
        w.bool(allocation != nil)
        if let a = allocation { encode(a, &w, &table, now: now) }
        w.optional(touch?.left)
        w.int(touch?.faulted ?? 0)
        w.int(heldLocks.count)
        for l in heldLocks { w.int(table.string(l)) }
        w.int(startTick)
        w.int(busyUntil &- now)
    }

    private func encode(_ wait: Kernel.Wait?, _ w: inout ByteWriter, _ table: inout KeyframeInterner, now: Int) {
        switch wait {
        case nil: w.int(0)
        case .lock(let name, let killable, let mode):
            w.int(1)
            w.int(table.string(name))
            w.bool(killable)
            w.bool(mode == .read)
        case .sleep(let until):
            w.int(2)
            w.int(until &- now)
        case .congestionWait(let until):
            w.int(3)
            w.int(until &- now)
        case .allocatorBackoff(let until, let reason):
            w.int(4)
            w.int(until &- now)
            w.int(table.string(reason))
        case .dirtyThrottle(let until):
            w.int(5)
            w.int(until &- now)
        case .exitMmapLock(let name):
            w.int(6)
            w.int(table.string(name))
        case .swapIn(let until):
            w.int(7)
            w.int(until &- now)
        case .memcgHigh(let until):
            w.int(8)
            w.int(until &- now)
        }
    }

    private func encode(_ a: Kernel.AllocationProgress, _ w: inout ByteWriter, _ table: inout KeyframeInterner, now: Int) {
        w.int(a.spec.pages)
        w.int(a.spec.order)
        w.int(Int(a.spec.gfp.rawValue))
        w.int(table.string(a.spec.target.rawValue))
        w.int(table.string(a.spec.retry.rawValue))
        w.int(a.spec.ratePerTick)
        switch a.charge {
        case .reservation: w.int(-1)
        case .swapIn: w.int(-2)
        case .target(let t): w.int(table.string(t.rawValue))
        }
        w.int(a.remaining)
        w.int(a.tries)
        w.int(a.noProgressLoops)
        w.int(a.pagesReclaimed)
        w.int(now &- a.startedTick)
        w.int(now &- a.lastGrantTick)
        w.optional(a.lastRound.map { table.string($0.rawValue) })
        w.int(a.looping ? 1 : 0)
        w.int(Int(a.memcgLoop.retriesLeft))
        w.int((a.memcgLoop.drained ? 1 : 0) | (a.memcgLoop.passedOOM ? 2 : 0))
    }

    static func decode(_ r: inout ByteReader, _ table: KeyframeInterner, now: Int) -> Kernel.Task {
        let pid = r.int()
        let tgid = r.int() &+ pid
        let parent = r.optional()
        let name = table.strings[r.int()]
        let uid = r.int()
        let oomScoreAdj = r.int()
        let kthread = r.bool()
        let anon = r.int(), swapEntries = r.int(), pageTables = r.int(), kernelPages = r.int(), reserved = r.int()
        let mmapLock = r.optional().map { table.strings[$0] }
        let cgroup = r.int()
        let state = State(rawValue: table.strings[r.int()]) ?? .dead
        let wait = decodeWait(&r, table, now: now)
        let waitingSince = now &- r.int()
        let lastSwitchTick = now &- r.int()
        let sigkill = r.bool(), memdie = r.bool()
        let victimSince = r.optional().map { now &- $0 }
        let victimTimedOut = r.bool(), oomSkip = r.bool(), inDirectReclaim = r.bool()
        let programID = Int32(truncatingIfNeeded: r.int())
        var frames: [Kernel.Frame] = []
        let frameCount = r.int()
        frames.reserveCapacity(frameCount)
        for _ in 0..<frameCount {
            let program = Int32(truncatingIfNeeded: r.int())
            let start = Int32(truncatingIfNeeded: r.int())
            let end = Int32(truncatingIfNeeded: r.int())
            let pc = Int32(truncatingIfNeeded: r.int())
            let remaining = r.optional()
            frames.append(Kernel.Frame(program: program, start: start, end: end, pc: pc,
                                       remaining: remaining, isTransaction: r.bool()))
        }
        let allocation = r.bool() ? decodeAllocation(&r, table, now: now) : nil
        let touchLeft = r.optional()
        let faulted = r.int()
        let touch = touchLeft.map { Kernel.TouchProgress(left: $0, faulted: faulted) }
        var heldLocks: [String] = []
        for _ in 0..<r.int() { heldLocks.append(table.strings[r.int()]) }
        let startTick = r.int()
        let busyUntil = r.int() &+ now
        return Kernel.Task(
            pid: pid, tgid: tgid, name: name, uid: uid,
            anon: anon, swapEntries: swapEntries, pageTables: pageTables, kernelPages: kernelPages, reserved: reserved,
            mmapLock: mmapLock, cgroup: cgroup, wait: wait, waitingSince: waitingSince, lastSwitchTick: lastSwitchTick,
            parent: parent, kthread: kthread, state: state, sigkill: sigkill, memdie: memdie,
            victimTimedOut: victimTimedOut, oomSkip: oomSkip, inDirectReclaim: inDirectReclaim, victimSince: victimSince, oomScoreAdj16: Int16(clamping: oomScoreAdj),
            programID: programID, frames: Kernel.FrameStack(frames),
            allocationBox: allocation.map(OutOfLine.init), touchBox: touch.map(OutOfLine.init), heldLocks: heldLocks, startTick: startTick, busyUntil: busyUntil)
    }

    private static func decodeWait(_ r: inout ByteReader, _ table: KeyframeInterner, now: Int) -> Kernel.Wait? {
        switch r.int() {
        case 1:
            let name = table.strings[r.int()]
            let killable = r.bool()
            return .lock(name: name, killable: killable, mode: r.bool() ? .read : .write)
        case 2: return .sleep(until: r.int() &+ now)
        case 3: return .congestionWait(until: r.int() &+ now)
        case 4:
            let until = r.int() &+ now
            return .allocatorBackoff(until: until, reason: table.strings[r.int()])
        case 5: return .dirtyThrottle(until: r.int() &+ now)
        case 6: return .exitMmapLock(name: table.strings[r.int()])
        case 7: return .swapIn(until: r.int() &+ now)
        case 8: return .memcgHigh(until: r.int() &+ now)
        default: return nil
        }
    }

    private static func decodeAllocation(_ r: inout ByteReader, _ table: KeyframeInterner, now: Int) -> Kernel.AllocationProgress {
        let pages = r.int(), order = r.int()
        let gfp = GFPFlags(rawValue: UInt32(truncatingIfNeeded: r.int()))
        let target = AllocTarget(rawValue: table.strings[r.int()]) ?? .anon
        let retry = RetryStyle(rawValue: table.strings[r.int()]) ?? .allocator
        let spec = AllocSpec(pages: pages, order: order, gfp: gfp, target: target, retry: retry, ratePerTick: r.int())
        let chargeCode = r.int()
        let charge: Kernel.Charge = chargeCode == -2 ? .swapIn
            : chargeCode < 0 ? .reservation : .target(AllocTarget(rawValue: table.strings[chargeCode]) ?? .anon)
        var a = Kernel.AllocationProgress(
            spec: spec, charge: charge, remaining: r.int(), tries: r.int(), noProgressLoops: r.int(),
            pagesReclaimed: r.int(), startedTick: now &- r.int(), lastGrantTick: now &- r.int(),
            lastRound: r.optional().flatMap { Kernel.SlowpathOutcome(rawValue: table.strings[$0]) },
            looping: r.int() != 0)
        a.memcgLoop.retriesLeft = Int32(truncatingIfNeeded: r.int())
        let flags = r.int()
        a.memcgLoop.drained = flags & 1 != 0
        a.memcgLoop.passedOOM = flags & 2 != 0
        return a
    }
}
