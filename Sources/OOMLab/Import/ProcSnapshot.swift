import Foundation
import OOMLabKernel

/// This machine as the OOM killer sees it right now: totalram and swap from
/// /proc/meminfo, and for every process its rss, swap entries and page
/// tables (/proc/PID/status), oom_score_adj and the kernel's own
/// /proc/PID/oom_score. `ProcReader.read()` builds it; `comparisons()` puts
/// the model's oom_score beside the kernel's. docs/kernel.md §6.4, §10.4.
public struct ProcSnapshot: Equatable, Sendable {
    /// The running kernel (/proc/sys/kernel/osrelease).
    public var kernel: KernelVersion?
    public var memTotalKB: Int
    public var swapTotalKB: Int
    public var minFreeKbytes: Int?
    public var pageSize: Int
    public var processes: [ProcProcess]
    /// Processes that exited while being read (skipped, not errors).
    public var vanished: Int
    /// Processes whose memory kept changing while being read, so the kernel's
    /// score and the counters cannot be compared (skipped, not errors).
    public var unstable: [ProcProcess]

    /// The rules of the running kernel's oom_badness.
    public var rules: BadnessRules {
        guard let k = kernel else { return .v6 }
        return .forKernel(major: k.major, minor: k.minor)
    }

    /// totalram_pages() + total_swap_pages, the scale of /proc/PID/oom_score.
    /// proc_oom_score, fs/proc/base.c.
    public var totalPages: Int { (memTotalKB + swapTotalKB) * 1024 / pageSize }

    /// The model's /proc/PID/oom_score for a process. proc_oom_score, fs/proc/base.c.
    public func modelOOMScore(_ p: ProcProcess) -> Int {
        procOOMScore(p.badnessInput, totalPages: totalPages, rules: rules)
    }

    public struct Comparison: Equatable, Sendable {
        public var process: ProcProcess
        public var model: Int
        public var kernel: Int
        public var agree: Bool { model == kernel }
    }

    /// Every (stable) process with the model's oom_score and the kernel's.
    public func comparisons() -> [Comparison] {
        processes.map { Comparison(process: $0, model: modelOOMScore($0), kernel: $0.kernelOOMScore) }
    }
}

/// One process of the snapshot; memory in pages.
public struct ProcProcess: Equatable, Sendable {
    public var pid: Int
    public var name: String
    public var uid: Int
    public var rss: Int
    public var swap: Int
    public var pageTables: Int
    public var oomScoreAdj: Int
    /// /proc/PID/oom_score as the kernel printed it.
    public var kernelOOMScore: Int
    /// CAP_SYS_ADMIN in the effective set (the root discount before 4.17).
    public var capSysAdmin: Bool
    /// Has an mm (not a kernel thread or zombie): only then can it be chosen.
    public var hasMM: Bool
    /// The machine's init (pid 1 of the initial pid namespace): never chosen.
    public var isGlobalInit: Bool

    public var badnessInput: BadnessInput {
        BadnessInput(rss: rss, swapEntries: swap, pageTablePages: pageTables, oomScoreAdj: oomScoreAdj,
                     isRoot: capSysAdmin, unkillable: !hasMM || isGlobalInit)
    }
}

/// Reads /proc. Processes that vanish mid-read are counted and skipped.
public enum ProcReader {
    public static func read(proc: String = "/proc") throws(ReportError) -> ProcSnapshot {
        guard let meminfo = file("\(proc)/meminfo") else { throw ReportError("cannot read \(proc)/meminfo") }
        let mem = keyValues(meminfo)
        guard let total = mem["MemTotal"] else { throw ReportError("no MemTotal in \(proc)/meminfo") }
        let osrelease = file("\(proc)/sys/kernel/osrelease").map { String(ReportText.trimRight(Substring($0)).filter { $0 != "\n" }) }
        let pageSize = max(Int(sysconf(Int32(_SC_PAGESIZE))), 1024)
        var snapshot = ProcSnapshot(
            kernel: osrelease.flatMap { KernelVersion(release: $0) }, memTotalKB: total,
            swapTotalKB: mem["SwapTotal"] ?? 0,
            minFreeKbytes: file("\(proc)/sys/vm/min_free_kbytes").flatMap { Int($0.filter(\.isNumber)) },
            pageSize: pageSize, processes: [], vanished: 0, unstable: [])
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: proc)) ?? []
        let pids = entries.compactMap { Int($0) }.sorted()
        for pid in pids {
            switch readProcess(pid, proc: proc, pageSize: pageSize) {
            case .vanished: snapshot.vanished += 1
            case .unstable(let p): snapshot.unstable.append(p)
            case .read(let p): snapshot.processes.append(p)
            }
        }
        return snapshot
    }

    enum Outcome { case vanished, unstable(ProcProcess), read(ProcProcess) }

    /// status, oom_score_adj and oom_score, with status read again after
    /// oom_score: if the memory counters moved in between, read again (up to
    /// three times) so that the kernel's score and the counters match.
    static func readProcess(_ pid: Int, proc: String, pageSize: Int) -> Outcome {
        let dir = "\(proc)/\(pid)"
        var last: ProcProcess?
        for _ in 0..<3 {
            guard let before = file("\(dir)/status"),
                  let adjText = file("\(dir)/oom_score_adj"), let adj = Int(adjText.filter { $0 != "\n" }),
                  let scoreText = file("\(dir)/oom_score"), let score = Int(scoreText.filter { $0 != "\n" }),
                  let after = file("\(dir)/status")
            else { return .vanished }
            let a = parseStatus(before), b = parseStatus(after)
            let isGlobalInit = pid == 1 && (a.nspidDepth <= 1)
            let p = ProcProcess(pid: pid, name: a.name, uid: a.uid, rss: a.rssKB * 1024 / pageSize,
                                swap: a.swapKB * 1024 / pageSize, pageTables: a.pteKB * 1024 / pageSize,
                                oomScoreAdj: adj, kernelOOMScore: score, capSysAdmin: a.capSysAdmin,
                                hasMM: a.hasMM, isGlobalInit: isGlobalInit)
            if a.memory == b.memory { return .read(p) }
            last = p
        }
        return last.map { .unstable($0) } ?? .vanished
    }

    struct Status {
        var name = ""
        var uid = 0
        var rssKB = 0
        var swapKB = 0
        var pteKB = 0
        var hasMM = false
        var capSysAdmin = false
        var nspidDepth = 1
        var memory: [Int] { [rssKB, swapKB, pteKB, hasMM ? 1 : 0] }
    }

    /// The fields of /proc/PID/status the OOM killer's inputs come from:
    /// VmRSS (anon + file + shmem), VmSwap (swap entries), VmPTE (page-table
    /// bytes / 1024). task_mem, fs/proc/task_mmu.c.
    static func parseStatus(_ text: String) -> Status {
        var s = Status()
        for line in ReportText.procLines(text).map({ Substring($0) }) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon]
            let value = ReportText.trimLeft(line[line.index(after: colon)...])
            let firstInt = ReportText.leadingInt(value)?.0
            switch key {
            case "Name": s.name = String(value)
            case "Uid": s.uid = firstInt ?? 0
            case "VmRSS": s.rssKB = firstInt ?? 0; s.hasMM = true
            case "VmSwap": s.swapKB = firstInt ?? 0
            case "VmPTE": s.pteKB = firstInt ?? 0
            case "CapEff":
                if let caps = UInt64(value, radix: 16) { s.capSysAdmin = caps & (1 << 21) != 0 }
            case "NSpid": s.nspidDepth = value.split(whereSeparator: { $0 == " " || $0 == "\t" }).count
            default: break
            }
        }
        return s
    }

    /// "MemTotal:       16318348 kB" lines, in kB.
    static func keyValues(_ text: String) -> [String: Int] {
        var out: [String: Int] = [:]
        for line in ReportText.procLines(text).map({ Substring($0) }) {
            guard let colon = line.firstIndex(of: ":"),
                  let (n, _) = ReportText.leadingInt(line[line.index(after: colon)...]) else { continue }
            out[String(line[..<colon])] = n
        }
        return out
    }

    static func file(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

extension ProcSnapshot {
    /// The machine as a scenario: every process with an mm as a task, and a
    /// task that allocates (with oom_score_adj -1000, so it is never the
    /// victim) until the OOM killer fires; the expectation is the model's
    /// choice among the processes as they are now. With `cgroups`, each
    /// task is in its cgroup and the scenario has their `cgroups:` block.
    public func scenario(cgroups: CgroupSnapshot? = nil) -> Scenario {
        let era: Era = (kernel?.atLeast(4, 17) ?? true) ? .modern : .v2015
        let ram = memTotalKB * 1024 / pageSize
        let swap = swapTotalKB * 1024 / pageSize
        var tasks: [TaskSpec] = processes.filter { $0.hasMM }.map { p in
            TaskSpec(pid: p.pid, name: p.name, uid: p.uid, oomScoreAdj: p.oomScoreAdj, anonPages: p.rss,
                     swapPages: p.swap, pageTablePages: p.pageTables, program: ReportImporter.idleProgram)
        }
        let used = tasks.map { $0.anonPages + ($0.pageTablePages ?? 0) }.reduce(0, +)
        let pressurePid = (processes.map(\.pid).max() ?? 1) + 1
        tasks.append(TaskSpec(pid: pressurePid, name: "oomlab-pressure", uid: 0, oomScoreAdj: OOMScoreAdj.min,
                              startTick: ReportImporter.allocStartTick, program: [.alloc(AllocSpec(pages: ram + swap, gfp: .highuserMovable, target: .anon,
                                                         ratePerTick: max(AllocSpec.defaultRate, (ram + swap) / 500)))]))
        let ranked = processes.filter { $0.hasMM && !$0.isGlobalInit }
        var best: ProcProcess?
        var bestPoints = Int.min
        for p in ranked {
            guard let points = oomBadness(p.badnessInput, totalPages: totalPages, rules: rules) else { continue }
            if best == nil || points > bestPoints || (points == bestPoints && rules.laterTieWins) {
                best = p
                bestPoints = points
            }
        }
        let machine = MachineConfig(ramPages: max(ram, used + ram / 50), swapPages: swap, kernelPages: 0,
                                    minFreeKbytes: minFreeKbytes)
        var notes: [String] = []
        let spec = cgroups?.spec(placing: &tasks, notes: &notes) ?? CgroupsSpec()
        let read = cgroups.map { " and \($0.root) (cgroup \($0.version.rawValue), \(spec.groups.count) cgroups)" } ?? ""
        return Scenario(
            name: "snapshot",
            description: "This machine's processes (kernel \(kernel?.release ?? "unknown")) read from /proc\(read); "
                + "oomlab-pressure allocates until the OOM killer fires."
                + (notes.isEmpty ? "" : "\nNotes:\n" + notes.map { "- " + $0 }.joined(separator: "\n")),
            ticks: 10_000, machine: machine, policy: PolicySpec(era: era), cgroups: spec, tasks: tasks,
            expect: best.map { Expectation(checks: [ExpectCheck(.killed([.pid($0.pid)]))]) })
    }

    /// The --compare table: pid, name, model and kernel oom_score, and a mark
    /// where they differ.
    public func compareText() -> String {
        var lines = ["kernel \(kernel?.release ?? "unknown"), totalpages \(totalPages) "
                     + "(MemTotal \(memTotalKB) kB + SwapTotal \(swapTotalKB) kB)",
                     String(repeating: " ", count: 3) + "pid  model  kernel  name"]
        for c in comparisons() {
            let pid = String(c.process.pid), m = String(c.model), k = String(c.kernel)
            lines.append(String(repeating: " ", count: max(0, 6 - pid.count)) + pid
                         + String(repeating: " ", count: max(0, 7 - m.count)) + m
                         + String(repeating: " ", count: max(0, 8 - k.count)) + k
                         + "  " + c.process.name + (c.agree ? "" : "  <- differs"))
        }
        let differ = comparisons().filter { !$0.agree }.count
        lines.append("\(processes.count) processes compared, \(differ) differ; \(vanished) exited while being read, "
                     + "\(unstable.count) changed while being read (skipped)")
        return lines.joined(separator: "\n") + "\n"
    }
}
