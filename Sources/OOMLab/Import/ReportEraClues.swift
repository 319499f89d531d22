import OOMLabKernel

/// What a report's own formats say about its kernel when it prints no
/// release: each line the kernel printed differently over the years is a
/// clue that bounds the release from below ("from 4.19": the line did not
/// exist before) or from above ("before 5.1": the line was removed). The
/// clues a report shows are intersected, and `ReportEra.infer` names the
/// ones that decided. Each clue names the mainline change that introduced or
/// removed its format (docs/kernel.md §10.3, "Era without a release line").
/// The formats are those of dump_header, dump_tasks, dump_oom_summary and
/// __oom_kill_process / oom_kill_process in mm/oom_kill.c.
struct ReportEraClue: Sendable {
    /// What the report shows, as explain-report names it.
    var name: String
    /// The first release that prints it (inclusive), or nil.
    var from: (Int, Int)?
    /// The first release that no longer prints it (exclusive), or nil.
    var until: (Int, Int)?
    /// The mainline change, by its title (and where it was posted).
    var change: String

    /// "from 4.19", "before 5.1", "4.0-4.14".
    var bound: String {
        switch (from, until) {
        case let (f?, u?): return "\(f.0).\(f.1)-\(ReportEraClue.previous(u).0).\(ReportEraClue.previous(u).1)"
        case let (f?, nil): return "from \(f.0).\(f.1)"
        case let (nil, u?): return "before \(u.0).\(u.1)"
        case (nil, nil): return "any release"
        }
    }

    /// The release before `v` in the numbering the kernel used (2.6.x, 3.0-3.19, 4.0-4.20, 5.0-5.19, 6.x).
    static func previous(_ v: (Int, Int)) -> (Int, Int) {
        if v.1 > 0 { return (v.0, v.1 - 1) }
        switch v.0 {
        case 3: return (2, 6)
        case 4: return (3, 19)
        case 5: return (4, 20)
        case 6: return (5, 19)
        default: return (v.0 - 1, 19)
        }
    }

    /// The clues in `r`, in the order a reader meets them.
    static func clues(in r: OOMReport) -> [ReportEraClue] {
        var out: [ReportEraClue] = []
        if let t = r.table {
            switch t.format {
            case .rssSplit:
                out.append(.init(name: "the task table's rss_anon/rss_file/rss_shmem columns", from: (6, 0), until: nil,
                                 change: "dump_tasks prints the rss split (6.x; the exact release not checked)"))
            case .pgtablesBytes:
                out.append(.init(name: "the task table's pgtables_bytes column", from: (4, 15), until: nil,
                                 change: "af5b0f6a09e4 \"mm: consolidate page table accounting\" (4.15)"))
            case .nrPmds:
                out.append(.init(name: "the task table's nr_ptes/nr_pmds columns", from: (4, 0), until: (4, 15),
                                 change: "\"mm: account pmd page tables to the process\" (4.0) until af5b0f6a09e4 (4.15)"))
            case .nrPtes:
                out.append(.init(name: "the task table's nr_ptes/swapents columns (no nr_pmds)", from: (3, 6), until: (4, 0),
                                 change: "\"mm, oom: replace some information in tasklist dump\" (David Rientjes, posted to linux-mm 2012-06-22; 3.6 by date) until \"mm: account pmd page tables to the process\" (4.0)"))
            case .cpuOomAdj, .oomAdjOnly:
                out.append(.init(name: "the task table's cpu/oom_adj columns", from: nil, until: (3, 6),
                                 change: "replaced by nr_ptes/swapents in \"mm, oom: replace some information in tasklist dump\" (linux-mm 2012-06-22)"))
            }
            if t.tasksStateLine {
                out.append(.init(name: "the \"Tasks state (memory values in pages):\" line", from: (4, 19), until: nil,
                                 change: "c3b78b11efbb \"mm, oom: describe task memory unit, larger PID pad\" (4.19)"))
            }
        }
        if r.summary != nil {
            out.append(.init(name: "the \"oom-kill:constraint=...\" summary line", from: (5, 0), until: nil,
                             change: "ef8444ea01d7 \"mm, oom: reorganize the oom report in dump_header\" (5.0; docs/kernel.md §14 D37)"))
        }
        if r.selectLine != nil {
            out.append(.init(name: "the \"... or sacrifice child\" line", from: nil, until: (5, 1),
                             change: "removed by bbbe48029720 \"mm, oom: remove 'prefer children over parent' heuristic\" (5.1)"))
        }
        if let k = r.killedLine {
            if !k.message.isEmpty && r.selectLine == nil {
                out.append(.init(name: "\"\(k.message): Killed process\" (the reason before the kill line)", from: (5, 1), until: nil,
                                 change: "bbbe48029720 (5.1) prints the reason in the kill line"))
            }
            let keys = k.fields
            if keys.contains("UID") {
                out.append(.init(name: "\"UID:\" in the kill line", from: (5, 3), until: nil,
                                 change: "\"mm/oom_killer: Add task UID to info message on an oom kill\" (Joel Savitz, linux-kernel 2019-06-12)"))
            } else if keys.last == "shmem-rss" && k.shmemRSSKB != nil && !k.vendorUID {
                out.append(.init(name: "a whole kill line ending at shmem-rss (no UID:)", from: nil, until: (5, 3),
                                 change: "UID: added by \"mm/oom_killer: Add task UID to info message on an oom kill\" (2019-06-12)"))
            }
            if keys.contains("pgtables") || keys.contains("oom_score_adj") {
                out.append(.init(name: "\"pgtables:\"/\"oom_score_adj:\" in the kill line", from: (5, 4), until: nil,
                                 change: "\"mm/oom: Add oom_score_adj and pgtables to Killed process message\" (Edward Chron, linux-kernel 2019-08-15)"))
            } else if keys.last == "UID", k.uid != nil {
                out.append(.init(name: "a whole kill line ending at UID: (no pgtables:)", from: nil, until: (5, 4),
                                 change: "pgtables: added by \"mm/oom: Add oom_score_adj and pgtables to Killed process message\" (2019-08-15)"))
            }
            if keys.contains("shmem-rss") {
                out.append(.init(name: "\"shmem-rss:\" in the kill line", from: (4, 5), until: nil,
                                 change: "\"mm, shmem: add internal shmem resident memory accounting\" (Jerome Marchand, 4.5)"))
            } else if keys.last == "file-rss", k.fileRSSKB != nil {
                out.append(.init(name: "a whole kill line ending at file-rss (no shmem-rss:)", from: nil, until: (4, 5),
                                 change: "shmem-rss: added by \"mm, shmem: add internal shmem resident memory accounting\" (4.5)"))
            }
        }
        return out
    }
}

extension ReportEra {
    /// The era from the clues alone: the releases every clue allows, and in
    /// them the release the table layout usually comes from (`preferred`).
    /// When the clues contradict each other (a vendor kernel's backport), the
    /// table's clue and the kill line's are kept in that order until they
    /// conflict, and the source says which were set aside.
    static func fromClues(_ clues: [ReportEraClue], preferred: (Int, Int)) -> ReportEra {
        var lo: (Int, Int) = (2, 6), hi: (Int, Int)?
        var used: [ReportEraClue] = [], ignored: [ReportEraClue] = []
        for c in clues {
            let from = c.from ?? lo
            let newLo = from > lo ? from : lo
            let newHi: (Int, Int)? = switch (hi, c.until) {
            case let (a?, b?): a < b ? a : b
            case let (a, b): a ?? b
            }
            if let h = newHi, newLo >= h {
                ignored.append(c)
                continue
            }
            lo = newLo
            hi = newHi
            used.append(c)
        }
        var pick = preferred
        if pick < lo { pick = lo }
        if let h = hi, pick >= h { pick = ReportEraClue.previous(h) }
        let release = KernelVersion(major: pick.0, minor: pick.1)
        let range = hi.map { "\(lo.0).\(lo.1)-\(ReportEraClue.previous($0).0).\(ReportEraClue.previous($0).1)" }
            ?? "\(lo.0).\(lo.1) or later"
        var source = "no kernel release shown; "
        if used.isEmpty {
            source += "no format clue either, modern rules assumed"
        } else {
            source += "decided by " + used.map { "\($0.name) (\($0.bound): \($0.change))" }.joined(separator: "; ")
            source += " => \(range)"
            // A rule that changes inside the range is a guess: say which.
            let inside = BadnessRules.changes.filter { c in
                (c.major, c.minor) > lo && hi.map { (c.major, c.minor) < $0 } ?? true
            }
            if !inside.isEmpty {
                source += ", assumed \(pick.0).\(pick.1) (the range spans "
                    + inside.map { "\($0.major).\($0.minor): \($0.change)" }.joined(separator: "; ") + ")"
            }
        }
        if !ignored.isEmpty {
            source += "; set aside as contradicting the others (a vendor kernel?): " + ignored.map(\.name).joined(separator: ", ")
        }
        var era = ReportEra(kernel: release, source: source)
        era.clues = used.map(\.name)
        return era
    }
}
