/// The OOM report, in each era's format (docs/kernel.md §10.1): the invoked
/// line, a short call trace, Mem-Info (global counts in pages, the zone in
/// kB), the swap and RAM lines, and the task table.
/// dump_header / dump_tasks, mm/oom_kill.c; show_free_areas, mm/page_alloc.c.
extension Kernel {
    /// dump_header(): `invoker` is current, the allocating task (nil: kswapd0).
    mutating func dumpHeader(_ oc: OOMControl, invoker: Int?) {
        let era = policy.era
        let (comm, pid, adj) = invokerIdentity(oc, invoker)
        log("\(comm) invoked oom-killer: gfp_mask=\(oc.gfpMask.hex(era: era)), order=\(oc.order), oom_score_adj=\(adj)")
        if era == .v2015 { log("\(comm) cpuset=/ mems_allowed=0") }
        log("CPU: 0 PID: \(pid) Comm: \(comm) Not tainted \(era.kernelRelease) #1")
        log("Hardware name: oomlab simulated machine")
        log("Call Trace:")
        if let id = oc.memcg {
            // A memcg OOM prints the cgroup's counters instead of Mem-Info and
            // lists only its subtree's tasks (dump_tasks(oc) with oc->memcg).
            for frame in oc.fromLimitWrite ? Kernel.memoryMaxWriteStack : memcgDumpStack() { log(" \(frame)") }
            memcgPrintOOMInfo(oc, id)
            dumpTasks(domain: oomDomainMask(oc))
            return
        }
        for frame in dumpStack(fromKswapd: invoker == nil) { log(" \(frame)") }
        showMem()
        dumpTasks()
    }

    /// The call trace dump_header prints: dump_stack, lib/dump_stack.c.
    func dumpStack(fromKswapd: Bool) -> [String] {
        if fromKswapd { return ["out_of_memory", "balance_pgdat", "kswapd", "kthread"] }
        switch policy.era {
        case .v2015:
            return ["dump_header", "oom_kill_process", "out_of_memory", "__alloc_pages_nodemask",
                    "alloc_pages_vma", "handle_mm_fault", "__do_page_fault"]
        case .modern:
            return ["dump_stack_lvl", "dump_header", "oom_kill_process", "out_of_memory",
                    "__alloc_pages_slowpath", "__alloc_pages_noprof", "alloc_pages_mpol_noprof",
                    "do_anonymous_page", "__handle_mm_fault", "do_user_addr_fault", "exc_page_fault"]
        }
    }

    /// Mem-Info: show_mem, lib/show_mem.c, and show_free_areas, mm/page_alloc.c (v4.0).
    mutating func showMem() {
        let m = zone.counters
        let kb = { (pages: Int) in "\(Units.kb(pages: pages))kB" }
        log("Mem-Info:")
        switch policy.era {
        case .v2015:
            log("active_anon:\(m.anon) inactive_anon:0 isolated_anon:0")
            log(" active_file:0 inactive_file:\(m.fileLRU) isolated_file:0")
            log(" unevictable:0 dirty:\(m.fileDirty) writeback:\(m.writeback) unstable:0")
            log(" free:\(m.free) slab_reclaimable:\(m.slabReclaimable) slab_unreclaimable:\(m.slabUnreclaimable)")
            log(" mapped:0 shmem:0 pagetables:\(m.pageTables) bounce:0")
            log(" free_cma:0")
            log("Node 0 Normal free:\(kb(m.free)) min:\(kb(zone.watermarks.min)) low:\(kb(zone.watermarks.low)) high:\(kb(zone.watermarks.high)) active_anon:\(kb(m.anon)) inactive_anon:0kB active_file:0kB inactive_file:\(kb(m.fileLRU)) unevictable:0kB isolated(anon):0kB isolated(file):0kB present:\(kb(m.total)) managed:\(kb(m.managed)) mlocked:0kB dirty:\(kb(m.fileDirty)) writeback:\(kb(m.writeback)) mapped:0kB shmem:0kB slab_reclaimable:\(kb(m.slabReclaimable)) slab_unreclaimable:\(kb(m.slabUnreclaimable)) kernel_stack:0kB pagetables:\(kb(m.pageTables)) unstable:0kB bounce:0kB free_cma:0kB writeback_tmp:0kB pages_scanned:\(zone.pagesScanned) all_unreclaimable? \(zoneReclaimable() ? "no" : "yes")")
            log("lowmem_reserve[]: 0 0 0 0")
        case .modern:
            log("active_anon:\(m.anon) inactive_anon:0 isolated_anon:0")
            log(" active_file:0 inactive_file:\(m.fileLRU) isolated_file:0")
            log(" unevictable:0 dirty:\(m.fileDirty) writeback:\(m.writeback)")
            log(" slab_reclaimable:\(m.slabReclaimable) slab_unreclaimable:\(m.slabUnreclaimable)")
            log(" mapped:0 shmem:0 pagetables:\(m.pageTables)")
            log(" sec_pagetables:0 bounce:0")
            log(" kernel_misc_reclaimable:0")
            log(" free:\(m.free) free_pcp:0 free_cma:0")
            log("Node 0 active_anon:\(kb(m.anon)) inactive_anon:0kB active_file:0kB inactive_file:\(kb(m.fileLRU)) unevictable:0kB isolated(anon):0kB isolated(file):0kB mapped:0kB dirty:\(kb(m.fileDirty)) writeback:\(kb(m.writeback)) shmem:0kB writeback_tmp:0kB kernel_stack:0kB pagetables:\(kb(m.pageTables)) sec_pagetables:0kB all_unreclaimable? \(kswapd.failures >= Kswapd.maxFailures ? "yes" : "no")")
            log("Node 0 Normal free:\(kb(m.free)) boost:0kB min:\(kb(zone.watermarks.min)) low:\(kb(zone.watermarks.low)) high:\(kb(zone.watermarks.high)) reserved_highatomic:0KB active_anon:\(kb(m.anon)) inactive_anon:0kB active_file:0kB inactive_file:\(kb(m.fileLRU)) unevictable:0kB writepending:\(kb(m.fileDirty + m.writeback)) present:\(kb(m.total)) managed:\(kb(m.managed)) mlocked:0kB bounce:0kB free_pcp:0kB local_pcp:0kB free_cma:0kB")
            log("lowmem_reserve[]: 0 0 0 0 0")
        }
        log("\(m.fileLRU) total pagecache pages")
        log("0 pages in swap cache")
        log("Free swap  = \(kb(m.swapFree))")
        log("Total swap = \(kb(m.swapTotal))")
        log("\(m.total) pages RAM")
        log("0 pages HighMem/MovableOnly")
        log("\(m.kernel) pages reserved")
    }

    /// dump_tasks(): one row per process with an mm that is not
    /// oom_unkillable_task() (so never init), in the era's columns.
    /// dump_tasks / dump_task, mm/oom_kill.c.
    mutating func dumpTasks(domain: [Bool]? = nil) {
        switch policy.era {
        case .v2015:
            log("[ pid ]   uid  tgid total_vm      rss nr_ptes nr_pmds swapents oom_score_adj name")
        case .modern:
            log("Tasks state (memory values in pages):")
            log("[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name")
        }
        var listed = Set<Int>()
        for (i, task) in taskTable.tasks.enumerated() where task.isOOMCandidate {
            if let d = domain, !d[task.cgroup] { continue }
            // One row per process (dump_tasks walks processes), its threads summed.
            guard !taskTable.hasThreadGroups || listed.insert(task.tgid).inserted else { continue }
            var t = task
            if taskTable.hasThreadGroups {
                let mm = processBadnessInput(i)
                t.anon = mm.rss
                t.swapEntries = mm.swapEntries
                t.pageTables = mm.pageTablePages
            }
            switch policy.era {
            case .v2015:
                let pmds = t.pageTables > 0 ? (t.pageTables + 512) / 513 : 0
                let ptes = t.pageTables - pmds
                log("[\(pad(t.pid, 5))] \(pad(t.uid, 5)) \(pad(t.tgid, 5)) \(pad(t.totalVM, 8)) \(pad(t.rss, 8)) \(pad(ptes, 7)) \(pad(pmds, 7)) \(pad(t.swapEntries, 8))         \(pad(t.oomScoreAdj, 5)) \(t.name)")
            case .modern:
                log("[\(pad(t.pid, 7))] \(pad(t.uid, 5)) \(pad(t.tgid, 5)) \(pad(t.totalVM, 8)) \(pad(t.rss, 8)) \(pad(t.anon, 8)) \(pad(0, 8)) \(pad(0, 9)) \(pad(t.pageTables * Units.pageSize, 14)) \(pad(t.swapEntries, 8))         \(pad(t.oomScoreAdj, 5)) \(t.name)")
            }
        }
    }

    /// printf("%Nd"): right-aligned in `width` columns.
    func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
    }
}
