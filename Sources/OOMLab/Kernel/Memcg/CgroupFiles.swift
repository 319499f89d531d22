/// Readers for the memory controller's files under /sys/fs/cgroup, as the
/// kernel prints them, for the snapshot reader (`oomlab snapshot`). Each
/// takes the file's text and its path (for the error's location) and
/// throws a located `ScenarioError` (`path:line:column: error: ...`) for
/// anything the kernel would not have printed. Sizes come back in pages
/// (Units.pageSize), as the kernel counts them. docs/memcg.md §12.
public enum CgroupFiles {
    /// memory.max, memory.high, memory.low, memory.min, memory.swap.max
    /// (v2): "max" or a byte count (4.0's experimental unified hierarchy
    /// printed "infinity" instead of "max", read the same); v1 memory.limit_in_bytes and
    /// memory.memsw.limit_in_bytes print the byte count only, with
    /// PAGE_COUNTER_MAX pages (9223372036854771712 on 4 KiB pages) meaning
    /// no limit. Both give `PageCounter.max` for no limit. A byte count that
    /// is not a whole number of pages is rounded down, as writing it would
    /// be; one above PAGE_COUNTER_MAX pages is out of range (the kernel
    /// clamps what is written, so it never prints more).
    /// memory_max_show / seq_puts_memcg_tunable, page_counter_memparse,
    /// mm/memcontrol.c, mm/page_counter.c.
    public static func limit(_ text: String, file: String) throws(ScenarioError) -> Int {
        let (value, column) = try singleLine(text, file: file)
        if value == "max" || value == "infinity" { return PageCounter.max }
        return try pages(value, file: file, line: 1, column: column, acceptMaxWord: true)
    }

    /// memory.current, memory.peak, memory.swap.current (v2) and v1
    /// memory.usage_in_bytes: one byte count, in pages.
    public static func bytes(_ text: String, file: String) throws(ScenarioError) -> Int {
        let (value, column) = try singleLine(text, file: file)
        return try pages(value, file: file, line: 1, column: column, acceptMaxWord: false)
    }

    /// memory.oom.group: "0" or "1". memory_oom_group_show, mm/memcontrol.c.
    public static func flag(_ text: String, file: String) throws(ScenarioError) -> Bool {
        let (value, column) = try singleLine(text, file: file)
        switch value {
        case "0": return false
        case "1": return true
        default: throw located(file, 1, column, "expected 0 or 1, got '\(value)'")
        }
    }

    /// memory.events or memory.events.local: "key count" lines. Keys this
    /// model does not know (a newer kernel's sock_throttled) are skipped;
    /// a key the kernel had not yet added (oom_kill before 4.13) reads as 0.
    /// A repeated key, a line that is not "key count" or a count beyond
    /// Int.max is an error. memory_events_show, mm/memcontrol.c.
    public static func events(_ text: String, file: String) throws(ScenarioError) -> MemoryEvents {
        var out = MemoryEvents()
        var seen: Set<String> = []
        for entry in try keyValues(text, file: file) {
            guard seen.insert(entry.key).inserted else {
                throw located(file, entry.line, 1, "'\(entry.key)' appears twice")
            }
            if let event = MemcgEvent(rawValue: entry.key) { out[event] = entry.value }
        }
        return out
    }

    /// v1 memory.oom_control: oom_kill_disable, under_oom and (4.13+) oom_kill.
    public struct OOMControl: Equatable, Sendable {
        public var oomKillDisable: Bool
        public var underOOM: Bool
        /// nil on kernels before 4.13, which print no oom_kill line.
        public var oomKill: Int?
    }

    /// v1 memory.oom_control. mem_cgroup_oom_control_read, mm/memcontrol-v1.c
    /// (mm/memcontrol.c before 6.11).
    public static func oomControl(_ text: String, file: String) throws(ScenarioError) -> OOMControl {
        var values: [String: (value: Int, line: Int)] = [:]
        for entry in try keyValues(text, file: file) {
            if values[entry.key] != nil { throw located(file, entry.line, 1, "'\(entry.key)' appears twice") }
            values[entry.key] = (entry.value, entry.line)
        }
        func bool(_ key: String) throws(ScenarioError) -> Bool {
            guard let v = values[key] else { throw located(file, 1, 1, "no '\(key)' line") }
            guard v.value == 0 || v.value == 1 else {
                throw located(file, v.line, key.count + 2, "\(key) is 0 or 1, got \(v.value)")
            }
            return v.value == 1
        }
        return OOMControl(oomKillDisable: try bool("oom_kill_disable"), underOOM: try bool("under_oom"),
                          oomKill: values["oom_kill"]?.value)
    }

    /// Where a process sits, from /proc/PID/cgroup: the v2 path (the
    /// "0::PATH" line) and the v1 memory controller's path (the line whose
    /// controller list holds "memory"), either nil when absent.
    public struct ProcCgroup: Equatable, Sendable {
        public var unified: CgroupPath?
        public var memoryV1: CgroupPath?
    }

    /// /proc/PID/cgroup: "hierarchy-ID:controller-list:path" lines.
    /// proc_cgroup_show, kernel/cgroup/cgroup.c.
    public static func procCgroup(_ text: String, file: String) throws(ScenarioError) -> ProcCgroup {
        var out = ProcCgroup()
        for (n, line) in lines(text) {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3, !fields[0].isEmpty, parseDecimal(fields[0]) != .notDecimal else {
                throw located(file, n, 1, "expected 'hierarchy-ID:controllers:path', got '\(line)'")
            }
            let column = fields[0].count + fields[1].count + 3
            let path = try CgroupPath.parse(String(fields[2]), at: SourceLocation(file: file, line: n, column: column))
            if fields[0] == "0" && fields[1].isEmpty {
                out.unified = path
            } else if fields[1].split(separator: ",").contains("memory") {
                out.memoryV1 = path
            }
        }
        return out
    }

    // MARK: helpers

    static func located(_ file: String, _ line: Int, _ column: Int, _ message: String) -> ScenarioError {
        ScenarioError(message, at: SourceLocation(file: file, line: line, column: column))
    }

    /// The text's lines (1-based numbers), the final newline not starting
    /// an extra empty one. Blank lines are kept so errors can name them.
    static func lines(_ text: String) -> [(Int, Substring)] {
        var parts = text.split(separator: "\n", omittingEmptySubsequences: false)
        if parts.last == "" { parts.removeLast() }
        return parts.enumerated().map { ($0.offset + 1, $0.element) }
    }

    /// A one-value file: exactly one line, no spaces. Returns the value and
    /// its column (always 1).
    static func singleLine(_ text: String, file: String) throws(ScenarioError) -> (String, Int) {
        let all = lines(text)
        guard let first = all.first?.1 else { throw located(file, 1, 1, "empty file, expected one value") }
        if all.count > 1 { throw located(file, 2, 1, "expected one line, found \(all.count)") }
        if let space = first.firstIndex(where: { $0 == " " || $0 == "\t" || $0 == "\r" }) {
            let column = first.distance(from: first.startIndex, to: space) + 1
            throw located(file, 1, column, "unexpected whitespace in '\(first)'")
        }
        if first.isEmpty { throw located(file, 1, 1, "empty line, expected one value") }
        return (String(first), 1)
    }

    /// "key count" lines, one space between.
    static func keyValues(_ text: String, file: String) throws(ScenarioError) -> [(key: String, value: Int, line: Int)] {
        var out: [(key: String, value: Int, line: Int)] = []
        for (n, line) in lines(text) {
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count == 2, !fields[0].isEmpty, !fields[1].isEmpty else {
                throw located(file, n, 1, "expected 'key count', got '\(line)'")
            }
            let value = try count(fields[1], file: file, line: n, column: fields[0].count + 2)
            out.append((String(fields[0]), value, n))
        }
        return out
    }

    /// A decimal count in 0...Int.max.
    static func count(_ digits: Substring, file: String, line: Int, column: Int) throws(ScenarioError) -> Int {
        switch parseDecimal(digits) {
        case .notDecimal:
            throw located(file, line, column, "expected a decimal count, got '\(digits)'")
        case .value(let v) where v <= UInt64(Int.max):
            return Int(v)
        case .value, .tooLarge:
            throw located(file, line, column, "count \(digits) is out of range (more than \(Int.max))")
        }
    }

    /// A byte count in pages, up to PAGE_COUNTER_MAX.
    static func pages(_ value: String, file: String, line: Int, column: Int,
                      acceptMaxWord: Bool) throws(ScenarioError) -> Int {
        let tooLarge = "\(value) bytes is out of range (more than PAGE_COUNTER_MAX, \(PageCounter.max) pages)"
        let bytes: UInt64
        switch parseDecimal(Substring(value)) {
        case .notDecimal:
            throw located(file, line, column, acceptMaxWord
                          ? "expected 'max' or a byte count, got '\(value)'"
                          : "expected a byte count, got '\(value)'")
        case .tooLarge: throw located(file, line, column, tooLarge)
        case .value(let v): bytes = v
        }
        let pages = bytes / UInt64(Units.pageSize)
        guard pages <= UInt64(PageCounter.max) else {
            throw located(file, line, column, tooLarge)
        }
        return Int(pages)
    }

    enum Decimal: Equatable {
        case value(UInt64)
        /// Only digits, but more than UInt64 holds.
        case tooLarge
        case notDecimal
    }

    /// Decimal digits (no sign, no spaces) as a UInt64.
    static func parseDecimal(_ digits: Substring) -> Decimal {
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return .notDecimal }
        var v: UInt64 = 0
        for ch in digits.utf8 {
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(ch - 0x30))
            if o1 || o2 { return .tooLarge }
            v = s
        }
        return .value(v)
    }
}
