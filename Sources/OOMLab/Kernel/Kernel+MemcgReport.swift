/// The memcg OOM report, in each era's format (docs/memcg.md §8): what
/// dump_header prints for a memory cgroup in place of Mem-Info.
/// mem_cgroup_print_oom_info (4.0), mem_cgroup_print_oom_meminfo (6.x),
/// mm/memcontrol.c.
extension Kernel {
    /// The call trace of a charge that ends in the memcg OOM killer: 6.x
    /// kills from the charge path of a page fault; 4.0 from the end of the
    /// fault, in pagefault_out_of_memory. dump_stack, lib/dump_stack.c.
    /// The call trace of a memcg OOM invoked by a write to memory.max
    /// (6.x: the writer's write(2) into the cgroup file).
    static let memoryMaxWriteStack = ["dump_stack_lvl", "dump_header", "oom_kill_process", "out_of_memory",
                                      "mem_cgroup_out_of_memory", "memory_max_write", "cgroup_file_write",
                                      "kernfs_fop_write_iter", "vfs_write", "ksys_write", "do_syscall_64"]

    func memcgDumpStack() -> [String] {
        switch policy.era {
        case .v2015:
            return ["dump_header", "oom_kill_process", "mem_cgroup_oom_synchronize", "pagefault_out_of_memory",
                    "mm_fault_error", "__do_page_fault", "do_page_fault", "page_fault"]
        case .modern:
            return ["dump_stack_lvl", "dump_header", "oom_kill_process", "out_of_memory",
                    "mem_cgroup_out_of_memory", "try_charge_memcg", "charge_memcg", "__mem_cgroup_charge",
                    "do_anonymous_page", "__handle_mm_fault", "handle_mm_fault", "do_user_addr_fault", "exc_page_fault"]
        }
    }

    /// The lines dump_header prints for the OOMing cgroup `id` in place of
    /// show_mem. 4.0: "Task in VICTIM killed as a result of limit of
    /// MEMCG", the memory, memory+swap and kmem counters, and one stats line
    /// per cgroup of the subtree (its own pages). 6.x: the memory counter
    /// and, on v2, the swap counter (v1: memory+swap and kmem), then
    /// "Memory cgroup stats for MEMCG:" and memory.stat's lines for the
    /// subtree. kmem is not modelled (0), nor is v1's memsw beyond memory
    /// plus the subtree's swap entries.
    /// mem_cgroup_print_oom_info, mm/memcontrol.c (4.0); mem_cgroup_print_oom_meminfo, mm/memcontrol.c (6.13).
    mutating func memcgPrintOOMInfo(_ oc: OOMControl, _ id: CgroupID) {
        let c = memcg.tree[id]
        let kb = { (pages: Int) in Units.kb(pages: pages) }
        guard let domain = oomDomainMask(oc) else { return }
        var swapOf = [Int](repeating: 0, count: memcg.tree.count)
        for i in taskTable.tasks.indices where domain[taskTable.tasks[i].cgroup] {
            swapOf[taskTable.tasks[i].cgroup] += taskTable.tasks[i].swapEntries
        }
        let subtreeSwap = swapOf.reduce(0, +)
        let unlimited = kb(PageCounter.max)
        switch policy.era {
        case .v2015:
            if case .task(let v)? = oc.chosen {
                log("Task in \(cgroupPathText(v)) killed as a result of limit of \(c.path)")
            }
            log("memory: usage \(kb(c.memory.usage))kB, limit \(kb(c.memory.limit))kB, failcnt \(c.memory.failcnt)")
            log("memory+swap: usage \(kb(c.memory.usage + subtreeSwap))kB, limit \(unlimited)kB, failcnt 0")
            log("kmem: usage 0kB, limit \(unlimited)kB, failcnt 0")
            for g in memcg.tree.subtree(id) {
                let own = memcg.tree[g]
                let rss = kb(own.ownMemory - own.filePages)
                log("Memory cgroup stats for \(own.path): cache:\(kb(own.filePages))KB rss:\(rss)KB rss_huge:0KB "
                    + "mapped_file:0KB writeback:0KB swap:\(kb(swapOf[g]))KB inactive_anon:0KB active_anon:\(rss)KB "
                    + "inactive_file:\(kb(own.filePages))KB active_file:0KB unevictable:0KB")
            }
        case .modern:
            let failcnt = memcg.version == .v2 ? c.events.max : c.memory.failcnt
            log("memory: usage \(kb(c.memory.usage))kB, limit \(kb(c.memory.limit))kB, failcnt \(failcnt)")
            if memcg.version == .v2 {
                log("swap: usage \(kb(c.swap.usage))kB, limit \(kb(c.swap.limit))kB, failcnt \(c.swap.failcnt)")
            } else {
                log("memory+swap: usage \(kb(c.memory.usage + subtreeSwap))kB, limit \(unlimited)kB, failcnt 0")
                log("kmem: usage 0kB, limit \(unlimited)kB, failcnt 0")
            }
            log("Memory cgroup stats for \(c.path):")
            for line in memoryStat(id) { log(line) }
        }
    }

    /// memory.stat of `id` (hierarchical, bytes), as far as the model keeps
    /// the numbers: the page-state lines of memory_stat_format in its order,
    /// through `slab`; the event counters after it (pgfault, pgscan...) are
    /// left out. Anon pages are on the active list and page cache on the
    /// inactive one, as the model's Mem-Info shows them.
    /// memory_stat_format / memory_stats[], mm/memcontrol.c (6.13).
    public func memoryStat(_ id: CgroupID) -> [String] {
        guard memcg.tree.contains(id) else { return [] }
        var anon = 0, file = 0
        for g in memcg.tree.subtree(id) {
            anon += memcg.tree[g].ownMemory - memcg.tree[g].filePages
            file += memcg.tree[g].filePages
        }
        let bytes = { (pages: Int) in pages * Units.pageSize }
        let rows: [(String, Int)] = [
            ("anon", anon), ("file", file), ("kernel", 0), ("kernel_stack", 0), ("pagetables", 0),
            ("sec_pagetables", 0), ("percpu", 0), ("sock", 0), ("vmalloc", 0), ("shmem", 0),
            ("zswap", 0), ("zswapped", 0), ("file_mapped", 0), ("file_dirty", 0), ("file_writeback", 0),
            ("swapcached", 0), ("anon_thp", 0), ("file_thp", 0), ("shmem_thp", 0),
            ("inactive_anon", 0), ("active_anon", anon), ("inactive_file", file), ("active_file", 0),
            ("unevictable", 0), ("slab_reclaimable", 0), ("slab_unreclaimable", 0), ("slab", 0),
        ]
        return rows.map { "\($0.0) \(bytes($0.1))" }
    }

    /// The one-line summary of 5.0+ (dump_oom_victim with
    /// mem_cgroup_print_oom_context): the constraint, the OOMing cgroup
    /// (oom_memcg=, or global_oom) and the victim's cgroup.
    /// dump_oom_victim, mm/oom_kill.c; mem_cgroup_print_oom_context, mm/memcontrol.c (6.13).
    func oomKillSummary(_ oc: OOMControl, victim v: Int) -> String {
        let t = taskTable.tasks[v]
        let constraint = oc.memcg == nil ? "CONSTRAINT_NONE" : "CONSTRAINT_MEMCG"
        let domain = oc.memcg.map { "oom_memcg=\(memcg.tree[$0].path)" } ?? "global_oom"
        return "oom-kill:constraint=\(constraint),nodemask=(null),cpuset=/,mems_allowed=0,\(domain),"
            + "task_memcg=\(cgroupPathText(v)),task=\(t.name),pid=\(t.pid),uid=\(t.uid)"
    }
}
