import OOMLabKernel

/// One kernel OOM report as read from dmesg, journalctl or /var/log/messages:
/// the header (who invoked the OOM killer, with which gfp mask), the memory
/// state (Mem-Info or the memory cgroup's limits), the task table and the
/// kernel's own kill lines. Every number is kept in the unit the report
/// prints (the task table in pages, Mem-Info zones and limits in kB).
/// `OOMReportParser` builds it; `ReportExplainer` and `ReportImporter` read it.
/// The report's parts come from dump_header, show_mem, dump_tasks and
/// oom_kill_process / __oom_kill_process, mm/oom_kill.c (docs/kernel.md §10.2).
public struct OOMReport: Equatable, Sendable {
    /// 1-based position of the report in its file.
    public var index: Int
    /// 1-based line numbers of the report's first and last line in the file.
    public var firstLine: Int
    public var lastLine: Int

    /// The release from the "CPU: ... Not tainted 4.0.5-..." line, if shown.
    public var kernelVersion: KernelVersion?
    /// Set when the report shows no CPU line of its own and `kernelVersion`
    /// is the one every other report of the same paste shows: that report's index.
    public var kernelVersionFromReport: Int?
    /// "COMM invoked oom-killer: gfp_mask=..., order=N, oom_score_adj=N".
    public var invoking: InvokingTask?
    public var constraint: Constraint = .global
    /// The invoking task's cpuset ("COMM cpuset=NAME mems_allowed=0").
    public var cpuset: String?
    /// The memory cgroup's lines (limits, counters, cgroups, stats) of a
    /// memcg OOM, or of any report that prints them (MemcgReport.swift).
    public var memcg: MemcgReport?
    /// The global "Mem-Info:" numbers, if printed.
    public var memInfo = MemInfo()
    public var table: TaskTable?
    /// "Out of memory: Kill process P (comm) score S or sacrifice child" (before 5.1).
    public var selectLine: KillLine?
    /// "Killed process P (comm) total-vm:..." (every era).
    public var killedLine: KillLine?
    /// The "oom-kill:constraint=...,task=COMM,pid=P,uid=U" summary (4.19 on).
    public var summary: OOMKillSummary?
    /// The kill came from vm.oom_kill_allocating_task: no scan was made.
    public var killedAllocatingTask = false
    /// "Out of memory and no killable processes...".
    public var noKillableProcesses = false
    /// "Kernel panic - not syncing: Out of memory: ... panic_on_oom ...".
    public var panicOnOOM = false
    /// The panic line's message after "not syncing: ".
    public var panicMessage: String?
    /// Pids named by "oom_reaper: reaped process P" after this report.
    public var reapedPids: [Int] = []
    /// Bytes per page, derived from the report where possible.
    public var pageSize: Int = 4096
    public var pageSizeSource: PageSizeSource = .assumed
    /// Things the parser noticed that limit what can be said (a truncated table...).
    public var warnings: [String] = []
    /// What ReportRepair undid in the file before reading it (mail quoting,
    /// quoted-printable, hard wraps...), for `explain-report --verbose`.
    public var repairs: [String] = []

    public init(index: Int, firstLine: Int) {
        self.index = index
        self.firstLine = firstLine
        self.lastLine = firstLine
    }

    public enum Constraint: String, Equatable, Sendable {
        /// CONSTRAINT_NONE: the whole machine ran out.
        case global
        /// CONSTRAINT_MEMCG: a memory cgroup hit its limit.
        case memcg
        /// CONSTRAINT_CPUSET: the cpuset's nodes ran out.
        case cpuset
        /// CONSTRAINT_MEMORY_POLICY: a mempolicy's nodes ran out.
        case mempolicy = "memory_policy"
    }

    public enum PageSizeSource: String, Equatable, Sendable {
        /// The buddy lists' smallest block ("Node 0 DMA: 13*4kB ...").
        case buddyList = "buddy list"
        /// The victim's total-vm kB in the kill line over its total_vm pages.
        case killLine = "kill line"
        /// Nothing in the report tells; 4 KiB (x86) assumed.
        case assumed = "assumed"
    }

    /// The kernel's victim: the task the kernel selected ("Kill process" before
    /// 5.1, else "Killed process"). nil when nothing was killed.
    public var kernelSelectedPid: Int? { selectLine?.pid ?? killedLine?.pid ?? summary?.pid }
}

/// A kernel release as printed, e.g. "4.0.5-x86_64-linode58".
public struct KernelVersion: Equatable, Sendable, CustomStringConvertible {
    public var major: Int
    public var minor: Int
    public var patch: Int
    /// The release string as the report prints it.
    public var release: String

    public init(major: Int, minor: Int, patch: Int = 0, release: String? = nil) {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.release = release ?? "\(major).\(minor).\(patch)"
    }

    /// The largest major, minor or patch number read (LINUX_VERSION_CODE
    /// keeps 8 bits each; 65535 leaves room for odd vendor strings).
    public static let maxComponent = 65_535

    /// Reads "4.0.5-x86_64-linode58", "2.6.32-642.11.1.el6.x86_64", "6.12.62+rpt-rpi-v8".
    /// nil if it does not start "N.N", or a number is over `maxComponent`.
    public init?(release: String) {
        var numbers: [Int] = []
        var current = ""
        for ch in release {
            if ch.isASCII && ch.isNumber {
                current.append(ch)
            } else {
                guard !current.isEmpty, let n = Int(current) else { break }
                numbers.append(n)
                current = ""
                if ch != "." || numbers.count == 3 { break }
            }
        }
        if !current.isEmpty, numbers.count < 3, let n = Int(current) { numbers.append(n) }
        guard numbers.count >= 2, numbers.allSatisfy({ $0 <= Self.maxComponent }) else { return nil }
        self.init(major: numbers[0], minor: numbers[1], patch: numbers.count > 2 ? numbers[2] : 0,
                  release: release)
    }

    public var description: String { release }

    /// True if this release is `major.minor` or later.
    public func atLeast(_ major: Int, _ minor: Int) -> Bool {
        (self.major, self.minor) >= (major, minor)
    }
}

/// The task that called out_of_memory().
public struct InvokingTask: Equatable, Sendable {
    public var comm: String
    /// From the "CPU: N PID: P Comm: ..." line, if shown.
    public var pid: Int?
    public var gfpMask: UInt64
    /// The names the kernel decoded the mask into ("GFP_KERNEL", "__GFP_COMP"),
    /// empty when it printed plain hex (before about 4.5).
    public var gfpNames: [String]
    public var order: Int
    public var oomScoreAdj: Int
    /// 1-based line in the file.
    public var line: Int
}

/// The Mem-Info numbers the model needs.
public struct MemInfo: Equatable, Sendable {
    /// "N pages RAM".
    public var ramPages: Int?
    /// "N pages reserved".
    public var reservedPages: Int?
    /// "N pages HighMem/MovableOnly".
    public var highmemPages: Int?
    /// "Total swap = NkB" / "Free swap  = NkB".
    public var totalSwapKB: Int?
    public var freeSwapKB: Int?
    /// Global counters, in pages ("free:N", "active_file:N", ...).
    public var counters: [String: Int] = [:]
    /// Per-zone lines, in report order.
    public var zones: [ZoneInfo] = []
    /// Whether a "Mem-Info:" block was seen at all.
    public var present = false

    public init() {}
}

/// One zone's line of show_free_areas ("Node 0 DMA32 free:5828kB min:3948kB ...").
public struct ZoneInfo: Equatable, Sendable {
    public var node: Int?
    public var name: String
    public var freeKB: Int
    public var minKB: Int
    public var lowKB: Int
    public var highKB: Int
    public var managedKB: Int?
    public var presentKB: Int?

    /// HighMem and Movable get their own small min, not a share of min_free_kbytes.
    public var isLowmem: Bool { name != "HighMem" && name != "Movable" && name != "Device" }
}

/// The dump_tasks() table.
public struct TaskTable: Equatable, Sendable {
    public var format: TableFormat
    /// The column names of the header, after "[ pid ]".
    public var columns: [String]
    public var rows: [TaskRow]
    /// 1-based line of the header.
    public var headerLine: Int
    /// "Tasks state (memory values in pages):" preceded the header (4.19 on).
    public var tasksStateLine: Bool
    /// The table stops before its end (the report was cut off).
    public var truncated: Bool = false
    /// Rows that could not be read and were left out (a warning names each).
    public var skippedRows = 0
}

/// The column layouts dump_tasks() printed over the years (docs/kernel.md §10.2).
public enum TableFormat: String, Equatable, Sendable, CaseIterable {
    /// Before 2.6.36: "total_vm rss cpu oom_adj name" (the old heuristic).
    case oomAdjOnly = "pre-2.6.36 (cpu oom_adj)"
    /// 2.6.36-3.7 and RHEL6's 2.6.32: "total_vm rss cpu oom_adj oom_score_adj name".
    case cpuOomAdj = "2.6.36-3.x (cpu oom_adj oom_score_adj)"
    /// 3.x to 3.19: "total_vm rss nr_ptes swapents oom_score_adj name".
    case nrPtes = "3.x (nr_ptes swapents)"
    /// 4.0-4.14: "... nr_ptes nr_pmds swapents ...".
    case nrPmds = "4.0-4.14 (nr_ptes nr_pmds)"
    /// 4.15-4.18 (and 4.19 on, after "Tasks state"): "... pgtables_bytes swapents ...".
    case pgtablesBytes = "4.15+ (pgtables_bytes)"
    /// 6.x: "... rss rss_anon rss_file rss_shmem pgtables_bytes swapents ...".
    case rssSplit = "6.x (rss_anon rss_file rss_shmem)"
}

/// One process of the task table. Memory values are pages, page tables as
/// printed (`pgtablesBytes` in bytes; `nrPtes`/`nrPmds` in pages).
public struct TaskRow: Equatable, Sendable {
    public var pid: Int
    public var uid: Int
    public var tgid: Int
    public var totalVM: Int
    public var rss: Int
    public var rssAnon: Int?
    public var rssFile: Int?
    public var rssShmem: Int?
    public var nrPtes: Int?
    public var nrPmds: Int?
    public var pgtablesBytes: Int?
    public var swapents: Int?
    /// Legacy /proc/PID/oom_adj (-17..15), in 2.6.x/3.x tables.
    public var oomAdj: Int?
    public var oomScoreAdj: Int
    public var name: String
    /// 1-based line in the file.
    public var line: Int

    /// Page-table pages as oom_badness counts them: nr_ptes (+ nr_pmds), or
    /// pgtables_bytes / PAGE_SIZE. 0 when the format does not show them.
    public func pageTablePages(pageSize: Int) -> Int {
        if let b = pgtablesBytes { return b / max(pageSize, 1) }
        return (nrPtes ?? 0) + (nrPmds ?? 0)
    }
}

/// A kill line: "Kill process P (comm) score S or sacrifice child" or
/// "Killed process P (comm) total-vm:NkB, anon-rss:NkB, ...".
public struct KillLine: Equatable, Sendable {
    public var pid: Int
    public var comm: String
    /// What precedes ": Kill": "Out of memory", "Memory cgroup out of memory",
    /// "Out of memory (oom_kill_allocating_task)".
    public var message: String
    /// The printed score (select line only, before 5.1).
    public var score: Int?
    public var totalVMKB: Int?
    public var anonRSSKB: Int?
    public var fileRSSKB: Int?
    public var shmemRSSKB: Int?
    /// "UID:N" (5.3 on), or RHEL's "UID N," backport (`vendorUID`).
    public var uid: Int?
    public var vendorUID = false
    /// "pgtables:NkB" and "oom_score_adj:N" (5.4 on).
    public var pgtablesKB: Int?
    public var oomScoreAdj: Int?
    /// The "key:" fields of a "Killed process" line, in order ("total-vm",
    /// "anon-rss", "file-rss", "shmem-rss", "UID", "pgtables", "oom_score_adj"):
    /// which ones a kernel prints dates it (ReportEraClues.swift).
    public var fields: [String] = []
    public var line: Int

    /// The paste ends (or was cut) before the task's name: "Killed process 946 (".
    public var nameCut: Bool { comm.isEmpty }
}

/// The one-line "oom-kill:" summary (4.19 on).
public struct OOMKillSummary: Equatable, Sendable {
    public var constraint: String
    public var comm: String?
    public var pid: Int?
    public var uid: Int?
    public var oomMemcg: String?
    public var taskMemcg: String?
    public var cpuset: String?
    public var line: Int
}
