import Foundation
import OOMLabKernel

/// This machine's memory cgroups as `oomlab snapshot` reads them: the v2
/// hierarchy under /sys/fs/cgroup (or, where only v1 is mounted, the memory
/// controller's hierarchy under /sys/fs/cgroup/memory), each cgroup's
/// limits, usage and memory.events, and each process's cgroup from
/// /proc/PID/cgroup. Every file goes through `CgroupFiles`, so what the
/// kernel would not print is a located error (docs/memcg.md §12).
public struct CgroupSnapshot: Equatable, Sendable {
    public var version: CgroupVersion
    /// Where the hierarchy was read ("/sys/fs/cgroup" or ".../memory").
    public var root: String
    /// Every cgroup below the root, parents before children (path order).
    public var groups: [Group]
    /// Each process's cgroup, by pid (the root for processes not listed).
    public var taskCgroups: [Int: CgroupPath]

    public struct Group: Equatable, Sendable {
        public var path: CgroupPath
        /// The limit files as `CgroupSpec` holds them: nil where the file
        /// is absent (the controller is not enabled there, or v1 lacks it).
        public var spec: CgroupSpec
        /// memory.current (v1 memory.usage_in_bytes), in pages.
        public var currentPages: Int?
        /// memory.events (v2), or nil.
        public var events: MemoryEvents?
    }

    /// Whether the group sets a limit other than the kernel's defaults.
    static func setsLimit(_ s: CgroupSpec) -> Bool {
        func set(_ v: Int?, unset: Int) -> Bool { v.map { $0 != unset } ?? false }
        return set(s.max, unset: PageCounter.max) || set(s.high, unset: PageCounter.max) || set(s.low, unset: 0)
            || set(s.min, unset: 0) || set(s.swapMax, unset: PageCounter.max) || s.oomGroup || s.oomKillDisable
    }
}

/// Reads /sys/fs/cgroup and /proc/PID/cgroup into a `CgroupSnapshot`.
public enum CgroupReader {
    /// nil when no memory controller is mounted (neither a v2 root with
    /// cgroup.controllers nor a v1 memory hierarchy). `pids` are the
    /// processes to place; one that has exited meanwhile is skipped.
    public static func read(sys: String = "/sys/fs/cgroup", proc: String = "/proc",
                            pids: [Int]) throws(ScenarioError) -> CgroupSnapshot? {
        let version: CgroupVersion, root: String
        if exists("\(sys)/cgroup.controllers") {
            (version, root) = (.v2, sys)
        } else if exists("\(sys)/memory/memory.limit_in_bytes") {
            (version, root) = (.v1, "\(sys)/memory")
        } else {
            return nil
        }
        var snapshot = CgroupSnapshot(version: version, root: root, groups: [], taskCgroups: [:])
        for (path, dir) in try directories(under: root) {
            snapshot.groups.append(try group(path, dir: dir, version: version))
        }
        for pid in pids {
            guard let text = try text(of: "\(proc)/\(pid)/cgroup", required: false) else { continue }
            let where_ = try CgroupFiles.procCgroup(text, file: "\(proc)/\(pid)/cgroup")
            if let path = version == .v2 ? where_.unified : where_.memoryV1 { snapshot.taskCgroups[pid] = path }
        }
        return snapshot
    }

    /// One cgroup's files. memory.max and its kin are absent where the
    /// memory controller is not enabled for the cgroup (v2's
    /// cgroup.subtree_control of the parent): the spec then keeps nil.
    static func group(_ path: CgroupPath, dir: String, version: CgroupVersion) throws(ScenarioError) -> CgroupSnapshot.Group {
        func read<T>(_ name: String, _ reader: (String, String) throws(ScenarioError) -> T) throws(ScenarioError) -> T? {
            let file = "\(dir)/\(name)"
            guard let text = try text(of: file, required: false) else { return nil }
            return try reader(text, file)
        }
        var spec = CgroupSpec(path: path)
        var g = CgroupSnapshot.Group(path: path, spec: spec)
        switch version {
        case .v2:
            spec.max = try read("memory.max", CgroupFiles.limit)
            spec.high = try read("memory.high", CgroupFiles.limit)
            spec.low = try read("memory.low", CgroupFiles.limit)
            spec.min = try read("memory.min", CgroupFiles.limit)
            spec.swapMax = try read("memory.swap.max", CgroupFiles.limit)
            spec.oomGroup = try read("memory.oom.group", CgroupFiles.flag) ?? false
            g.currentPages = try read("memory.current", CgroupFiles.bytes)
            g.events = try read("memory.events", CgroupFiles.events)
        case .v1:
            spec.max = try read("memory.limit_in_bytes", CgroupFiles.limit)
            spec.oomKillDisable = try read("memory.oom_control", CgroupFiles.oomControl)?.oomKillDisable ?? false
            g.currentPages = try read("memory.usage_in_bytes", CgroupFiles.bytes)
        }
        g.spec = spec
        return g
    }

    /// Every directory below `root` (not following symbolic links), as
    /// cgroup paths in path order, parents first. At most
    /// `Scenario.Limits.maxCgroups`.
    static func directories(under root: String) throws(ScenarioError) -> [(CgroupPath, String)] {
        var out: [(CgroupPath, String)] = []
        var queue: [(CgroupPath, String)] = [(.root, root)]
        while let (path, dir) = queue.popLast() {
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: dir)
            } catch {
                throw ScenarioError("cannot list the cgroup directory", at: SourceLocation(file: dir, line: 1, column: 1))
            }
            for name in names {
                let full = "\(dir)/\(name)"
                guard let attributes = try? FileManager.default.attributesOfItem(atPath: full),
                      attributes[.type] as? FileAttributeType == .typeDirectory else { continue }
                let at = SourceLocation(file: full, line: 1, column: 1)
                let child = try CgroupPath.parse(path.description + (path.isRoot ? "" : "/") + name, at: at)
                out.append((child, full))
                queue.append((child, full))
                guard out.count <= Scenario.Limits.maxCgroups else {
                    throw ScenarioError("more than \(Scenario.Limits.maxCgroups) cgroups",
                                        at: SourceLocation(file: root, line: 1, column: 1))
                }
            }
        }
        return out.sorted { $0.0 < $1.0 }
    }

    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    /// The file's text; nil if it does not exist (and is not `required`);
    /// an error naming it if it exists but cannot be read.
    static func text(of path: String, required: Bool) throws(ScenarioError) -> String? {
        guard exists(path) else {
            if required { throw ScenarioError("no such file", at: SourceLocation(file: path, line: 1, column: 1)) }
            return nil
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            // A process that exits between the two calls: its /proc files vanish.
            if !exists(path) { return nil }
            throw ScenarioError("cannot read the file (permission?)", at: SourceLocation(file: path, line: 1, column: 1))
        }
        return String(decoding: data, as: UTF8.self)
    }
}
