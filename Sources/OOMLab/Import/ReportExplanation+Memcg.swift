import OOMLabKernel

/// `explain-report`'s memory cgroup section: which cgroup's limit the OOM
/// was in, each counter's usage against its limit, the victim's cgroup and
/// the constraint, in text and as the JSON `memcg` object (docs/json.md).
/// Only what the report prints: a line the paste does not have is left
/// out, never guessed. The lines come from mem_cgroup_print_oom_info (before
/// 5.0), mem_cgroup_print_oom_meminfo and mem_cgroup_print_oom_context
/// (5.0+), mm/memcontrol.c (docs/memcg.md §8).
extension ReportExplanation {
    /// The text lines, each starting "memcg: ", empty without a memcg report.
    func memcgText() -> [String] {
        guard let m = report.memcg else { return [] }
        var out: [String] = []
        switch (m.oomMemcg, m.taskMemcg) {
        case let (domain?, task?):
            out.append("memcg: the OOM's cgroup: \(domain) (the kernel scans only its tasks); the victim's cgroup: "
                       + Self.relation(task: task, domain: domain))
        case let (domain?, nil):
            out.append("memcg: the OOM's cgroup: \(domain) (the kernel scans only its tasks); the victim's cgroup is not shown")
        case let (nil, task?):
            out.append("memcg: the victim's cgroup: \(task); the cgroup whose limit was hit is not shown")
        case (nil, nil):
            out.append("memcg: the report names no cgroup")
        }
        let version = m.version.map { " (cgroup \($0.rawValue))" } ?? ""
        for (name, c) in Self.counters(m) {
            var line = "memcg: \(name): usage \(c.usageKB) kB, limit " + (c.isUnlimited ? "max" : "\(c.limitKB) kB")
            if !c.isUnlimited {
                line += c.usageKB >= c.limitKB ? " (at the limit)" : " (\(c.limitKB - c.usageKB) kB below the limit)"
            }
            if let f = c.failcnt { line += ", failcnt \(f)" }
            out.append(line + (name == "memory" ? version : ""))
        }
        if m.memory == nil { out.append("memcg: the counters (\"memory: usage ... limit ...\") are not in the paste") }
        for s in m.stats {
            var parts: [String] = []
            if let a = s.anonKB { parts.append("anon \(a) kB") }
            if let f = s.fileKB { parts.append("file \(f) kB") }
            if !parts.isEmpty { out.append("memcg: stats for \(s.path): " + parts.joined(separator: ", ")) }
        }
        var how: [String] = []
        if let c = m.constraint { how.append("the oom-kill: line says \(c)") }
        if m.killedByMemcgOOM { how.append("the kill line says \"Memory cgroup out of memory\"") }
        if !how.isEmpty { out.append("memcg: " + how.joined(separator: "; ")) }
        return out
    }

    /// "/a/b (inside /a)", "/a (the same cgroup)" or "/c (outside /a)", by path components.
    static func relation(task: String, domain: String) -> String {
        if task == domain { return "\(task) (the same cgroup)" }
        let inside = domain == "/" || task.hasPrefix(domain.hasSuffix("/") ? domain : domain + "/")
        return "\(task) (\(inside ? "inside" : "outside") \(domain))"
    }

    /// The counters the report printed, in the kernel's order.
    static func counters(_ m: MemcgReport) -> [(String, MemcgReport.Counter)] {
        [("memory", m.memory), ("memory+swap", m.memsw), ("kmem", m.kmem), ("swap", m.swap)]
            .compactMap { name, c in c.map { (name, $0) } }
    }

    /// The JSON value of the `memcg` key: null without a memcg report.
    func memcgJSON() -> String {
        guard let m = report.memcg else { return "null" }
        func string(_ s: String?) -> String { s.map(JSON.quote) ?? "null" }
        func counter(_ c: MemcgReport.Counter?) -> String {
            guard let c else { return "null" }
            return "{\"usage_kb\": \(c.usageKB), \"limit_kb\": \(c.limitKB), \"unlimited\": \(c.isUnlimited), "
                + "\"failcnt\": \(c.failcnt.map(String.init) ?? "null"), \"line\": \(c.line)}"
        }
        func int(_ n: Int?) -> String { n.map(String.init) ?? "null" }
        let stats = m.stats.map { s in
            "{\"path\": \(JSON.quote(s.path)), \"anon_kb\": \(int(s.anonKB)), \"file_kb\": \(int(s.fileKB)), \"line\": \(s.line)}"
        }
        return "{\"oom_memcg\": \(string(m.oomMemcg)), \"task_memcg\": \(string(m.taskMemcg)), "
            + "\"version\": \(string(m.version?.rawValue)), \"constraint\": \(string(m.constraint)), "
            + "\"killed_by_memcg_oom\": \(m.killedByMemcgOOM), "
            + "\"memory\": \(counter(m.memory)), \"memory_swap\": \(counter(m.memsw)), \"kmem\": \(counter(m.kmem)), "
            + "\"swap\": \(counter(m.swap)), \"stats\": [" + stats.joined(separator: ", ") + "]}"
    }
}
