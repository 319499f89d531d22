import OOMLabKernel

/// The memory cgroup's part of an OOM report: which cgroup hit which limit,
/// its counters, the victim's cgroup, the per-cgroup statistics, in every
/// era's shape (docs/memcg.md §8):
///
/// - 3.x-4.19: `Task in /A/B killed as a result of limit of /A` (3.19-4.0
///   may split it over lines: "Task in /A/B" then "killed as a result of
///   limit of /A"), mem_cgroup_print_oom_info, mm/memcontrol.c;
/// - every era: `memory: usage NkB, limit NkB, failcnt N`, then v1's
///   `memory+swap:` and `kmem:` or v2's `swap:` (mem_cgroup_print_oom_meminfo
///   since 5.0);
/// - `Memory cgroup stats for /A: cache:NKB rss:NKB ...` (v1, one line per
///   cgroup of the subtree) or `Memory cgroup stats for /A:` followed by
///   memory.stat's "key value" lines (v2 since 5.2, "mm: memcontrol: dump
///   memory.stat during cgroup OOM");
/// - 5.0+: the `oom-kill:constraint=CONSTRAINT_MEMCG,...,oom_memcg=/A,task_memcg=/A/B,...`
///   summary (mem_cgroup_print_oom_context, read by the parser into
///   `OOMKillSummary`, whose cgroups land here at the end of the report);
/// - `Memory cgroup out of memory: Kill process ...` / `Killed process ...`
///   (the kill lines, whose reason says a memcg OOM chose the victim).
///
/// Numbers are kept as printed (kB; memory.stat in its own units). Only
/// what the report prints is set: a field the report does not show is nil.
public struct MemcgReport: Equatable, Sendable {
    /// One "NAME: usage NkB, limit NkB, failcnt N" line.
    public struct Counter: Equatable, Sendable {
        public var usageKB: Int
        public var limitKB: Int
        public var failcnt: Int?
        /// 1-based line in the file.
        public var line: Int

        /// The limit is "max": PAGE_COUNTER_MAX pages (v1's res_counter
        /// RES_COUNTER_MAX before 3.19) in kB.
        public var isUnlimited: Bool { limitKB >= MemcgReport.unlimitedKB }
    }

    /// One "Memory cgroup stats for /A..." block.
    public struct Stats: Equatable, Sendable {
        public enum Shape: String, Equatable, Sendable {
            /// v1: "cache:NKB rss:NKB ..." on the line itself, in kB.
            case inline
            /// memory.stat's lines after it (v2 since 5.2; v1 in 6.x), sizes
            /// in bytes, events as counts.
            case memoryStat = "memory.stat"
        }
        public struct Entry: Equatable, Sendable {
            public var key: String
            public var value: Int
        }
        public var path: String
        public var shape: Shape
        public var entries: [Entry] = []
        public var line: Int

        /// The value of `key`, if printed.
        public subscript(key: String) -> Int? { entries.first { $0.key == key }?.value }

        /// Anonymous memory in kB: v1's rss, v2's anon (memory.stat prints bytes).
        public var anonKB: Int? {
            switch shape {
            case .inline: return self["rss"]
            case .memoryStat: return (self["anon"] ?? self["rss"]).map { $0 / 1024 }   // v1's memory.stat: rss
            }
        }

        /// Page cache in kB: v1's cache, v2's file (bytes).
        public var fileKB: Int? {
            switch shape {
            case .inline: return self["cache"]
            case .memoryStat: return (self["file"] ?? self["cache"]).map { $0 / 1024 }
            }
        }
    }

    /// The cgroup whose limit was hit (the OOM domain): "limit of /A" or oom_memcg=.
    public var oomMemcg: String?
    /// The victim's cgroup: "Task in /A/B" or task_memcg=.
    public var taskMemcg: String?
    /// The line of "Task in ... killed as a result of limit of ..." (before 5.0).
    public var taskInLine: Int?
    /// "memory:" (memory.max, v1 memory.limit_in_bytes).
    public var memory: Counter?
    /// v1 "memory+swap:" (memory.memsw.limit_in_bytes).
    public var memsw: Counter?
    /// v1 "kmem:" (memory.kmem.limit_in_bytes).
    public var kmem: Counter?
    /// v2 "swap:" (memory.swap.max).
    public var swap: Counter?
    public var stats: [Stats] = []
    /// The oom-kill: summary's constraint= when it names one
    /// ("CONSTRAINT_MEMCG"; 5.2-rc's "CONSTRAINT_NONE" with an oom_memcg=).
    public var constraint: String?
    /// The kill line's reason is "Memory cgroup out of memory"
    /// (mem_cgroup_out_of_memory, not the global out_of_memory).
    public var killedByMemcgOOM = false
    /// While a v2 stats block is open: its index in `stats`. Nil once the
    /// report is complete.
    var openStats: Int?

    public init() {}

    /// A limit at or above this is "max" (PAGE_COUNTER_MAX in kB, about 8 EiB).
    public static let unlimitedKB = 1 << 50

    /// The hierarchy, from the counters the kernel printed: memsw and kmem
    /// are v1's, swap is v2's; nil when the report shows neither.
    public var version: CgroupVersion? {
        if memsw != nil || kmem != nil { return .v1 }
        if swap != nil { return .v2 }
        return nil
    }

    /// memory: usage, in kB.
    public var usageKB: Int? { memory?.usageKB }
    /// memory: limit, in kB (nil when not printed).
    public var limitKB: Int? { memory?.limitKB }
    /// The cgroup whose limit was hit, if the report names it.
    public var path: String? { oomMemcg }
}

// MARK: - Reading

extension MemcgReport {
    /// Reads `m` (a line's message, log prefixes removed) into `r.memcg`
    /// if it is one of the memcg lines, creating it on the first. Returns
    /// false for any other line. A number out of range is a located error;
    /// a counter line without its numbers is a warning (the report is kept).
    static func read(_ m: Substring, into r: inout OOMReport, number: Int, raw: Substring) throws(ReportError) -> Bool {
        var g = r.memcg ?? MemcgReport()
        if let open = g.openStats {
            if let entry = statLine(m) {
                g.stats[open].entries.append(entry)
                r.memcg = g
                return true
            }
            g.openStats = nil
            r.memcg = g
        }
        if m.hasPrefix("Task in ") {
            let rest = m.dropFirst("Task in ".count)
            if let k = rest.byteRange(of: " killed as a result of limit of ") {
                g.taskMemcg = String(rest[..<k.lowerBound])
                g.oomMemcg = String(rest[k.upperBound...])
            } else {
                g.taskMemcg = String(rest)   // 3.19-4.0: the rest follows on the next line
            }
            g.taskInLine = number
            r.constraint = .memcg
        } else if m.hasPrefix("killed as a result of limit of ") {
            g.oomMemcg = String(m.dropFirst("killed as a result of limit of ".count))
            r.constraint = .memcg
        } else if let (name, rest) = counterName(m) {
            let c = try counter(rest, name: name, number: number, raw: raw)
            if c == nil {
                r.warnings.append(ReportError("cannot read the memory cgroup \(name == "memory" ? "limit" : name + " counter") "
                                              + "(expected \"\(name): usage NkB, limit NkB\")",
                                              line: number, text: String(raw)).description)
            }
            switch name {
            case "memory":
                g.memory = c
                r.constraint = .memcg
            case "memory+swap": g.memsw = c
            case "kmem": g.kmem = c
            default: g.swap = c
            }
        } else if m.hasPrefix("Memory cgroup stats for ") {
            g.stats.append(try stats(m.dropFirst("Memory cgroup stats for ".count), number: number, raw: raw))
            if g.stats[g.stats.count - 1].shape == .memoryStat { g.openStats = g.stats.count - 1 }
            r.constraint = .memcg
        } else {
            return false
        }
        r.memcg = g
        return true
    }

    /// The counters' names, as mem_cgroup_print_oom_meminfo prints them.
    static let counterNames = ["memory", "memory+swap", "kmem", "swap"]

    static func counterName(_ m: Substring) -> (String, Substring)? {
        for name in counterNames where m.hasPrefix(name + ": usage ") {
            return (name, m.dropFirst(name.count + 2))
        }
        return nil
    }

    /// "usage 102400kB, limit 102400kB, failcnt 6402".
    static func counter(_ rest: Substring, name: String, number: Int, raw: Substring) throws(ReportError) -> Counter? {
        func kb(_ key: String) throws(ReportError) -> Int? {
            try ReportLimits.checked(ReportText.kb(after: key, in: rest), "\(name) \(key.trimmingSpace)",
                                        ReportLimits.memcgKB, unit: "kB", number: number, raw: raw)
        }
        let usage = try kb("usage "), limit = try kb("limit ")
        guard let usage, let limit else { return nil }
        let failcnt = try ReportLimits.checked(ReportText.int(after: "failcnt ", in: rest), "\(name) failcnt",
                                                  ReportLimits.memcgKB, number: number, raw: raw)
        return Counter(usageKB: usage, limitKB: limit, failcnt: failcnt, line: number)
    }

    /// "/A: cache:0KB rss:48KB ..." (v1) or "/A:" (v2, memory.stat follows).
    static func stats(_ rest: Substring, number: Int, raw: Substring) throws(ReportError) -> Stats {
        if let colon = rest.byteRange(of: ": ") {
            var s = Stats(path: String(rest[..<colon.lowerBound]), shape: .inline, line: number)
            for word in rest[colon.upperBound...].split(separator: " ") {
                guard let c = word.firstIndex(of: ":") else { continue }
                let key = word[..<c]
                guard !key.isEmpty, let (n, unit) = ReportText.leadingInt(word[word.index(after: c)...]),
                      unit == "KB" || unit == "kB" else { continue }
                let value = try ReportLimits.inRange(n, "memory cgroup stat \(key)", ReportLimits.memory, unit: "kB",
                                                        number: number, raw: raw)
                s.entries.append(Stats.Entry(key: String(key), value: value))
            }
            return s
        }
        let path = rest.hasSuffix(":") ? rest.dropLast() : rest
        return Stats(path: String(path), shape: .memoryStat, line: number)
    }

    /// One memory.stat line: "anon 5222400", a lower-case key and a count.
    /// Counts beyond the report's byte range end the block instead of
    /// being taken.
    static func statLine(_ m: Substring) -> Stats.Entry? {
        guard let space = m.firstIndex(of: " "), space > m.startIndex,
              m[..<space].allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }),
              let (n, rest) = ReportText.leadingInt(m[m.index(after: space)...]), rest.isEmpty,
              ReportLimits.bytes.contains(n)
        else { return nil }
        return Stats.Entry(key: String(m[..<space]), value: n)
    }

    /// At the end of a report: the oom-kill: summary's cgroups and
    /// constraint and the kill line's reason. A report with none of the
    /// memcg lines but an oom_memcg=, a CONSTRAINT_MEMCG summary or a memcg kill line
    /// still gets a `MemcgReport` (the parts it shows).
    static func complete(_ r: inout OOMReport) {
        let byKill = [r.selectLine, r.killedLine].contains { $0?.message.hasPrefix("Memory cgroup") == true }
        let summary = r.summary
        // A global OOM's summary names the victim's cgroup too
        // (task_memcg=/user.slice/...): that alone is not a memcg report.
        let inSummary = summary?.oomMemcg != nil || summary?.constraint == "CONSTRAINT_MEMCG"
        guard r.memcg != nil || byKill || inSummary else { return }
        var m = r.memcg ?? MemcgReport()
        m.openStats = nil
        if m.oomMemcg == nil { m.oomMemcg = summary?.oomMemcg }
        if m.taskMemcg == nil { m.taskMemcg = summary?.taskMemcg }
        if let c = summary?.constraint, !c.isEmpty { m.constraint = c }
        m.killedByMemcgOOM = byKill
        r.memcg = m
    }
}

private extension String {
    var trimmingSpace: String { hasSuffix(" ") ? String(dropLast()) : self }
}
