/// The kernel's state as code outside the kernel reads it (the TUI, the
/// exports, the tests): read-only names for the fields of its parts
/// (Kernel+Parts.swift). Code inside the kernel names the part itself,
/// `taskTable.tasks[i]`, `zone.counters.free`: a computed name read on the
/// tick path costs a copy of the whole Kernel (docs/performance.md), and one
/// name for each field keeps a reader from wondering whether two differ.
extension Kernel {
    /// The zone's page counters (zone_page_state and friends).
    public var memory: MemoryCounters { zone.counters }
    public var watermarks: Watermarks { zone.watermarks }
    public var minFreeKbytes: Int { zone.minFreeKbytes }
    /// Pages direct reclaim has freed, ever.
    public var directReclaimedTotal: Int { reclaim.directReclaimedTotal }
    /// The tick of the user's first action, nil while the run is the scenario as written.
    public var firstUserActionTick: Int? { printk.firstUserActionTick }
    /// Every task ever started, ordered by pid (dead ones stay, state .dead).
    public var tasks: [Task] { taskTable.tasks }
    public var locks: [Lock] { lockTable.locks }
    public var oomKills: [OOMKill] { oom.kills }
    /// OOM invocations that found a victim still alive and did nothing.
    public var oomAborts: Int { oom.aborts }
    public var oomLockHolder: String? { oom.lockHolder }
    /// Pids the OOM reaper reaped, in order.
    public var reaped: [Int] { reaper.reaped }
    public var diagnoses: Diagnoses { detectors.diagnoses }
    /// The most recent events, for the TUI log; `step()` returns each tick's own.
    public var recentEvents: [Event] { printk.recent }
}
