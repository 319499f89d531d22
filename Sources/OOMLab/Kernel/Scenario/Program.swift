/// What a simulated task runs: a small program of operations, executed one
/// step per tick. Programs are immutable values; a task's position in its
/// program lives in the task (`Kernel.Task.frames`).
public indirect enum Op: Hashable, Sendable {
    /// Allocate pages (anon memory, a kernel buffer, page cache or slab).
    case alloc(AllocSpec)
    /// Free pages the task owns: anon or its kernel buffers. nil pages = all.
    case free(pages: Int?, from: FreeSource)
    /// Take a lock, waiting in the given way if it is not free: for write
    /// (exclusive, as mutex_lock or down_write) or for read (down_read,
    /// shared with other readers).
    case lock(name: String, wait: LockWait, mode: LockMode = .write)
    case unlock(name: String)
    /// Touch `pages` of the task's own memory, `ratePerTick` pages a tick:
    /// the share of them that is in swap faults back in (do_swap_page), each
    /// fault allocating a page and waiting for the disk to read it.
    case touch(pages: Int, ratePerTick: Int)
    /// Sleep interruptibly (TASK_INTERRUPTIBLE) for some ticks.
    case sleep(ticks: Int)
    /// Stay runnable, using the CPU, for some ticks.
    case compute(ticks: Int)
    /// Dave Chinner's reservation scheme: reserve `reserve` pages before the
    /// body takes any lock (when the reservations policy is on), let the body
    /// draw on them only when normal allocation fails, return the rest at commit.
    case transaction(reserve: Int, body: [Op])
    /// Run the body `count` times, or forever when count is nil.
    case `repeat`(count: Int?, body: [Op])
    case exit
}

/// Where allocated pages go, which decides how they can be reclaimed.
public enum AllocTarget: String, CaseIterable, Hashable, Sendable {
    /// The task's anonymous memory (rss): freed when it exits, swappable.
    case anon
    /// A kernel buffer owned by the task (e.g. a kmem_alloc'd transaction
    /// structure): counted as unreclaimable slab, freed at `free`/exit.
    case kernel
    /// Dirty page cache from `write`: reclaimable only after writeback.
    case fileDirty = "file_dirty"
    /// Clean page cache from `read`: the cheapest thing to reclaim.
    case fileClean = "file_clean"
    /// Reclaimable slab (dentries, inodes): shrinkers free it, not for NOFS.
    case slabReclaimable = "slab_reclaimable"
    /// Unreclaimable slab not owned by any task.
    case slabUnreclaimable = "slab_unreclaimable"
}

/// What the caller does when the page allocator returns NULL.
public enum RetryStyle: String, CaseIterable, Equatable, Sendable {
    /// Plain allocator semantics: the page allocator applies its own retry
    /// rules (which for small orders in 2015 means never returning NULL);
    /// if it does return NULL the operation fails and the program goes on.
    case allocator
    /// A single pass through the slow path, no retry loop: the caller gives
    /// up on the first failed round.
    case once
    /// XFS's kmem_alloc loop (fs/xfs/kmem.c, 4.0): on failure
    /// congestion_wait(BLK_RW_ASYNC, HZ/50) and retry forever, printing
    /// "possible memory allocation deadlock" every 100th failure.
    case kmemAlloc = "kmem_alloc"
}

public enum FreeSource: String, CaseIterable, Equatable, Sendable {
    case anon
    case kernel
}

/// How a task waits for a held mutex.
public enum LockWait: String, CaseIterable, Equatable, Sendable {
    /// mutex_lock(): TASK_UNINTERRUPTIBLE. SIGKILL does not wake it; khungtaskd reports it.
    case uninterruptible
    /// mutex_lock_killable(): TASK_KILLABLE. SIGKILL wakes it and it exits.
    case killable
}

/// How a task holds a lock. Every lock is a rwsem (struct rw_semaphore) in
/// the model; one only ever taken for write behaves as a mutex, which is
/// what a scenario that gives no mode means.
public enum LockMode: String, CaseIterable, Equatable, Sendable {
    /// down_write() (mutex_lock() for a mutex): exclusive.
    case write
    /// down_read(): shared with other readers; waits behind a writer that
    /// holds the lock or is queued for it.
    case read
}

public struct AllocSpec: Hashable, Sendable {
    /// Total pages the operation allocates (rounded up to whole 2^order blocks).
    public var pages: Int
    /// Buddy order of each request (0 = single pages, 3 = 32 KiB, 4 = 64 KiB).
    public var order: Int
    public var gfp: GFPFlags
    public var target: AllocTarget
    public var retry: RetryStyle
    /// Pages requested per tick (a page-faulting program touches memory at
    /// some rate); at least one 2^order block.
    public var ratePerTick: Int

    public init(pages: Int, order: Int = 0, gfp: GFPFlags, target: AllocTarget,
                retry: RetryStyle = .allocator, ratePerTick: Int = AllocSpec.defaultRate) {
        self.pages = pages
        self.order = order
        self.gfp = gfp
        self.target = target
        self.retry = retry
        self.ratePerTick = ratePerTick
    }

    /// 256 pages (1 MiB) per 10 ms tick: 100 MiB/s of page faults.
    public static let defaultRate = 256

    /// The default mask for a target: user memory and page cache are
    /// GFP_HIGHUSER_MOVABLE, kernel buffers and slab GFP_KERNEL.
    public static func defaultGFP(for target: AllocTarget) -> GFPFlags {
        switch target {
        case .anon, .fileDirty, .fileClean: return .highuserMovable
        case .kernel, .slabReclaimable, .slabUnreclaimable: return .kernel
        }
    }
}

extension Op {
    /// The operation's keyword in scenario files.
    public var keyword: String {
        switch self {
        case .alloc(let a):
            switch a.target {
            case .anon, .kernel: return "alloc"
            case .fileDirty: return "write"
            case .fileClean: return "read"
            case .slabReclaimable, .slabUnreclaimable: return "slab"
            }
        case .free: return "free"
        case .touch: return "touch"
        case .lock: return "lock"
        case .unlock: return "unlock"
        case .sleep: return "sleep"
        case .compute: return "compute"
        case .transaction: return "transaction"
        case .repeat: return "repeat"
        case .exit: return "exit"
        }
    }

    /// Every keyword a program may use, for "did you mean".
    public static let keywords = ["alloc", "free", "touch", "lock", "unlock", "write", "read", "slab",
                                  "sleep", "compute", "transaction", "repeat", "exit"]
}
