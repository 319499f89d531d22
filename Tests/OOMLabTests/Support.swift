@testable import OOMLab
@testable import OOMLabKernel

/// Small scenarios built in code for kernel tests.
enum Lab {
    static let mib = 256   // pages per MiB

    /// A machine with nothing reclaimable unless asked for.
    static func machine(ramMiB: Int = 64, swapMiB: Int = 0, cleanMiB: Int = 0, dirtyMiB: Int = 0,
                        slabReclaimableMiB: Int = 0, writeback: Int = 64) -> MachineConfig {
        MachineConfig(ramPages: ramMiB * mib, swapPages: swapMiB * mib, kernelPages: ramMiB * mib / 64,
                      writebackPagesPerTick: writeback, kswapdPagesPerTick: 512,
                      fileCleanPages: cleanMiB * mib, fileDirtyPages: dirtyMiB * mib,
                      slabReclaimablePages: slabReclaimableMiB * mib)
    }

    static func scenario(_ machine: MachineConfig, era: Era = .v2015, policy: [PolicyKey: String] = [:],
                         locks: [String] = [], seed: UInt64 = 1, _ tasks: [TaskSpec]) -> Scenario {
        Scenario(name: "test", seed: seed, ticks: 1000, machine: machine,
                 policy: PolicySpec(era: era, explicit: policy), locks: locks, tasks: tasks)
    }

    /// A task that allocates `mib` of anon memory then sleeps for ever.
    static func hog(_ pid: Int, _ name: String = "hog", mib: Int, adj: Int = 0, uid: Int = 1000,
                    gfp: GFPFlags = .highuserMovable, start: Int = 0) -> TaskSpec {
        TaskSpec(pid: pid, name: name, uid: uid, oomScoreAdj: adj, startTick: start, program: [
            .alloc(AllocSpec(pages: mib * Lab.mib, gfp: gfp, target: .anon)),
            .sleep(ticks: 1_000_000),
        ])
    }

    /// A task that already has `mib` of anon memory and sleeps.
    static func sleeper(_ pid: Int, _ name: String, mib: Int, adj: Int = 0, uid: Int = 1000) -> TaskSpec {
        TaskSpec(pid: pid, name: name, uid: uid, oomScoreAdj: adj, anonPages: mib * Lab.mib,
                 program: [.sleep(ticks: 1_000_000)])
    }

    /// Steps the kernel, checking invariants after every tick.
    @discardableResult
    static func run(_ k: inout Kernel, ticks: Int) throws -> [Event] {
        var events: [Event] = []
        for _ in 0..<ticks {
            events += k.step()
            try k.checkInvariants()
        }
        return events
    }

    static func text(_ events: [Event]) -> String { events.map(\.text).joined(separator: "\n") }
}
