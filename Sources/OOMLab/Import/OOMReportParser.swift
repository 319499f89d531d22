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
        var state = ParseState()
        var number = 0
        for line in ReportText.lines(text) {
            number += 1
            try state.feed(raw: line, message: ReportText.message(line), number: number)
        }
        try state.finish()
        guard !state.reports.isEmpty else { throw .noReport() }
        return state.reports
    }

    /// The report at 1-based `index`.
    public func parse(_ text: String, index: Int = 1) throws(ReportError) -> OOMReport {
        let all = try parseAll(text)
        guard index >= 1, index <= all.count else { throw .badIndex(index, count: all.count) }
        return all[index - 1]
    }
}

/// The parser's state while it walks the lines of a file.
private struct ParseState {
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
        reports.append(r)
        current = nil
    }

    mutating func feed(raw: Substring, message m: Substring, number: Int) throws(ReportError) {
        if m.isEmpty { return }
        if m.contains("invoked oom-killer") {
            try begin(at: number)
            current?.invoking = try Self.invokedLine(m, number: number, raw: raw)
            current?.lastLine = number
            return
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
            || killKind(m) != nil || m.hasPrefix("memory: usage ")
            || (m.hasPrefix("Task in ") && m.contains("killed as a result of limit"))
    }

    /// Lines after the kill that still belong to the report.
    static func isTrailer(_ m: Substring) -> Bool {
        m.hasPrefix("oom_reaper: ") || m.contains("Kernel panic") || m.contains("sharing same memory")
    }

    static func applyTrailer(_ m: Substring, to r: inout OOMReport) {
        if m.hasPrefix("oom_reaper: reaped process "),
           let (pid, _) = ReportText.leadingInt(m.dropFirst("oom_reaper: reaped process ".count)),
           ReportLimits.pid.contains(pid) {
            r.reapedPids.append(pid)
        }
        if m.contains("Kernel panic") && m.contains("panic_on_oom") { r.panicOnOOM = true }
    }

    /// A row that could not be read is an error once more of the report
    /// follows it (it was not the cut-off end of the text).
    func checkPendingRow() throws(ReportError) {
        guard let bad = pendingBadRow else { return }
        throw ReportError("cannot read task table row (\(bad.why))", line: bad.line, text: bad.text)
    }

    // MARK: - The body of a report

    mutating func body(_ m: Substring, raw: Substring, number: Int) throws(ReportError) {
        // Taken out of `current` (not copied) so that appending a row does
        // not copy the whole table each time: the copy made parsing quadratic.
        guard var r = current.take() else { return }
        defer { current = r }
        var recognised = true

        if m.hasPrefix("CPU: ") && m.contains("PID: ") || m.hasPrefix("Pid: ") && m.contains("comm: ") {
            if r.invoking?.pid == nil {
                r.invoking?.pid = try Self.checked(ReportText.int(after: "PID: ", in: m) ?? ReportText.int(after: "Pid: ", in: m),
                                                   "pid", ReportLimits.pid, number: number, raw: raw)
            }
            if r.kernelVersion == nil { r.kernelVersion = try Self.version(inCPULine: m, number: number, raw: raw) }
        } else if r.cpuset == nil, let c = m.firstRange(of: " cpuset="), m.contains("mems_allowed") {
            r.cpuset = String(m[c.upperBound...].prefix(while: { $0 != " " }))
        } else if m == "Mem-Info:" {
            inMemInfo = true
            r.memInfo.present = true
        } else if m.hasPrefix("Task in ") && m.contains("killed as a result of limit of") {
            r.constraint = .memcg
            if let range = m.firstRange(of: "limit of ") { setMemcgPath(&r, String(m[range.upperBound...])) }
        } else if m.hasPrefix("memory: usage ") {
            r.constraint = .memcg
            var l = r.memcg ?? MemcgLimits()
            l.usageKB = try Self.checked(ReportText.kb(after: "usage ", in: m), "usage", ReportLimits.memcgKB, unit: "kB",
                                         number: number, raw: raw)
            l.limitKB = try Self.checked(ReportText.kb(after: "limit ", in: m), "limit", ReportLimits.memcgKB, unit: "kB",
                                         number: number, raw: raw)
            guard l.limitKB != nil else {
                throw ReportError("cannot read the memory cgroup limit (expected \"memory: usage NkB, limit NkB\")",
                                  line: number, text: String(raw))
            }
            r.memcg = l
        } else if m.hasPrefix("memory+swap: usage ") {
            var l = r.memcg ?? MemcgLimits()
            l.memswLimitKB = try Self.checked(ReportText.kb(after: "limit ", in: m), "limit", ReportLimits.memcgKB,
                                              unit: "kB", number: number, raw: raw)
            r.memcg = l
        } else if m.hasPrefix("swap: usage ") {
            var l = r.memcg ?? MemcgLimits()
            l.swapLimitKB = try Self.checked(ReportText.kb(after: "limit ", in: m), "limit", ReportLimits.memcgKB,
                                             unit: "kB", number: number, raw: raw)
            r.memcg = l
        } else if m.hasPrefix("Memory cgroup stats for ") {
            r.constraint = .memcg
        } else if let zone = try Self.zoneLine(m, number: number, raw: raw) {
            r.memInfo.zones.append(zone)
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
            r.table = try Self.tableHeader(m, raw: raw, number: number, tasksState: sawTasksState)
        } else if let row = Self.rowPid(m), let columns = r.table?.columns {
            try checkPendingRow()
            do {
                let parsed = try Self.tableRow(m, pid: row, columns: columns, number: number)
                r.table?.rows.append(parsed)
            } catch {
                if error.outOfRange { throw ReportError(error.message, line: number, text: String(raw)) }
                pendingBadRow = (number, String(raw), error.message)
            }
        } else if m.hasPrefix("oom-kill:") {
            try checkPendingRow()
            r.summary = try Self.summaryLine(m, number: number, raw: raw)
            if let s = r.summary {
                switch s.constraint {
                case "CONSTRAINT_MEMCG": r.constraint = .memcg
                case "CONSTRAINT_CPUSET": r.constraint = .cpuset
                case "CONSTRAINT_MEMORY_POLICY": r.constraint = .mempolicy
                default: break
                }
                if let memcg = s.oomMemcg { setMemcgPath(&r, memcg) }
            }
        } else if m.contains("no killable processes") {
            try checkPendingRow()
            r.noKillableProcesses = true
        } else if let kind = Self.killKind(m) {
            try checkPendingRow()
            let line = try Self.killLine(m, kind: kind, raw: raw, number: number)
            if line.message.contains("oom_kill_allocating_task") { r.killedAllocatingTask = true }
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
        } else if inMemInfo, !m.hasPrefix("Node "), m.contains(":") {
            for (k, v) in try Self.pageCounters(m, number: number, raw: raw) { r.memInfo.counters[k] = v }
        } else {
            recognised = false
        }
        if recognised { r.lastLine = number }
    }

    mutating func setMemcgPath(_ r: inout OOMReport, _ path: String) {
        var l = r.memcg ?? MemcgLimits()
        if l.path == nil { l.path = path }
        r.memcg = l
    }

    // MARK: - Ranges

    /// `value` if it is in `range`, else a located error naming it:
    /// "line 12: rss 999999999999999999 is out of range (0 to 1099511627776 pages): TEXT".
    static func inRange(_ value: Int, _ what: String, _ range: ClosedRange<Int>, unit: String = "",
                        number: Int, raw: Substring) throws(ReportError) -> Int {
        guard range.contains(value) else {
            throw ReportError("\(what) \(value) is out of range (\(range.lowerBound) to \(range.upperBound)"
                              + (unit.isEmpty ? "" : " " + unit) + ")", line: number, text: String(raw))
        }
        return value
    }

    static func checked(_ value: Int?, _ what: String, _ range: ClosedRange<Int>, unit: String = "",
                        number: Int, raw: Substring) throws(ReportError) -> Int? {
        guard let value else { return nil }
        return try inRange(value, what, range, unit: unit, number: number, raw: raw)
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
        guard let r = m.firstRange(of: " invoked oom-killer") ?? m.firstRange(of: "invoked oom-killer") else {
            throw fail("no \"invoked oom-killer\"")
        }
        let comm = String(m[..<r.lowerBound])
        guard let g = m.firstRange(of: "gfp_mask="), let (mask, afterMask) = ReportText.hex(m[g.upperBound...]) else {
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
        guard let t = m.firstRange(of: "ainted") else { return nil }
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
    static func zoneLine(_ m: Substring, number: Int, raw: Substring) throws(ReportError) -> ZoneInfo? {
        guard m.contains(" free:"), m.contains(" min:"), m.contains(" low:"), m.contains(" high:") else { return nil }
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
        if m.contains("sharing same memory") { return nil }
        if m.hasPrefix("Killed process ") || m.contains(": Killed process ") { return .killed }
        if m.contains(": Kill process ") || m.contains(": kill process ") || m.hasPrefix("Kill process ") {
            return .select
        }
        return nil
    }

    static func killLine(_ m: Substring, kind: KillKind, raw: Substring, number: Int) throws(ReportError) -> KillLine {
        let marker: String
        switch kind {
        case .killed: marker = "Killed process "
        case .select: marker = m.contains("kill process ") ? "kill process " : "Kill process "
        }
        guard let r = m.firstRange(of: marker),
              let (pid, comm, rest) = ReportText.pidAndComm(m[r.upperBound...],
                                                            stops: [" score ", " total-vm", " total_vm", " vsz:", ","])
        else {
            throw ReportError("cannot read the kill line (expected \"\(marker)PID (COMM)\")", line: number, text: String(raw))
        }
        var message = String(m[..<r.lowerBound])
        if message.hasSuffix(": ") { message.removeLast(2) }
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
        }
        return line
    }

    // MARK: - The task table

    static func isTableHeader(_ m: Substring) -> Bool {
        guard m.first == "[", let close = m.firstIndex(of: "]") else { return false }
        let inner = m[m.index(after: m.startIndex)..<close].filter { $0 != " " }
        let rest = m[m.index(after: close)...]
        return inner == "pid" && rest.contains("uid") && rest.contains("rss") && rest.hasSuffix("name")
    }

    /// The pid of a table row "[ 1554]     0  1554 ...", or nil.
    static func rowPid(_ m: Substring) -> Int? {
        guard m.first == "[", let close = m.firstIndex(of: "]") else { return nil }
        let inner = ReportText.trimRight(ReportText.trimLeft(m[m.index(after: m.startIndex)..<close]))
        guard !inner.isEmpty, inner.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(inner) ?? Int.max   // too many digits: out of range, reported by the row reader
    }

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
