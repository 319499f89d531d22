/// A cgroup's path from the root of its hierarchy, as the kernel prints it
/// in OOM reports ("Task in /A killed as a result of limit of /A", the
/// `oom_memcg=` and `task_memcg=` fields) and in /proc/PID/cgroup: "/" for
/// the root, else "/" followed by names joined by "/". Each name is one
/// directory under /sys/fs/cgroup. docs/memcg.md §8.
/// pr_cont_cgroup_path, cgroup_path_ns, kernel/cgroup/cgroup.c.
public struct CgroupPath: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The names from the root down; empty for the root.
    public let components: [String]

    public static let root = CgroupPath(unchecked: [])

    init(unchecked components: [String]) { self.components = components }

    /// The longest name a directory entry can have (NAME_MAX); cgroup_mkdir
    /// refuses longer ones with ENAMETOOLONG.
    public static let nameMax = 255

    public var isRoot: Bool { components.isEmpty }

    /// The parent's path; nil for the root.
    public var parent: CgroupPath? {
        isRoot ? nil : CgroupPath(unchecked: Array(components.dropLast()))
    }

    /// The cgroups from the first level below the root down to `self`
    /// (empty for the root): the directories `mkdir -p` would create.
    public var lineage: [CgroupPath] {
        components.indices.map { CgroupPath(unchecked: Array(components[...$0])) }
    }

    /// The last name ("" for the root).
    public var name: String { components.last ?? "" }

    /// The path one level down.
    public func appending(_ name: String) -> CgroupPath? {
        guard CgroupPath.nameProblem(name) == nil else { return nil }
        return CgroupPath(unchecked: components + [name])
    }

    /// Whether `self` is `other` or below it (mem_cgroup_is_descendant).
    public func isDescendant(of other: CgroupPath) -> Bool {
        components.count >= other.components.count
            && Array(components.prefix(other.components.count)) == other.components
    }

    public var description: String { "/" + components.joined(separator: "/") }

    public static func < (a: CgroupPath, b: CgroupPath) -> Bool {
        a.components.lexicographicallyPrecedes(b.components)
    }

    /// Parses "/", "/A" or "/A/B". `location` is where the text starts in its
    /// file; an error points at the offending character. A trailing "/"
    /// is accepted ("/A/" is "/A"), as a shell path would be; an empty name
    /// ("//"), ".", "..", a name longer than NAME_MAX or one holding a
    /// control character is an error (the last so that a path printed in a
    /// log line can never forge another line).
    public static func parse(_ text: String, at location: SourceLocation) throws(ScenarioError) -> CgroupPath {
        func fail(_ message: String, offset: Int) -> ScenarioError {
            ScenarioError(message, at: SourceLocation(file: location.file, line: location.line,
                                                      column: location.column + offset))
        }
        guard text.first == "/" else {
            throw fail("a cgroup path starts with '/' (the root of the hierarchy), as in '/kubepods/pod1'; got '\(text)'",
                       offset: 0)
        }
        var names: [String] = []
        var offset = 1
        let parts = text.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        for (i, part) in parts.enumerated() {
            let isTrailingEmpty = part.isEmpty && i == parts.count - 1
            if isTrailingEmpty { break }
            if let problem = nameProblem(String(part)) {
                throw fail(problem, offset: offset)
            }
            names.append(String(part))
            offset += part.count + 1
        }
        return CgroupPath(unchecked: names)
    }

    /// Why `name` cannot be one cgroup directory, or nil.
    static func nameProblem(_ name: String) -> String? {
        if name.isEmpty { return "empty cgroup name in the path (two '/' in a row)" }
        if name == "." || name == ".." { return "a cgroup cannot be named '\(name)'" }
        if name.contains("/") { return "a cgroup name cannot contain '/'" }
        if name.utf8.count > nameMax {
            return "cgroup name longer than \(nameMax) bytes (NAME_MAX)"
        }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) {
            return "control character in a cgroup name"
        }
        return nil
    }
}
