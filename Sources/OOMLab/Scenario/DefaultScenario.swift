extension Scenario {
    /// The built-in scenario `oomlab` and `oomlab run` use when given none:
    /// the 2015 filesystem stall of the "TIF_MEMDIE stall" thread.
    ///
    /// xfs-writer runs metadata transactions that hold the AGF lock while they
    /// kmem_alloc 64 KiB buffers with GFP_NOFS; postgres, the largest task,
    /// takes the same lock for its fsyncs; journald leaks memory until the
    /// machine runs out. Under 2015 rules the xfs-writer's allocations fail
    /// and it loops in kmem_alloc holding the lock; journald's page fault
    /// invokes the OOM killer, which picks postgres, asleep on the lock in
    /// TASK_UNINTERRUPTIBLE: it can never exit, and while it has TIF_MEMDIE the
    /// OOM killer kills nothing else.
    public static var defaultScenario: Scenario {
        let mib = 256   // pages per MiB
        return Scenario(
            name: "xfs-kmem-alloc-loop",
            description: "2015: an XFS transaction loops in kmem_alloc(GFP_NOFS) holding the AGF lock; the OOM victim waits on that lock",
            seed: 1,
            ticks: 3000,
            machine: MachineConfig(ramPages: 256 * mib, swapPages: 0, writebackPagesPerTick: 64,
                                   kswapdPagesPerTick: 512, fileCleanPages: 24 * mib,
                                   slabReclaimablePages: 8 * mib, slabUnreclaimablePages: 8 * mib),
            policy: PolicySpec(era: .v2015, explicit: [.hungTaskTimeoutSecs: "10"]),
            locks: ["agf"],
            tasks: [
                TaskSpec(pid: 412, name: "xfs-writer", uid: 0, anonPages: 2 * mib, program: [
                    .repeat(count: nil, body: [
                        .transaction(reserve: 50 * 16, body: [
                            .lock(name: "agf", wait: .uninterruptible),
                            .repeat(count: 50, body: [
                                .alloc(AllocSpec(pages: 16, order: 4, gfp: .nofs, target: .kernel,
                                                 retry: .kmemAlloc, ratePerTick: 16)),
                            ]),
                            .free(pages: nil, from: .kernel),
                            .unlock(name: "agf"),
                        ]),
                        .sleep(ticks: 1),
                    ]),
                ]),
                TaskSpec(pid: 1337, name: "postgres", uid: 999, anonPages: 150 * mib, program: [
                    .repeat(count: nil, body: [
                        .lock(name: "agf", wait: .uninterruptible),
                        .compute(ticks: 1),
                        .unlock(name: "agf"),
                        .sleep(ticks: 2),
                    ]),
                ]),
                TaskSpec(pid: 2001, name: "journald", uid: 0, anonPages: 4 * mib, startTick: 50, program: [
                    .repeat(count: nil, body: [
                        .alloc(AllocSpec(pages: 4 * mib, gfp: .highuserMovable, target: .anon)),
                        .sleep(ticks: 5),
                    ]),
                ]),
            ],
            expect: Expectation(checks: [
                ExpectCheck(.verdict(.stall)),
                ExpectCheck(.killed([.name("postgres")])),
            ])
        )
    }
}
