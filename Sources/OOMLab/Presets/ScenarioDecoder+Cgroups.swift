import Yams
import OOMLabKernel

/// The `cgroups:` block: `version` and one mapping of interface files per
/// cgroup path. docs/memcg.md §14 lists the keys; presets/README.md
/// documents them for users.
///
///     cgroups:
///       version: v2
///       /kubepods/burstable/pod-a:
///         memory.max: 1GiB
///         memory.oom.group: 1
extension ScenarioDecoder {
    /// The interface files of each version, in the order the writer prints them.
    static let cgroupV2Keys = ["memory.max", "memory.high", "memory.low", "memory.min", "memory.swap.max",
                               "memory.oom.group"]
    static let cgroupV1Keys = ["memory.limit_in_bytes", "memory.memsw.limit_in_bytes", "oom_kill_disable"]

    /// The release that added a v2 file the 2015 era (Linux 4.0) lacks.
    /// memory.min: "memcg: introduce memory.min" (4.18); memory.swap.max:
    /// "mm: memcontrol: charge swap to cgroup2" (4.8); memory.oom.group:
    /// "mm, oom: introduce memory.oom.group" (4.19). docs/memcg.md §1, §6, §7.
    static let cgroupV2Since: [String: String] = ["memory.min": "4.18", "memory.swap.max": "4.8",
                                                  "memory.oom.group": "4.19"]

    /// Where each cgroup's memory.max (or v1 memory.limit_in_bytes) was
    /// written, for `checkCgroupsFit`'s errors.
    typealias CgroupNodes = [CgroupPath: Node]

    func cgroups(_ node: Node, era: Era) throws(ScenarioError) -> (CgroupsSpec, CgroupNodes) {
        guard case .mapping(let raw) = node else {
            throw ScenarioError("expected a mapping for 'cgroups' (version and cgroup paths), found \(reader.describe(node))",
                                at: reader.location(node))
        }
        var spec = CgroupsSpec()
        for (k, v) in raw where k.string == "version" {
            spec.version = try reader.choice(v, for: "version", as: CgroupVersion.self)
        }
        let version = spec.version(for: era)
        var order: [CgroupPath] = []
        var groups: [CgroupPath: CgroupSpec] = [:]
        var declared: [CgroupPath: Int] = [:]
        var maxNodes: CgroupNodes = [:]
        for (k, v) in raw where k.string != "version" {
            let text = k.string ?? ""
            guard text.hasPrefix("/") else {
                throw ScenarioError("unknown key '\(text)' in cgroups; expected 'version' or a cgroup path such as '/kubepods'",
                                    at: reader.location(k), suggestion: DidYouMean.suggestion(for: text, in: ["version"]))
            }
            let path = try CgroupPath.parse(text, at: reader.location(k))
            if path.isRoot {
                throw ScenarioError("the root cgroup '/' has no limit files; put the limits on a cgroup below it",
                                    at: reader.location(k))
            }
            if let line = declared[path] {
                throw ScenarioError("cgroup '\(path)' is declared twice (first at line \(line))", at: reader.location(k))
            }
            declared[path] = reader.location(k).line
            // Parents first: mkdir -p, in path order.
            for ancestor in path.lineage where groups[ancestor] == nil {
                groups[ancestor] = CgroupSpec(path: ancestor)
                order.append(ancestor)
            }
            if order.count >= Limits.maxCgroups {
                throw ScenarioError("too many cgroups: more than \(Limits.maxCgroups)", at: reader.location(k))
            }
            var group = CgroupSpec(path: path)
            if !reader.isNull(v) {
                let m = try reader.mapping(v, for: "cgroup '\(path)'", allowed: Self.cgroupV2Keys + Self.cgroupV1Keys)
                try refuseWrongVersion(m, version: version, era: era, explicit: spec.version != nil)
                try cgroupFiles(m, into: &group)
                if let n = m["memory.max"] ?? m["memory.limit_in_bytes"] { maxNodes[path] = n }
            }
            groups[path] = group
        }
        spec.groups = order.compactMap { groups[$0] }
        return (spec, maxNodes)
    }

    /// The keys of the other version (or of a later kernel than the era's)
    /// are errors that say which name to use.
    private func refuseWrongVersion(_ m: YAMLMap, version: CgroupVersion, era: Era, explicit: Bool) throws(ScenarioError) {
        let why = explicit ? "this scenario's cgroups are \(version.rawValue)"
            : "this scenario's cgroups are \(version.rawValue), the default for era \(era.rawValue); set cgroups: {version: "
                + (version == .v1 ? "v2" : "v1") + "} to change"
        for entry in m.entries {
            let at = reader.location(entry.keyNode)
            switch version {
            case .v1 where Self.cgroupV2Keys.contains(entry.key):
                let hint = entry.key == "memory.max" ? " (v1 spells it memory.limit_in_bytes)" : ""
                throw ScenarioError("\(entry.key) is a cgroup v2 file\(hint); \(why)", at: at)
            case .v2 where Self.cgroupV1Keys.contains(entry.key):
                let hint = entry.key == "memory.limit_in_bytes" ? " (v2 spells it memory.max)" : ""
                throw ScenarioError("\(entry.key) is a cgroup v1 file\(hint); \(why)", at: at)
            default:
                break
            }
            if era == .v2015, let since = Self.cgroupV2Since[entry.key] {
                throw ScenarioError("\(entry.key) arrived in Linux \(since); era 2015 (Linux 4.0) has no such file", at: at)
            }
            if entry.key == "memory.memsw.limit_in_bytes" {
                throw ScenarioError("memory.memsw.limit_in_bytes (v1's memory+swap limit) is not modelled: the model "
                                    + "has no memsw counter (docs/memcg.md §13); limit memory with memory.limit_in_bytes",
                                    at: at)
            }
        }
    }

    private func cgroupFiles(_ m: YAMLMap, into group: inout CgroupSpec) throws(ScenarioError) {
        // One version's spelling at most: refuseWrongVersion has refused the other.
        for key in ["memory.max", "memory.limit_in_bytes"] {
            if let n = m[key] { group.max = try cgroupSize(n, for: key) }
        }
        if let n = m["memory.high"] { group.high = try cgroupSize(n, for: "memory.high") }
        if let n = m["memory.low"] { group.low = try cgroupSize(n, for: "memory.low") }
        if let n = m["memory.min"] { group.min = try cgroupSize(n, for: "memory.min") }
        if let n = m["memory.swap.max"] { group.swapMax = try cgroupSize(n, for: "memory.swap.max") }
        if let n = m["memory.oom.group"] { group.oomGroup = try reader.int(n, for: "memory.oom.group", in: 0...1) == 1 }
        if let n = m["oom_kill_disable"] { group.oomKillDisable = try reader.int(n, for: "oom_kill_disable", in: 0...1) == 1 }
    }

    /// A limit: "max" (PAGE_COUNTER_MAX), 0, or a size with a unit. A bare
    /// number other than 0 is refused: the kernel's file counts bytes and a
    /// scenario's sizes count pages, so "536870912" copied from
    /// /sys/fs/cgroup would silently mean 2 TiB.
    func cgroupSize(_ node: Node, for key: String) throws(ScenarioError) -> Int {
        let text = try reader.text(node, for: key)
        if text == "max" { return PageCounter.max }
        if text != "0", !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) {
            throw ScenarioError("bare number '\(text)' for '\(key)': the kernel's file counts bytes, a scenario counts "
                                + "pages; write a unit (\(text)B, or e.g. 512MiB) or max", at: reader.location(node))
        }
        return try reader.pages(node, for: key, in: 0...Limits.maxPages)
    }

    /// A task's cgroup must be one the scenario declares (or an implicit
    /// parent of one): a misspelt path is an error, not a new unlimited cgroup.
    func taskCgroup(_ node: Node, declared: Set<CgroupPath>) throws(ScenarioError) -> CgroupPath {
        let path = try CgroupPath.parse(try reader.text(node, for: "cgroup"), at: reader.location(node))
        guard path.isRoot || declared.contains(path) else {
            let hint = declared.isEmpty ? " (the scenario declares no cgroups; list them under 'cgroups')" : ""
            throw ScenarioError("cgroup '\(path)' is not declared under cgroups\(hint)", at: reader.location(node),
                                suggestion: DidYouMean.suggestion(for: path.description, in: declared.map(\.description).sorted()))
        }
        return path
    }

    /// At tick 0 every cgroup must hold its tasks' memory under its
    /// memory.max (and, on v2, their swap under memory.swap.max): the
    /// kernel charges at fault time, so a cgroup never starts over its limit.
    func checkCgroupsFit(_ s: Scenario, maxNodes: CgroupNodes, at fallback: Node) throws(ScenarioError) {
        guard !s.cgroups.groups.isEmpty else { return }
        let charges = s.initialCgroupCharges
        let swapCounted = s.cgroups.version(for: s.policy.era) == .v2
        for group in s.cgroups.groups {
            let (memory, swap) = charges[group.path] ?? (0, 0)
            let node = maxNodes[group.path] ?? fallback
            if let max = group.max, memory > max {
                throw ScenarioError("the tasks of cgroup '\(group.path)' start with \(Sizes.format(pages: memory)) of anon memory, "
                                    + "over its limit of \(Sizes.format(pages: max)); raise the limit or shrink the tasks",
                                    at: reader.location(node))
            }
            if swapCounted, let max = group.swapMax, swap > max {
                throw ScenarioError("the tasks of cgroup '\(group.path)' start with \(Sizes.format(pages: swap)) of swap, "
                                    + "over its memory.swap.max of \(Sizes.format(pages: max))", at: reader.location(node))
            }
        }
    }
}
