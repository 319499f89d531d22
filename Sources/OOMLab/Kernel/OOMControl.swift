/// struct oom_control (include/linux/oom.h): one invocation of the OOM
/// killer. out_of_memory fills it in, select_bad_process writes its choice
/// into it, and oom_kill_process and dump_header read it.
struct OOMControl: Equatable, Sendable {
    /// What select_bad_process chose.
    enum Chosen: Equatable, Sendable {
        /// The task to kill (its index in the task table).
        case task(Int)
        /// INFLIGHT_VICTIM ((void *)-1UL; 4.0 returned OOM_SCAN_ABORT): an
        /// earlier victim is still alive, so the scan stopped and nothing dies.
        case inflightVictim(pid: Int)
    }

    /// gfp_mask and order of the allocation that failed: dump_header prints
    /// them, and 6.x leaves a !__GFP_FS request unkilled.
    let gfpMask: GFPFlags
    let order: Int
    /// The memory cgroup whose limit was hit; nil for a global OOM, the only
    /// kind the simulated kernel has so far.
    let memcg: CgroupID?
    /// totalpages: what badness is a share of (constrained_alloc: managed
    /// RAM plus swap for a global OOM).
    let totalPages: Int
    /// Invoked from a write to memory.max (memory_max_write), in the
    /// writer's context rather than an allocating task's or kswapd's.
    var fromLimitWrite = false
    /// chosen and chosen_points; nil before the scan and when it found no
    /// killable task.
    var chosen: Chosen?
    var chosenPoints = 0
}
