import OOMLabKernel

/// Turns an OOM report into a `Scenario` the simulator can run: the machine
/// (for a memory cgroup OOM, the cgroup's limit as the machine, or with
/// `MemcgForm.cgroup` the cgroup inside a larger machine), every
/// task of the table with its memory, the invoking task allocating with its
/// gfp mask and order until the OOM killer fires, and the kernel's victim as
/// the expectation. The simulator has two eras: `2015` for reports before
/// 4.17 and `modern` after.
public enum ReportImporter {
    /// The scenario for `report`, what `import-report` writes. Notes on what
    /// could not be carried over go into the scenario's description. For a
    /// memcg report `.auto` runs the cgroup form to see whether it ends as
    /// the report did (`importableForm`), and takes the machine form if not.
    public static func scenario(from report: OOMReport, era: ReportEra? = nil,
                                memcgForm: MemcgForm = defaultMemcgForm) -> Scenario {
        if memcgForm == .auto, report.constraint == .memcg,
           let imported = try? importableForm(from: report, era: era, memcgForm: .auto) {
            return imported.scenario
        }
        return build(from: report, era: era, memcgForm: memcgForm.built)
    }

    /// The scenario for `report` in `memcgForm` (`.auto` builds the cgroup form), unchecked.
    static func build(from report: OOMReport, era: ReportEra? = nil, memcgForm: MemcgForm) -> Scenario {
        let era = era ?? ReportEra.infer(from: report)
        let explanation = ReportExplainer.explain(report, era: era)
        var notes: [String] = report.warnings
        let rows = report.table?.rows ?? []
        let ps = report.pageSize
        if ps != Units.pageSize {
            notes.append("the report's pages are \(ps / 1024) KiB; the simulator counts them as its own 4 KiB pages")
        }
        var plan: CgroupPlan?
        if memcgForm.built == .cgroup, report.constraint == .memcg {
            switch cgroupPlan(report, anon: rows.map(\.rss).reduce(0, +), swap: rows.map { $0.swapents ?? 0 }.reduce(0, +),
                              era: era.simulatorEra) {
            case .success(let p):
                plan = p
                notes += p.notes
            case .failure(let why):
                notes.append("kept the machine form: " + why.text)
            }
        }

        // The machine.
        var ram: Int, reserved: Int, swap: Int
        var minFree: Int?
        if let plan {
            // Bigger than the cgroup: the host has memory to spare, as a
            // machine whose container reached its limit does.
            let shown = report.memInfo.ramPages ?? 0
            ram = min(max(shown, 4 * plan.limitPages, 4096), Scenario.Limits.maxPages)
            reserved = shown > 0 ? report.memInfo.reservedPages ?? 0 : 0
            swap = 0
            if shown == 0 {
                notes.append("the report does not show the machine's memory; RAM set to \(ram) pages (4 times the cgroup's limit)")
            }
        } else if report.constraint == .memcg, let total = explanation.totalPages, report.memcg?.limitKB != nil {
            ram = total
            reserved = 0
            swap = 0
            notes.append("memory cgroup OOM: the cgroup's limit (\(total) pages) is the machine")
        } else if let r = report.memInfo.ramPages {
            ram = r
            reserved = report.memInfo.reservedPages ?? 0
            swap = (report.memInfo.totalSwapKB ?? 0) * 1024 / ps
            let lowmemMin = report.memInfo.zones.filter(\.isLowmem).map(\.minKB)
            if !lowmemMin.isEmpty { minFree = lowmemMin.reduce(0, +) }
        } else {
            ram = explanation.totalPages ?? max(rows.map { $0.rss + $0.pageTablePages(pageSize: ps) }.reduce(0, +) * 2, 1024)
            reserved = 0
            swap = 0
            notes.append("the report does not show the machine's memory; RAM set to \(ram) pages (\(explanation.totalPagesSource))")
        }

        // The tasks.
        var tasks: [TaskSpec] = rows.map { row in
            TaskSpec(pid: row.pid, name: row.name, uid: row.uid, oomScoreAdj: row.oomScoreAdj,
                     anonPages: row.rss, swapPages: row.swapents ?? 0,
                     pageTablePages: row.pageTablePages(pageSize: ps), program: idleProgram)
        }
        let used = tasks.map { $0.anonPages + ($0.pageTablePages ?? 0) }.reduce(0, +)
        if used + reserved > ram {
            let needed = used + reserved + ram / 50
            notes.append("the tasks' rss (shared pages counted once per task) exceeds the memory; RAM raised from \(ram) to \(needed) pages")
            ram = needed
        }
        // No free swap: swapping anon out keeps a task's badness (rss + swap)
        // but lets the allocating task grow past the others before the OOM.
        let swapUsed = tasks.map(\.swapPages).reduce(0, +)
        if swapUsed > swap {
            notes.append("the tasks' swap entries exceed the swap shown; swap raised from \(swap) to \(swapUsed) pages")
            swap = swapUsed
        } else if swap > swapUsed {
            notes.append("free swap left out (\(swap - swapUsed) pages): swap holds only the tasks' swap entries, so "
                         + "reclaim cannot swap and the OOM fires as it did; this changes totalpages")
            swap = swapUsed
        }
        var machine = MachineConfig(ramPages: ram, swapPages: swap, kernelPages: reserved, minFreeKbytes: minFree)
        // Everything but the tasks and a little free memory is unreclaimable
        // (as at the moment of the report), so the allocating task grows
        // only a little before the OOM killer runs.
        let zoneMin = report.memInfo.zones.filter(\.isLowmem).map(\.minKB).reduce(0, +) * 1024 / ps
        let freeTarget = zoneMin > 0 ? min(report.memInfo.counters["free"] ?? zoneMin, zoneMin) : ram / 100
        machine.slabUnreclaimablePages = plan == nil ? max(ram - reserved - used - freeTarget, 0) : 0
        if plan == nil, report.memInfo.present {
            notes.append("page cache and slab are modelled as unreclaimable, so the OOM fires with the tasks as reported")
        }

        // The invoking task allocates until the OOM killer fires.
        if let inv = report.invoking {
            var gfp = GFPFlags.fromReport(mask: inv.gfpMask, names: inv.gfpNames, kernel: report.kernelVersion)
            if gfp.isEmpty {
                notes.append("gfp_mask=0x0 is a page fault's OOM (pagefault_out_of_memory); the task allocates with GFP_HIGHUSER_MOVABLE")
                gfp = .highuserMovable
            }
            let rate = max(AllocSpec.defaultRate, (ram + swap) / 500)
            // Enough to use up the free memory and one more round: the OOM
            // killer runs once, as it did, and the victim's memory then lets
            // the allocation finish (a second kill would not be the kernel's).
            // In the cgroup form: past the cgroup's limit, far below the machine's free memory.
            let room = plan.map { max($0.limitPages - $0.usagePages, 0) } ?? freeTarget
            let pages = min(room + max(64, 1 << inv.order), Scenario.Limits.maxPages)
            let byComm = rows.filter { $0.name == inv.comm }
            let pid = inv.pid ?? (byComm.count == 1 ? byComm[0].pid : nil)
            if let i = tasks.firstIndex(where: { $0.pid == pid }) {
                tasks[i].startTick = allocStartTick
                tasks[i].program = [.alloc(AllocSpec(pages: pages, order: inv.order, gfp: gfp, target: .anon,
                                                     ratePerTick: rate))] + idleProgram
            } else {
                // Not in the table: a kernel thread (no mm), e.g. a kworker.
                let pid = pid ?? ((rows.map(\.pid).max() ?? 1) + 1)
                tasks.append(TaskSpec(pid: pid, name: inv.comm, uid: 0, oomScoreAdj: inv.oomScoreAdj, kthread: true,
                                      startTick: allocStartTick, program: [.alloc(AllocSpec(pages: pages, order: inv.order, gfp: gfp,
                                                                 target: .kernel, ratePerTick: rate))] + idleProgram))
                notes.append("the invoking task \(inv.comm) is not in the task table: added as a kernel thread")
            }
        } else {
            let pid = (rows.map(\.pid).max() ?? 1) + 1
            tasks.append(TaskSpec(pid: pid, name: "oomlab-pressure", uid: 0, oomScoreAdj: OOMScoreAdj.min,
                                  startTick: allocStartTick, program: [.alloc(AllocSpec(pages: freeTarget + 64, gfp: .highuserMovable, target: .anon,
                                                             ratePerTick: max(AllocSpec.defaultRate, (ram + swap) / 500)))] + idleProgram))
            notes.append("the report has no \"invoked oom-killer\" line; oomlab-pressure (oom_score_adj -1000) allocates instead")
        }
        if let plan { place(&tasks, plan: plan, notes: &notes) }
        tasks.sort { $0.pid < $1.pid }

        // What the kernel did, as the expectation.
        var checks: [ExpectCheck] = []
        if let k = explanation.kernelChoice {
            checks.append(ExpectCheck(.killed([.pid(k.pid)])))
        } else if report.noKillableProcesses {
            checks.append(ExpectCheck(.verdict(.panic)))
        }
        let simEra = era.simulatorEra
        // mem_cgroup_get_max in the cgroup form: memory.max plus the swap it may use.
        let simTotal = plan.map { $0.limitPages + min($0.cgroups.group($0.domain)?.swapMax ?? machine.swapPages, machine.swapPages) }
            ?? machine.managedPages + machine.swapPages
        var simulated = ReportExplainer.rank(rows, report: report, era: era, totalPages: simTotal,
                                             rootIsAdmin: true, reaped: [:])
        for i in simulated.indices {
            let t = simulated[i]
            let input = BadnessInput(rss: t.rss, swapEntries: t.swapents, pageTablePages: t.pgtables,
                                     oomScoreAdj: t.oomScoreAdj, isRoot: t.uid == 0, unkillable: t.excluded != nil)
            simulated[i].points = oomBadness(input, totalPages: simTotal, rules: simEra.badnessRules)
        }
        if let k = explanation.kernelChoice,
           let pick = ReportExplainer.selectBadProcess(simulated, rules: simEra.badnessRules), pick.pid != k.pid {
            notes.append("under the simulator's \(simEra.rawValue) rules the OOM killer would pick \(pick.pid) (\(pick.name)), "
                         + "not the kernel's \(k.pid) (\(k.name)): the report's era (\(era.label)) scores differently")
        }

        var policy = PolicySpec(era: simEra)
        if report.killedAllocatingTask { policy.explicit[.oomKillAllocatingTask] = "on" }
        if report.panicOnOOM { policy.explicit[.panicOnOOM] = "1" }

        let comm = report.invoking?.comm ?? "report"
        var description = "Imported from a kernel OOM report (lines \(report.firstLine)-\(report.lastLine); "
            + "era \(era.label): \(era.source)). "
        if let k = explanation.kernelChoice {
            description += "The kernel killed \(k.pid) (\(k.name))."
        } else {
            description += "The kernel killed nothing."
        }
        if !notes.isEmpty { description += "\nNotes:\n" + notes.map { "- " + $0 }.joined(separator: "\n") }
        return Scenario(name: "imported-\(slug(comm))", description: description, seed: 1, ticks: 10_000,
                        machine: machine, policy: policy, cgroups: plan?.cgroups ?? CgroupsSpec(), tasks: tasks,
                        expect: checks.isEmpty ? nil : Expectation(checks: checks))
    }

    /// The scenario for `report` as YAML that loads back and passes its own
    /// expectation (what `oomlab check` verifies), or why the report cannot
    /// be imported: no task table, the kernel's victim without a row, a pid
    /// with two rows, an order the simulator does not have, a machine the
    /// loader refuses, or a run that does not end as the report did.
    public static func importable(from report: OOMReport, era: ReportEra? = nil,
                                  memcgForm: MemcgForm = defaultMemcgForm) throws(ReportError) -> String {
        try importableForm(from: report, era: era, memcgForm: memcgForm).yaml
    }

    /// `importable`, saying which form it took: for `.auto`, the cgroup
    /// form if its run ends as the report did, else the machine form, with
    /// `fallback` saying why the cgroup form could not be used.
    public static func importableForm(from report: OOMReport, era: ReportEra? = nil, memcgForm: MemcgForm = defaultMemcgForm)
        throws(ReportError) -> (yaml: String, scenario: Scenario, form: MemcgForm, fallback: String?) {
        func checked(_ form: MemcgForm) throws(ReportError) -> (yaml: String, scenario: Scenario) {
            let (yaml, loaded) = try loadable(from: report, era: era, memcgForm: form)
            if let miss = ScenarioCheck.run(loaded).first(where: { !$0.passed }) {
                throw ReportError(runMismatch + miss.message)
            }
            return (yaml, loaded)
        }
        guard memcgForm == .auto, report.constraint == .memcg else {
            // A global OOM has only the machine form, whatever was asked.
            let form = report.constraint == .memcg ? memcgForm.built : .machine
            let (yaml, s) = try checked(form)
            return (yaml, s, form, nil)
        }
        do {
            let (yaml, s) = try checked(.cgroup)
            return (yaml, s, .cgroup, nil)
        } catch {
            let (yaml, s) = try checked(.machine)
            let refusal = "cannot import: "
            let why = error.message.hasPrefix(refusal) ? String(error.message.dropFirst(refusal.count)) : error.message
            return (yaml, s, .machine, why)
        }
    }

    /// Everything `importable` checks but the simulated run: the refusals,
    /// and the YAML loading back. Returns the YAML and the loaded scenario.
    /// `.auto` is loaded as the cgroup form: deciding needs the run.
    /// (The fuzz target stops here: the run is 10,000 ticks.)
    public static func loadable(from report: OOMReport, era: ReportEra? = nil,
                                memcgForm: MemcgForm = defaultMemcgForm) throws(ReportError) -> (yaml: String, scenario: Scenario) {
        func refuse(_ why: String) -> ReportError { ReportError("cannot import: " + why) }
        guard let table = report.table else {
            throw refuse("the report has no task table (vm.oom_dump_tasks=0?), so there are no tasks to simulate")
        }
        var firstRow: [Int: Int] = [:]
        for row in table.rows {
            if let line = firstRow[row.pid] {
                throw refuse("pid \(row.pid) has two rows in the task table (lines \(line) and \(row.line))")
            }
            firstRow[row.pid] = row.line
        }
        let kernel = ReportExplainer.explain(report, era: era).kernelChoice
        if let k = kernel, firstRow[k.pid] == nil {
            throw refuse("the kernel's victim \(k.shown) has no row in the task table")
        }
        if kernel == nil, !report.noKillableProcesses, !report.panicOnOOM {
            // Nothing to expect: the scenario could not say whether the
            // simulated kernel did what this one did.
            throw refuse("the report does not say what the kernel did (no kill line, no \"no killable processes\", "
                         + "no panic); paste the lines after the task table too")
        }
        let maxOrder = Scenario.Limits.maxOrder
        if let order = report.invoking?.order, order > maxOrder {
            throw refuse("the allocation is order \(order); the simulator's buddy allocator goes to order \(maxOrder)")
        }
        let yaml = ScenarioWriter.yaml(for: build(from: report, era: era, memcgForm: memcgForm.built))
        let loaded: Scenario
        do {
            loaded = try ScenarioLoader.parse(yaml: yaml, file: "imported.yaml")
        } catch {
            throw refuse("the scenario would not load: \(error.message)")
        }
        return (yaml, loaded)
    }

    /// How `importable`'s refusal begins when the run, not the report, is why.
    public static let runMismatch = "cannot import: the simulated run does not end as the report did: "

    /// The allocating task starts once every other task has started (the
    /// OOM killer only weighs tasks that have run).
    static let allocStartTick = 2

    /// What every task but the invoking one runs: nothing, forever.
    static let idleProgram: [Op] = [.repeat(count: nil, body: [.sleep(ticks: 100)])]

    static func slug(_ s: String) -> String {
        let mapped = s.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        let text = String(mapped).split(separator: "-").joined(separator: "-")
        return text.isEmpty ? "task" : text
    }
}
