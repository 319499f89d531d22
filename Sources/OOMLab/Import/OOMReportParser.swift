import OOMLabKernel

/// Reads kernel OOM reports out of a log as people paste it: dmesg (with or
/// without timestamps), journalctl, /var/log/messages, indented quotes. A file
/// may hold several reports; each starts at "invoked oom-killer" (or, when
/// the header was cut, at the first Mem-Info, task table or kill line).
///
/// It reads the formats of every era (docs/kernel.md §10.2): the 2.6.x/3.x
/// "cpu oom_adj" table, 3.x nr_ptes, 4.0-4.14 nr_pmds, 4.15+ pgtables_bytes,
/// 4.19+ "Tasks state", 6.x rss_anon/rss_file/rss_shmem; the kill lines
/// "Kill process ... score S or sacrifice child", "Killed process ...",
/// "Out of memory: Killed process ...", their memory cgroup and
/// oom_kill_allocating_task forms, and "Out of memory and no killable
/// processes...". A line it recognises but cannot read is an error naming the
/// line; a table cut off at the end of the text is kept, with a warning.
/// The report comes from dump_header / dump_tasks / oom_kill_process, mm/oom_kill.c.
public struct OOMReportParser {
    public init() {}

    /// Every report in `text`, in order. Throws if there is none or a
    /// recognised line cannot be read.
    public func parseAll(_ text: String) throws(ReportError) -> [OOMReport] {
        let repaired = ReportRepair(text)
        var state = ParseState(repairs: repaired.repairs)
        for line in repaired.lines {
            try state.feed(raw: line.raw, message: line.message, number: line.number)
        }
        try state.finish()
        guard !state.reports.isEmpty else { throw .noReport() }
        return Self.shareRelease(state.reports)
    }

    /// A report without a CPU line (the tail of a kill, a paste cut after
    /// the header) takes the release the other reports of the same paste
    /// print, when they all print the same one: one machine's log.
    static func shareRelease(_ reports: [OOMReport]) -> [OOMReport] {
        let shown = reports.filter { $0.kernelVersion != nil }
        guard let first = shown.first, shown.allSatisfy({ $0.kernelVersion?.release == first.kernelVersion?.release })
        else { return reports }
        return reports.map { r in
            guard r.kernelVersion == nil else { return r }
            var r = r
            r.kernelVersion = first.kernelVersion
            r.kernelVersionFromReport = first.index
            return r
        }
    }

    /// The report at 1-based `index`; without one, `explainedIndex`'s choice.
    public func parse(_ text: String, index: Int? = nil) throws(ReportError) -> OOMReport {
        let all = try parseAll(text)
        let index = index ?? Self.explainedIndex(all)
        guard index >= 1, index <= all.count else { throw .badIndex(index, count: all.count) }
        return all[index - 1]
    }

    /// Which report to explain when none is asked for: the first with its
    /// "invoked oom-killer" header or a task table. A paste often starts with
    /// the tail of an earlier report (its kill line alone), which is skipped.
    public static func explainedIndex(_ reports: [OOMReport]) -> Int {
        (reports.firstIndex { $0.invoking != nil || $0.table != nil } ?? 0) + 1
    }

    /// Why `explainedIndex` chose report `index` over the ones before it, or nil.
    public static func whyExplained(_ reports: [OOMReport], index: Int) -> String? {
        guard index > 1, index == explainedIndex(reports) else { return nil }
        let before = index == 2 ? "report 1 is" : "reports 1-\(index - 1) are"
        return "\(before) the tail of an earlier report (no header, no task table); --index chooses another"
    }
}

/// The parser's state while it walks the lines of a file.
private struct ParseState {
    /// What ReportRepair undid in the file, given to every report.
    var repairs: [String]
    var reports: [OOMReport] = []
    var current: OOMReport?
    var inMemInfo = false
    var sawTasksState = false
    /// The last table row could not be read; kept to decide at the end whether
    /// it was a cut-off last line (a warning) or a bad line (an error).
    var pendingBadRow: (line: Int, text: String, why: String)?

    /// Whether the current report has its kill line(s): a new section after
    /// this starts a new report.
    var currentFinished: Bool {
        guard let r = current else { return true }
        return r.killedLine != nil || r.noKillableProcesses || r.panicOnOOM
    }

    mutating func begin(at number: Int) throws(ReportError) {
        try finish()
        current = OOMReport(index: reports.count + 1, firstLine: number)
        current?.repairs = repairs
        inMemInfo = false
        sawTasksState = false
    }

    mutating func finish() throws(ReportError) {
        guard var r = current else { return }
        if let t = r.table { try Self.checkTotal(t) }
        if let bad = pendingBadRow {
            // The table ended on a line it could not read and nothing of the
            // report followed: the text was cut in the middle of that row.
            r.table?.truncated = true
            r.warnings.append("the task table is truncated at line \(bad.line) (\(bad.why)); tasks after it are missing")
            pendingBadRow = nil
        } else if let t = r.table, !t.truncated, r.killedLine == nil, r.selectLine == nil,
                  !r.noKillableProcesses, r.summary == nil {
            r.table?.truncated = true
            r.warnings.append("no kill line follows the task table (line \(t.headerLine)); the table may be truncated")
        }
        derivePageSize(&r)
        MemcgReport.complete(&r)
        reports.append(r)
        current = nil
    }

    mutating func feed(raw: Substring, message m: Substring, number: Int) throws(ReportError) {
        if m.isEmpty { return }
        if m.holds("invoked oom-killer") {
            try begin(at: number)
            do {
                current?.invoking = try Self.invokedLine(m, number: number, raw: raw)
            } catch {
                // An impossible number is an error; a header that cannot be
                // read keeps the report: the rest of it names the victim and the tasks.
                if error.message.contains("out of range") { throw error }
                current?.warnings.append("\(error.description); the invoking task is unknown")
            }
            current?.lastLine = number
            return
        }
        if let r = current, !currentFinished, Self.repeatsSection(m, in: r) {
            // A second "Kill process" or "oom-kill:" line with no kill in
            // between: grep output of several kills, one report each.
            try begin(at: number)
        }
        if current == nil || currentFinished {
            guard Self.startsSection(m) else {
                if var r = current, Self.isTrailer(m) {
                    Self.applyTrailer(m, to: &r)
                    r.lastLine = number
                    current = r
                }
                return
            }
            try begin(at: number)
        }
        try body(m, raw: raw, number: number)
    }

    /// Lines that may open a report whose header was not pasted.
    static func startsSection(_ m: Substring) -> Bool {
        m == "Mem-Info:" || isTableHeader(m) || m.hasPrefix("Tasks state (memory values in pages)")
            || killKind(m) != nil || m.hasPrefix("memory: usage ") || m.hasPrefix("oom-kill:")
            || m.holds("no killable processes")
            || (m.hasPrefix("Task in ") && m.holds("killed as a result of limit"))
    }

    /// A line the current report already has and cannot have twice.
    static func repeatsSection(_ m: Substring, in r: OOMReport) -> Bool {
        (r.selectLine != nil && killKind(m) == .select) || (r.summary != nil && m.hasPrefix("oom-kill:"))
    }

    /// Lines after the kill that still belong to the report.
    static func isTrailer(_ m: Substring) -> Bool {
        m.hasPrefix("oom_reaper: ") || m.holds("Kernel panic") || m.holds("sharing same memory")
    }

    static func applyTrailer(_ m: Substring, to r: inout OOMReport) {
        if m.hasPrefix("oom_reaper: reaped process "),
           let (pid, _) = ReportText.leadingInt(m.dropFirst("oom_reaper: reaped process ".count)),
           ReportLimits.pid.contains(pid) {
            r.reapedPids.append(pid)
        }
        if m.holds("Kernel panic") && m.holds("panic_on_oom") {
            r.panicOnOOM = true
            if let r0 = m.byteRange(of: "not syncing: ") { r.panicMessage = String(m[r0.upperBound...]) }
        }
    }

    /// A row that could not be read and was followed by more of the report
    /// (it was not the cut-off end of the text) is left out, with a warning
    /// naming it: one bad line never loses the report.
    mutating func checkPendingRow(_ r: inout OOMReport) {
        guard let bad = pendingBadRow else { return }
        r.warnings.append(ReportError("cannot read task table row (\(bad.why)); the task is left out of the ranking",
                                      line: bad.line, text: bad.text).description)
        r.table?.skippedRows += 1
        pendingBadRow = nil
    }

    // MARK: - The body of a report

    mutating func body(_ m: Substring, raw: Substring, number: Int) throws(ReportError) {
        // Taken out of `current` (not copied) so that appending a row does
        // not copy the whole table each time: the copy made parsing quadratic.
        guard var r = current.take() else { return }
        defer { current = r }
        var recognised = true

        if try MemcgReport.read(m, into: &r, number: number, raw: raw) {
            // The memory cgroup's lines (MemcgReport.swift).
        } else if m.hasPrefix("CPU: ") && m.holds("PID: ") || m.hasPrefix("Pid: ") && m.holds("comm: ") {
            if r.invoking?.pid == nil {
                r.invoking?.pid = try Self.checked(ReportText.int(after: "PID: ", in: m) ?? ReportText.int(after: "Pid: ", in: m),
                                                   "pid", ReportLimits.pid, number: number, raw: raw)
            }
            if r.kernelVersion == nil { r.kernelVersion = try Self.version(inCPULine: m, number: number, raw: raw) }
        } else if r.cpuset == nil, let c = m.byteRange(of: " cpuset="), m.holds("mems_allowed") {
            r.cpuset = String(m[c.upperBound...].prefix(while: { $0 != " " }))
        } else if m == "Mem-Info:" {
            inMemInfo = true
            r.memInfo.present = true
        } else if Self.isZoneLine(m) {
            // A zone line with an impossible number (a kernel bug's
            // underflow, a damaged paste) is left out, not the whole report:
            // the zones only describe the watermarks.
            do {
                if let zone = try Self.zoneLine(m, number: number, raw: raw) { r.memInfo.zones.append(zone) }
            } catch {
                r.warnings.append("\(error.description); the zone line is left out")
            }
        } else if m.hasSuffix(" pages RAM"), let (n, _) = ReportText.leadingInt(m) {
            r.memInfo.ramPages = try Self.memory(n, "pages RAM", unit: "pages", number: number, raw: raw)
        } else if m.hasSuffix(" pages reserved"), m.split(separator: " ").count == 3,
                  let (n, _) = ReportText.leadingInt(m) {
            r.memInfo.reservedPages = try Self.memory(n, "pages reserved", unit: "pages", number: number, raw: raw)
        } else if m.hasSuffix(" pages HighMem/MovableOnly"), let (n, _) = ReportText.leadingInt(m) {
            r.memInfo.highmemPages = try Self.memory(n, "pages HighMem/MovableOnly", unit: "pages", number: number, raw: raw)
        } else if m.hasPrefix("Total swap") {
            r.memInfo.totalSwapKB = try Self.memory(ReportText.kb(after: "=", in: m), "Total swap", unit: "kB",
                                                    number: number, raw: raw)
        } else if m.hasPrefix("Free swap") {
            r.memInfo.freeSwapKB = try Self.memory(ReportText.kb(after: "=", in: m), "Free swap", unit: "kB",
                                                   number: number, raw: raw)
        } else if m.hasPrefix("Tasks state (memory values in pages)") {
            sawTasksState = true
            inMemInfo = false
        } else if Self.isTableHeader(m) {
            inMemInfo = false
            do {
                r.table = try Self.tableHeader(m, raw: raw, number: number, tasksState: sawTasksState)
            } catch {
                r.warnings.append("\(error.description); the table is not read")
            }
        } else if let row = Self.rowPid(m), let columns = r.table?.columns {
            checkPendingRow(&r)
            do {
                let parsed = try Self.tableRow(m, pid: row, columns: columns, number: number)
                r.table?.rows.append(parsed)
            } catch {
                if error.outOfRange { throw ReportError(error.message, line: number, text: String(raw)) }
                pendingBadRow = (number, String(raw), error.message)
            }
        } else if m.hasPrefix("oom-kill:") {
            checkPendingRow(&r)
            r.summary = try Self.summaryLine(m, number: number, raw: raw)
            if let s = r.summary {
                switch s.constraint {
                case "CONSTRAINT_MEMCG": r.constraint = .memcg
                case "CONSTRAINT_CPUSET": r.constraint = .cpuset
                case "CONSTRAINT_MEMORY_POLICY": r.constraint = .mempolicy
                default: break
                }
            }
        } else if m.holds("no killable processes") {
            checkPendingRow(&r)
            r.noKillableProcesses = true
        } else if let kind = Self.killKind(m) {
            checkPendingRow(&r)
            let line: KillLine
            do {
                line = try Self.killLine(m, kind: kind, raw: raw, number: number)
            } catch {
                if error.message.contains("out of range") { throw error }
                r.warnings.append(error.description)
                r.lastLine = number
                return
            }
            if line.message.holds("oom_kill_allocating_task") { r.killedAllocatingTask = true }
            if line.message.hasPrefix("Memory cgroup") { r.constraint = .memcg }
            switch kind {
            case .select: r.selectLine = line
            case .killed: r.killedLine = line
            }
        } else if Self.isTrailer(m) {
            Self.applyTrailer(m, to: &r)
        } else if inMemInfo, r.pageSizeSource == .assumed, let size = Self.buddyPageSize(m) {
            r.pageSize = size
            r.pageSizeSource = .buddyList
        } else if inMemInfo, !m.hasPrefix("Node "), m.holds(":") {
            do {
                for (k, v) in try Self.pageCounters(m, number: number, raw: raw) { r.memInfo.counters[k] = v }
            } catch {
                r.warnings.append("\(error.description); the counters of this line are left out")
            }
        } else {
            recognised = false
        }
        if recognised { r.lastLine = number }
    }


    // MARK: - Ranges

    /// `value` if it is in `range`, else a located error naming it:
    /// "line 12: rss 999999999999999999 is out of range (0 to 1099511627776 pages): TEXT".
    static func inRange(_ value: Int, _ what: String, _ range: ClosedRange<Int>, unit: String = "",
                        number: Int, raw: Substring) throws(ReportError) -> Int {
        try ReportLimits.inRange(value, what, range, unit: unit, number: number, raw: raw)
    }

    static func checked(_ value: Int?, _ what: String, _ range: ClosedRange<Int>, unit: String = "",
                        number: Int, raw: Substring) throws(ReportError) -> Int? {
        try ReportLimits.checked(value, what, range, unit: unit, number: number, raw: raw)
    }

    /// A memory figure in pages or kB.
    static func memory(_ value: Int?, _ what: String, unit: String, number: Int, raw: Substring) throws(ReportError) -> Int? {
        try checked(value, what, ReportLimits.memory, unit: unit, number: number, raw: raw)
    }

    // MARK: - Line readers

    /// "COMM invoked oom-killer: gfp_mask=0x201da, order=0, oom_adj=0, oom_score_adj=0"
    /// "COMM invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0"
    static func invokedLine(_ m: Substring, number: Int, raw: Substring) throws(ReportError) -> InvokingTask {
        let fail = { (what: String) in
            ReportError("cannot read the oom-killer header (\(what))", line: number, text: String(raw))
        }
        guard let r = m.byteRange(of: " invoked oom-killer") ?? m.byteRange(of: "invoked oom-killer") else {
            throw fail("no \"invoked oom-killer\"")
        }
        let comm = String(m[..<r.lowerBound])
        guard let g = m.byteRange(of: "gfp_mask="), let (mask, afterMask) = ReportText.hex(m[g.upperBound...]) else {
            throw fail("expected gfp_mask=0x...")
        }
        var names: [String] = []
        if afterMask.first == "(", let close = afterMask.firstIndex(of: ")") {
            names = afterMask[afterMask.index(after: afterMask.startIndex)..<close]
                .split(separator: "|").map(String.init)
        }
        guard let order = ReportText.int(after: "order=", in: m) else { throw fail("expected order=N") }
        _ = try inRange(order, "order", ReportLimits.order, number: number, raw: raw)
        let scoreAdj = try checked(ReportText.int(after: "oom_score_adj=", in: m), "oom_score_adj", ReportLimits.oomScoreAdj,
                                   number: number, raw: raw)
        let legacy = try checked(ReportText.int(after: "oomkilladj=", in: m), "oomkilladj", ReportLimits.oomAdj,
                                 number: number, raw: raw)
        let adj = scoreAdj ?? legacy.map(legacyAdjToScoreAdj) ?? 0
        return InvokingTask(comm: comm, pid: nil, gfpMask: mask, gfpNames: names, order: order,
                            oomScoreAdj: adj, line: number)
    }

    /// The release in "CPU: 1 PID: 2 Comm: x Not tainted 5.15.0-1041-azure #48-Ubuntu"
    /// or "... Tainted: G     U     O    4.9.0 #1": the first word after
    /// "tainted" that starts "N.N".
    static func version(inCPULine m: Substring, number: Int, raw: Substring) throws(ReportError) -> KernelVersion? {
        guard let t = m.byteRange(of: "ainted") else { return nil }
        for word in m[t.upperBound...].split(separator: " ") {
            guard let first = word.first, first.isNumber, word.contains(".") else { continue }
            for part in word.split(whereSeparator: { !($0.isASCII && $0.isNumber) }).prefix(3) {
                let n = Int(part) ?? Int.max
                _ = try inRange(n, "kernel version", 0...KernelVersion.maxComponent, number: number, raw: raw)
            }
            return KernelVersion(release: String(word))
        }
        return nil
    }

    /// "Node 0 DMA32 free:5828kB min:3948kB low:4932kB high:5920kB ... managed:995724kB"
    /// (4.19 prints the zone without "Node N").
    static func isZoneLine(_ m: Substring) -> Bool {
        m.holds(" free:") && m.holds(" min:") && m.holds(" low:") && m.holds(" high:")
    }

    static func zoneLine(_ m: Substring, number: Int, raw: Substring) throws(ReportError) -> ZoneInfo? {
        guard m.holds(" free:"), m.holds(" min:"), m.holds(" low:"), m.holds(" high:") else { return nil }
        var words = m.split(separator: " ")
        var node: Int?
        if words.first == "Node", words.count > 2 {
            node = Int(words[1])
            words.removeFirst(2)
        }
        guard let name = words.first, !name.contains(":"),
              let free = ReportText.kb(after: " free:", in: m), let min = ReportText.kb(after: " min:", in: m),
              let low = ReportText.kb(after: " low:", in: m), let high = ReportText.kb(after: " high:", in: m)
        else { return nil }
        func kb(_ value: Int?, _ what: String) throws(ReportError) -> Int? {
            try memory(value, what, unit: "kB", number: number, raw: raw)
        }
        return ZoneInfo(node: try checked(node, "node", ReportLimits.node, number: number, raw: raw), name: String(name),
                        freeKB: try kb(free, "free") ?? 0, minKB: try kb(min, "min") ?? 0,
                        lowKB: try kb(low, "low") ?? 0, highKB: try kb(high, "high") ?? 0,
                        managedKB: try kb(ReportText.kb(after: " managed:", in: m), "managed"),
                        presentKB: try kb(ReportText.kb(after: " present:", in: m), "present"))
    }

    /// "Node 0 DMA: 13*4kB (UM) 10*8kB ..." or, printed piecewise, "1*4kB": the
    /// smallest block is one page.
    static func buddyPageSize(_ m: Substring) -> Int? {
        for word in m.split(separator: " ") {
            guard let star = word.firstIndex(of: "*"), word.hasSuffix("kB"),
                  word[..<star].allSatisfy(\.isNumber) else { continue }
            let size = word[word.index(after: star)...].dropLast(2)
            // A page is 4 KiB to 256 KiB (hexagon's largest); anything else
            // is not a page size to derive from.
            if let kb = Int(size), (4...256).contains(kb), kb & (kb - 1) == 0 { return kb * 1024 }
            return nil
        }
        return nil
    }

    /// "active_anon:104835 inactive_anon:104945 isolated_anon:0" (pages).
    static func pageCounters(_ m: Substring, number: Int, raw: Substring) throws(ReportError) -> [(String, Int)] {
        var out: [(String, Int)] = []
        for word in m.split(separator: " ") {
            guard let colon = word.firstIndex(of: ":") else { continue }
            let key = word[..<colon], value = word[word.index(after: colon)...]
            guard !key.isEmpty, let n = Int(value) else { continue }
            out.append((String(key), try inRange(n, String(key), ReportLimits.memory, unit: "pages", number: number, raw: raw)))
        }
        return out
    }

    /// "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),...,task=python,pid=996,uid=1000"
    static func summaryLine(_ m: Substring, number: Int, raw: Substring) throws(ReportError) -> OOMKillSummary {
        var s = OOMKillSummary(constraint: "", line: number)
        for field in m.dropFirst("oom-kill:".count).split(separator: ",") {
            guard let eq = field.firstIndex(of: "=") else { continue }
            let key = field[..<eq], value = String(field[field.index(after: eq)...])
            switch key {
            case "constraint": s.constraint = value
            case "task": s.comm = value
            case "pid": s.pid = try checked(Int(value), "pid", ReportLimits.pid, number: number, raw: raw)
            case "uid": s.uid = try checked(Int(value), "uid", ReportLimits.uid, number: number, raw: raw)
            case "oom_memcg": s.oomMemcg = value
            case "task_memcg": s.taskMemcg = value
            case "cpuset": s.cpuset = value
            default: break
            }
        }
        return s
    }

    enum KillKind { case select, killed }

    /// Which kill line this is, if any. "Kill process P (c) sharing same memory"
    /// names a task that shares the victim's mm, not the victim.
    static func killKind(_ m: Substring) -> KillKind? {
        if m.holds("sharing same memory") { return nil }
        if m.hasPrefix("Killed process ") || m.holds(": Killed process ") { return .killed }
        if m.holds(": Kill process ") || m.holds(": kill process ") || m.hasPrefix("Kill process ") {
            return .select
        }
        return nil
    }

    static func killLine(_ m: Substring, kind: KillKind, raw: Substring, number: Int) throws(ReportError) -> KillLine {
        let marker: String
        switch kind {
        case .killed: marker = "Killed process "
        case .select: marker = m.holds("kill process ") ? "kill process " : "Kill process "
        }
        guard let r = m.byteRange(of: marker),
              let (pid, comm, rest) = ReportText.pidAndComm(m[r.upperBound...],
                                                            stops: [" score ", " total-vm", " total_vm", " vsz:", ","])
        else {
            throw ReportError("cannot read the kill line (expected \"\(marker)PID (COMM)\")", line: number, text: String(raw))
        }
        var message = String(m[..<r.lowerBound])
        if message.hasSuffix(": ") { message.removeLast(2) }
        // Text before the kernel's own reason is not the kernel's: a
        // Kubernetes event ("Warning OOMKilling ... (combined from similar
        // events): Memory cgroup out of memory") or a tool's prefix.
        if let known = Self.killReasons.first(where: { message.hasSuffix($0) }), message != known {
            message = known
        }
        var line = KillLine(pid: try inRange(pid, "pid", ReportLimits.pid, number: number, raw: raw),
                            comm: comm, message: message, line: number)
        func kb(_ key: String) throws(ReportError) -> Int? {
            try memory(ReportText.kb(after: key + ":", in: rest), key, unit: "kB", number: number, raw: raw)
        }
        if kind == .select {
            line.score = try checked(ReportText.int(after: "score ", in: rest), "score", ReportLimits.score,
                                     number: number, raw: raw)
        } else {
            line.totalVMKB = try kb("total-vm")
            line.anonRSSKB = try kb("anon-rss")
            line.fileRSSKB = try kb("file-rss")
            line.shmemRSSKB = try kb("shmem-rss")
            line.fields = killFieldKeys(rest)
            line.uid = try checked(ReportText.int(after: "UID:", in: rest), "UID", ReportLimits.uid, number: number, raw: raw)
            if line.uid == nil, let u = ReportText.int(after: ", UID ", in: m) {
                // RHEL 7's backport: "Killed process 918 (mysqld), UID 27, total-vm:..."
                line.uid = try inRange(u, "UID", ReportLimits.uid, number: number, raw: raw)
                line.vendorUID = true
            }
            line.pgtablesKB = try kb("pgtables")
            line.oomScoreAdj = try checked(ReportText.int(after: "oom_score_adj:", in: rest), "oom_score_adj",
                                           ReportLimits.oomScoreAdj, number: number, raw: raw)
        }
        return line
    }

    /// The reasons oom_kill_process prints before "Kill process"/"Killed
    /// process", longest first (out_of_memory, mem_cgroup_out_of_memory,
    /// the sysrq and allocating-task paths).
    static let killReasons = [
        "Out of memory (oom_kill_allocating_task)", "Memory cgroup out of memory", "Out of memory",
    ]

    /// The "key:" names of a kill line's fields, in order. A key counts once
    /// its value has begun (a line cut inside "shmem-rss:" ends at file-rss).
    static func killFieldKeys(_ rest: Substring) -> [String] {
        rest.split(whereSeparator: { $0 == " " || $0 == "," }).compactMap { token -> String? in
            guard let colon = token.firstIndex(of: ":"), colon > token.startIndex else { return nil }
            let value = token[token.index(after: colon)...]
            guard value.first?.isNumber == true || value.first == "-" else { return nil }
            return String(token[..<colon])
        }
    }

    // MARK: - The task table

    static func isTableHeader(_ m: Substring) -> Bool { OOMReportParserSupport.isTableHeader(m) }
    static func rowPid(_ m: Substring) -> Int? { OOMReportParserSupport.rowPid(m) }

    static let knownColumns: Set<String> = [
        "uid", "tgid", "total_vm", "rss", "rss_anon", "rss_file", "rss_shmem", "nr_ptes", "nr_pmds",
        "pgtables_bytes", "swapents", "oom_score_adj", "oom_adj", "cpu", "name",
    ]

    static func tableHeader(_ m: Substring, raw: Substring, number: Int, tasksState: Bool) throws(ReportError) -> TaskTable {
        let close = m.firstIndex(of: "]") ?? m.startIndex
        let columns = m[m.index(after: close)...].split(separator: " ").map(String.init)
        let fail = { (what: String) in
            ReportError("unknown task table header (\(what))", line: number, text: String(raw))
        }
        guard columns.last == "name" else { throw fail("the last column must be name") }
        for c in ["uid", "rss"] where !columns.contains(c) { throw fail("no \(c) column") }
        if let odd = columns.first(where: { !knownColumns.contains($0) }) { throw fail("column \(odd)") }
        let format: TableFormat
        if columns.contains("rss_anon") {
            format = .rssSplit
        } else if columns.contains("pgtables_bytes") {
            format = .pgtablesBytes
        } else if columns.contains("nr_pmds") {
            format = .nrPmds
        } else if columns.contains("nr_ptes") {
            format = .nrPtes
        } else if columns.contains("oom_score_adj") {
            format = .cpuOomAdj
        } else if columns.contains("oom_adj") {
            format = .oomAdjOnly
        } else {
            throw fail("neither oom_score_adj nor oom_adj")
        }
        return TaskTable(format: format, columns: columns, rows: [], headerLine: number, tasksStateLine: tasksState)
    }

    struct RowError: Error {
        var message: String
        /// The row was read, but a number is out of its range: an error even
        /// on the last line (it was not cut off).
        var outOfRange = false
    }

    /// The range of a task table column and its unit.
    static func range(ofColumn column: String) -> (ClosedRange<Int>, String) {
        switch column {
        case "uid": return (ReportLimits.uid, "")
        case "tgid": return (ReportLimits.pid, "")
        case "oom_score_adj": return (ReportLimits.oomScoreAdj, "")
        case "oom_adj": return (ReportLimits.oomAdj, "")
        case "pgtables_bytes": return (ReportLimits.bytes, "bytes")
        case "cpu": return (0...(1 << 20), "")
        default: return (ReportLimits.memory, "pages")
        }
    }

    /// One row: the pid in brackets, one number per column, then the name
    /// (which may hold spaces: "tmux: client").
    static func tableRow(_ m: Substring, pid: Int, columns: [String], number: Int) throws(RowError) -> TaskRow {
        guard let close = m.firstIndex(of: "]") else { throw RowError(message: "no pid in brackets") }
        guard ReportLimits.pid.contains(pid) else {
            throw RowError(message: "pid \(pid) is out of range (0 to \(ReportLimits.pid.upperBound))", outOfRange: true)
        }
        var rest = m[m.index(after: close)...]
        var values: [String: Int] = [:]
        let numeric = columns.dropLast()
        for (i, column) in numeric.enumerated() {
            guard let (n, after) = ReportText.leadingInt(rest), after.isEmpty || after.first == " " else {
                throw RowError(message: "expected \(numeric.count) numbers after the pid, then the name; "
                               + "column \(i + 1) (\(column)) is missing or not a number")
            }
            let (range, unit) = range(ofColumn: column)
            guard range.contains(n) else {
                throw RowError(message: "\(column) \(n) is out of range (\(range.lowerBound) to \(range.upperBound)"
                               + (unit.isEmpty ? "" : " " + unit) + ")", outOfRange: true)
            }
            values[column] = n
            rest = after
        }
        let name = ReportText.trimRight(ReportText.trimLeft(rest))
        guard !name.isEmpty else {
            throw RowError(message: "expected \(numeric.count) numbers after the pid, then the name; the name is missing")
        }
        let scoreAdj = values["oom_score_adj"] ?? values["oom_adj"].map(legacyAdjToScoreAdj) ?? 0
        return TaskRow(pid: pid, uid: values["uid"] ?? 0, tgid: values["tgid"] ?? pid,
                       totalVM: values["total_vm"] ?? 0, rss: values["rss"] ?? 0,
                       rssAnon: values["rss_anon"], rssFile: values["rss_file"], rssShmem: values["rss_shmem"],
                       nrPtes: values["nr_ptes"], nrPmds: values["nr_pmds"], pgtablesBytes: values["pgtables_bytes"],
                       swapents: values["swapents"], oomAdj: values["oom_adj"], oomScoreAdj: scoreAdj,
                       name: String(name), line: number)
    }

    /// /proc/PID/oom_adj (-17..15) as oom_score_adj: -17 (OOM_DISABLE) is
    /// -1000, otherwise adj * 1000 / 17. oom_adj_write, fs/proc/base.c.
    static func legacyAdjToScoreAdj(_ adj: Int) -> Int {
        adj <= -17 ? OOMScoreAdj.min : adj * OOMScoreAdj.max / 17
    }

    // MARK: - After the report

    /// The table's rss, swap entries and page tables must add up to a
    /// number the explainer can sum and scale (each row is in range, but a
    /// 64 MiB file holds millions of rows).
    static func checkTotal(_ t: TaskTable) throws(ReportError) {
        var total = 0
        for row in t.rows {
            let (a, o1) = total.addingReportingOverflow(row.rss)
            let (b, o2) = a.addingReportingOverflow(row.swapents ?? 0)
            let (c, o3) = b.addingReportingOverflow(row.pageTablePages(pageSize: 1024))
            guard !(o1 || o2 || o3), c <= ReportLimits.tableTotal.upperBound else {
                throw ReportError("the task table's rss, swapents and page tables add up to more than "
                                  + "\(ReportLimits.tableTotal.upperBound) pages", line: t.headerLine)
            }
            total = c
        }
    }

    /// The page size: from the buddy lists if printed, else from the victim's
    /// total-vm (kB) in the kill line over its total_vm (pages) in the table.
    func derivePageSize(_ r: inout OOMReport) {
        guard r.pageSizeSource == .assumed else { return }
        if let k = r.killedLine, let kb = k.totalVMKB,
           let row = r.table?.rows.first(where: { $0.pid == k.pid }), row.totalVM > 0, kb > 0 {
            let size = kb * 1024 / row.totalVM
            if size >= 1024, size & (size - 1) == 0, kb * 1024 == size * row.totalVM {
                r.pageSize = size
                r.pageSizeSource = .killLine
            }
        }
    }
}

/// The line shapes `ReportRepair` needs to tell a wrapped line from a new one.
enum OOMReportParserSupport {
    static func isTableHeader(_ m: Substring) -> Bool {
        guard m.first == "[", let close = m.firstIndex(of: "]") else { return false }
        let inner = m[m.index(after: m.startIndex)..<close].filter { $0 != " " }
        let rest = m[m.index(after: close)...]
        return inner == "pid" && rest.holds("uid") && rest.holds("rss") && rest.hasSuffix("name")
    }

    /// The columns after "[ pid ]", the name included.
    static func columnCount(_ header: Substring) -> Int? {
        guard let close = header.firstIndex(of: "]") else { return nil }
        return header[header.index(after: close)...].split(separator: " ").count
    }

    /// The pid of a table row "[ 1554]     0  1554 ...", or nil.
    static func rowPid(_ m: Substring) -> Int? {
        guard m.first == "[", let close = m.firstIndex(of: "]") else { return nil }
        let inner = ReportText.trimRight(ReportText.trimLeft(m[m.index(after: m.startIndex)..<close]))
        guard !inner.isEmpty, inner.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(inner) ?? Int.max   // too many digits: out of range, reported by the row reader
    }

    static func isKillLine(_ m: Substring) -> Bool {
        m.hasPrefix("Killed process ") || m.holds(": Killed process ")
    }
}
