/// The node's page counters. Every page of RAM is in exactly one category,
/// so the categories always add up to `total` (`checkInvariants()` asserts it).
/// Per-task anon and page tables are kept on the tasks and summed here
/// incrementally, so that no tick has to walk every task to total them.
public struct MemoryCounters: Equatable, Sendable {
    /// Pages of RAM ("N pages RAM").
    public var total: Int
    public var free: Int
    /// Sum of the tasks' anonymous pages.
    public var anon: Int
    /// Sum of the tasks' page-table pages.
    public var pageTables: Int
    public var fileClean: Int
    public var fileDirty: Int
    /// Pages under writeback (the kernel's NR_WRITEBACK): dirty page cache
    /// being written, and anon pages being written to swap; neither can be
    /// freed until the disk finishes.
    public var writeback: Int
    public var slabReclaimable: Int
    /// Unreclaimable slab, including the tasks' kernel buffers.
    public var slabUnreclaimable: Int
    /// Reserved by the kernel at boot ("pages reserved").
    public var kernel: Int
    /// Pages reserved up front by open transactions (the reservations policy).
    public var reservationPool: Int
    public var swapTotal: Int
    /// Sum of the tasks' swap entries.
    public var swapUsed: Int
    /// The share of `writeback` that is anon pages on their way to swap
    /// (pageout -> swap_writepage): already swap entries of their tasks,
    /// freed when the write completes.
    public var swapWriteback: Int = 0

    /// Page cache: what the file LRU lists hold.
    public var fileLRU: Int { fileClean + fileDirty + fileWriteback }
    /// Page cache under writeback.
    public var fileWriteback: Int { writeback - swapWriteback }
    public var swapFree: Int { swapTotal - swapUsed }
    /// Pages the buddy allocator manages (totalram_pages).
    public var managed: Int { total - kernel }

    /// The categories in the order reports and exports list them, with their
    /// export names (JSON `final`, CSV columns).
    public var categories: [(name: String, pages: Int)] {
        [("total", total), ("free", free), ("anon", anon), ("page_tables", pageTables),
         ("file_clean", fileClean), ("file_dirty", fileDirty), ("writeback", writeback),
         ("slab_reclaimable", slabReclaimable), ("slab_unreclaimable", slabUnreclaimable),
         ("kernel", kernel), ("reservation_pool", reservationPool), ("swap_used", swapUsed)]
    }

    /// Sum of every category that holds RAM; equals `total` when conserved.
    var accountedPages: Int {
        free + anon + pageTables + fileClean + fileDirty + writeback
            + slabReclaimable + slabUnreclaimable + kernel + reservationPool
    }
}
