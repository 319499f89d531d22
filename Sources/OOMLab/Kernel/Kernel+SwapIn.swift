/// Swap-in: a task touching its own memory faults back the share of it that
/// is in swap. Each fault allocates a page (GFP_HIGHUSER_MOVABLE, through the
/// allocator, so it may reclaim, and swap out someone else, or invoke the
/// OOM killer) and then waits, in a killable D state that counts as a memory
/// stall, for the disk to read it. Reads go to the disk before writeback.
/// do_swap_page, mm/memory.c; swapin_readahead, mm/swap_state.c;
/// swap_read_folio, mm/page_io.c (v6.13; v4.0 swap_readpage).
extension Kernel {
    /// Runs the current `touch` op for one tick: a fault on swapped-out pages.
    /// do_swap_page, mm/memory.c.
    mutating func touchOp(_ i: Int, pages: Int, rate: Int) -> StepResult {
        if taskTable.tasks[i].allocation?.charge == .swapIn {
            // A fault's page allocation still under way.
            guard let spec = taskTable.tasks[i].allocation?.spec else { return .next }
            let r = allocOp(i, spec: spec, charge: .swapIn)
            return r == .next ? swapReadFolio(i) : r
        }
        var progress = taskTable.tasks[i].touch ?? TouchProgress(left: pages, faulted: 0)
        guard progress.left > 0 else {
            taskTable.tasks[i].touch = nil
            return .next
        }
        let chunk = Swift.min(Swift.max(1, rate), progress.left)
        progress.left -= chunk
        taskTable.tasks[i].touch = progress
        let mm = taskTable.mmOwner(i)
        let swapped = taskTable.tasks[mm].swapEntries
        let mapped = taskTable.tasks[mm].anon + swapped
        // Resident memory is touched without a fault: a tick of work.
        guard swapped > 0 else { return .yield }
        // The touched pages are spread over the task's memory: the swapped
        // share of them faults (at least one page while any is in swap).
        let faults = Swift.max(1, Kernel.mulDiv(Swift.min(chunk, mapped), swapped, mapped))
        let spec = AllocSpec(pages: faults, gfp: .highuserMovable, target: .anon, ratePerTick: faults)
        let r = allocOp(i, spec: spec, charge: .swapIn)
        return r == .next ? swapReadFolio(i) : r
    }

    /// Queues the read of the pages just faulted and sleeps until the disk
    /// reaches it: reads ahead of it go first, at the disk's rate.
    /// swap_read_folio, mm/page_io.c (v6.13; v4.0 swap_readpage).
    mutating func swapReadFolio(_ i: Int) -> StepResult {
        let pages = taskTable.tasks[i].touch?.faulted ?? 0
        taskTable.tasks[i].touch?.faulted = 0
        // The allocation failed (NULL): the fault gives up (VM_FAULT_OOM) and
        // the task goes on touching.
        guard pages > 0 else { return .yield }
        reclaim.swapReadBacklog += pages
        let rate = Swift.max(1, machine.writebackPagesPerTick)
        block(i, .swapIn(until: tick + (reclaim.swapReadBacklog + rate - 1) / rate))
        return .yield
    }
}
