import Testing
@testable import OOMLab
@testable import OOMLabKernel

/// Random scenarios and random user actions, with every invariant checked
/// after every tick. Seeded (SplitMix64), so a failure names a reproducible case.
@Suite("Kernel fuzz: random programs, policies and user actions keep the invariants", .slow)
struct KernelFuzzTests {
    struct Gen {
        var rng: SplitMix64
        mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + rng.next(below: range.count) }
        mutating func bool() -> Bool { rng.next(below: 2) == 0 }
        mutating func pick<T>(_ items: [T]) -> T { items[rng.next(below: items.count)] }

        mutating func gfp() -> GFPFlags {
            var g = pick([GFPFlags.kernel, .nofs, .noio, .atomic, .nowait, .highuserMovable])
            if int(0...5) == 0 { g.insert(.nofail) }
            if int(0...7) == 0 { g.insert(.noretry) }
            if int(0...7) == 0 { g.insert(.retryMayfail) }
            return g
        }

        mutating func program(depth: Int, locks: [String]) -> [Op] {
            (0..<int(1...5)).map { _ in op(depth: depth, locks: locks) }
        }

        mutating func op(depth: Int, locks: [String]) -> Op {
            switch int(0...(depth < 3 ? 11 : 8)) {
            case 0, 1:
                let order = pick([0, 0, 0, 1, 3, 4])
                return .alloc(AllocSpec(pages: int(1...2048), order: order, gfp: gfp(),
                                        target: pick(AllocTarget.allCases), retry: pick(RetryStyle.allCases),
                                        ratePerTick: int(1...512)))
            case 2: return .free(pages: bool() ? nil : int(1...512), from: pick(FreeSource.allCases))
            case 3: return .lock(name: pick(locks), wait: pick(LockWait.allCases), mode: pick(LockMode.allCases))
            case 4: return .unlock(name: pick(locks))
            case 5: return .sleep(ticks: int(0...20))
            case 6: return .compute(ticks: int(0...5))
            case 7: return int(0...9) == 0 ? .exit : .sleep(ticks: 1)
            case 8: return .alloc(AllocSpec(pages: int(1...64), gfp: .kernel, target: .anon))
            case 9: return .transaction(reserve: int(0...256), body: program(depth: depth + 1, locks: locks))
            default: return .repeat(count: bool() ? nil : int(0...4), body: program(depth: depth + 1, locks: locks))
            }
        }
    }

    @Test("invariants hold for random scenarios", arguments: 1...60)
    func fuzz(seed: Int) throws {
        var g = Gen(rng: SplitMix64(seed: UInt64(seed) &* 0x9E37_79B9))
        let locks = ["a", "b", "c", "mm"]
        let ram = g.pick([256, 4096, 16384, 65536])
        let machine = MachineConfig(
            ramPages: ram, swapPages: g.bool() ? ram / 4 : 0, writebackPagesPerTick: g.int(0...64),
            kswapdPagesPerTick: g.int(1...512), fileCleanPages: ram / g.int(4...16), fileDirtyPages: ram / g.int(4...32),
            slabReclaimablePages: ram / 32, slabUnreclaimablePages: ram / 64)
        var tasks: [TaskSpec] = []
        for n in 0..<g.int(1...12) {
            var spec = TaskSpec(pid: 10 + n, name: "t\(n)", uid: g.pick([0, 1000]), oomScoreAdj: g.pick([-1000, -500, 0, 0, 500, 1000]),
                                  kthread: g.int(0...9) == 0, anonPages: g.int(0...(ram / 16)),
                                  swapPages: 0, mmapLock: g.int(0...4) == 0 ? "mm" : nil,
                                  startTick: g.int(0...20), program: g.program(depth: 0, locks: locks))
            // Some tasks are threads of an earlier one, or its children.
            if n > 0 && g.int(0...3) == 0 { spec.tgid = 10 + g.int(0...(n - 1)) }
            if n > 0 && g.int(0...3) == 0 { spec.parent = 10 + g.int(0...(n - 1)) }
            tasks.append(spec)
        }
        var policy = PolicySpec(era: g.pick(Era.allCases))
        try policy.set(.oomInvocation, g.pick(["direct", "kswapd"]))
        try policy.set(.oomReaper, g.pick(["on", "off"]))
        try policy.set(.reservations, g.pick(["on", "off"]))
        try policy.set(.victimTimeoutMs, g.pick(["0", "300"]))
        try policy.set(.hungTaskTimeoutSecs, "1")
        let s = Scenario(name: "fuzz", seed: UInt64(seed), ticks: 600, machine: machine, policy: policy,
                         locks: locks, tasks: tasks)
        var k = Kernel(scenario: s)
        try k.checkInvariants()
        for t in 0..<600 {
            k.step()
            try k.checkInvariants()
            if t % 37 == 0 {
                // A user at the keyboard.
                let pid = g.pick(k.tasks.map(\.pid))
                switch g.int(0...7) {
                case 0: try? k.kill(pid: pid)
                case 1: try k.setPolicy(g.pick([.oomReaper, .reservations]), g.pick(["on", "off"]))
                case 2: try k.setPolicy(.oomInvocation, g.pick(["direct", "kswapd"]))
                case 3: try k.setPolicy(.era, g.pick(["2015", "modern"]))
                case 4: try? k.takeLock(pid: pid, lock: g.pick(locks), wait: g.pick(LockWait.allCases))
                case 5: try? k.releaseLock(pid: pid, lock: g.pick(locks))
                case 6: try? k.setOOMScoreAdj(pid: pid, g.int(-1000...1000))
                default: try? k.addTask(TaskSpec(pid: k.nextFreePid(), name: "added", anonPages: g.int(0...64),
                                                 program: g.program(depth: 0, locks: locks)))
                }
                try k.checkInvariants()
            }
        }
        // The same inputs give the same trace.
        var again = Kernel(scenario: s)
        for _ in 0..<200 { again.step() }
        var first = Kernel(scenario: s)
        for _ in 0..<200 { first.step() }
        #expect(again.recentEvents == first.recentEvents)
    }
}
