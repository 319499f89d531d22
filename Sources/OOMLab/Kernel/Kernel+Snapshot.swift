/// The running kernel as a scenario, for saving from the TUI: the machine,
/// the policies, the locks and the live tasks with their programs, as they
/// are now. What cannot be written in a scenario (a task's place in its
/// program, locks held, TIF_MEMDIE) starts over when the file is loaded.
extension Kernel {
    public func toScenario() -> Scenario {
        let live = taskTable.tasks.filter { $0.state != .dead && $0.state != .exiting }
        let taskKernelPages = live.reduce(0) { $0 + $1.kernelPages }
        let m = machine
        let now = MachineConfig(
            ramPages: m.ramPages, swapPages: m.swapPages, kernelPages: m.kernelPages,
            minFreeKbytes: m.minFreeKbytes, watermarkScaleFactor: m.watermarkScaleFactor,
            writebackPagesPerTick: m.writebackPagesPerTick, kswapdPagesPerTick: m.kswapdPagesPerTick,
            fileCleanPages: zone.counters.fileClean, fileDirtyPages: zone.counters.fileDirty + zone.counters.fileWriteback,
            slabReclaimablePages: zone.counters.slabReclaimable,
            slabUnreclaimablePages: Swift.max(0, zone.counters.slabUnreclaimable - taskKernelPages))
        let defaults = Policy.defaults(for: policy.era)
        var explicit: [PolicyKey: String] = [:]
        for key in PolicyKey.allCases where key != .era && policy.value(of: key) != defaults.value(of: key) {
            explicit[key] = policy.value(of: key)
        }
        let specs = live.map { t in
            var spec = TaskSpec(pid: t.pid, name: t.name, uid: t.uid, oomScoreAdj: t.oomScoreAdj, kthread: t.kthread,
                                anonPages: t.anon, swapPages: t.swapEntries,
                                pageTablePages: t.pageTables == Kernel.pageTablePages(mapped: t.anon + t.swapEntries) ? nil : t.pageTables,
                                mmapLock: t.mmapLock,
                                startTick: t.state == .new ? Swift.max(0, t.startTick - tick) : 0,
                                program: program(of: t))
            if t.tgid != t.pid { spec.tgid = t.tgid }
            spec.parent = t.parent
            spec.cgroup = cgroupPath(of: t)
            return spec
        }
        let stamp = Units.seconds(ms: timeMs)
        return Scenario(
            name: scenarioName,
            description: "\(scenarioName) as it was at tick \(tick) (\(stamp) s), saved from the oomlab TUI",
            seed: seed,
            ticks: ticksPlanned,
            machine: now,
            policy: PolicySpec(era: policy.era, explicit: explicit),
            locks: lockTable.locks.map(\.name),
            cgroups: memcg.isEnabled ? memcg.spec : CgroupsSpec(),
            tasks: specs,
            cues: cues.filter { $0.tick > tick }.map { Cue(tick: $0.tick - tick, text: $0.text) })
    }
}
