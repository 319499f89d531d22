import OOMLabKernel

/// `--set cgroup:PATH:FILE=VALUE` (run, compare, tui): a cgroup's limit
/// file set before the run starts, as `--set KEY=VALUE` sets a policy
/// switch. PATH must be a cgroup the scenario declares, FILE one of
/// `CgroupLimitFile` (memory.max, memory.high, memory.low, memory.min,
/// memory.swap.max; v1 has memory.max only, also spelt
/// memory.limit_in_bytes), VALUE "max", 0 or a size with a unit (a bare
/// number is refused: the kernel's file counts bytes, a scenario pages).
public struct CgroupOverride: Equatable, Sendable {
    public var path: CgroupPath
    public var file: CgroupLimitFile
    public var pages: Int

    public static let prefix = "cgroup:"

    /// Why an override was refused, worded for the command line.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// Whether `item` is a cgroup override rather than a policy KEY=VALUE.
    public static func isOverride(_ item: String) -> Bool { item.hasPrefix(prefix) }

    /// "cgroup:/kubepods/pod-a:memory.max=512MiB".
    public static func parse(_ item: String) throws(Failure) -> CgroupOverride {
        let usage = "--set cgroup: takes cgroup:PATH:FILE=VALUE (e.g. cgroup:/pod:memory.max=512MiB), not '\(item)'"
        let rest = item.dropFirst(prefix.count)
        guard let eq = rest.firstIndex(of: "="), let colon = rest[..<eq].lastIndex(of: ":") else { throw Failure(usage) }
        let pathText = String(rest[..<colon]), name = String(rest[rest.index(after: colon)..<eq])
        let value = String(rest[rest.index(after: eq)...])
        let path: CgroupPath
        do {
            path = try CgroupPath.parse(pathText, at: SourceLocation(file: "--set", line: 1, column: 1))
        } catch {
            throw Failure("--set cgroup: bad path '\(pathText)': \(error.message)")
        }
        guard !path.isRoot else { throw Failure("--set cgroup: the root cgroup has no limit files") }
        guard let file = name == "memory.limit_in_bytes" ? .max : CgroupLimitFile(rawValue: name) else {
            let hint = DidYouMean.suggestion(for: name, in: CgroupLimitFile.allCases.map(\.rawValue))
                .map { "; did you mean '\($0)'?" } ?? " (files: \(CgroupLimitFile.names))"
            throw Failure("--set cgroup: unknown file '\(name)'" + hint)
        }
        return CgroupOverride(path: path, file: file, pages: try limit(value, file: name))
    }

    /// "max", 0, or a size with a unit, in pages.
    public static func limit(_ text: String, file: String) throws(Failure) -> Int {
        if text == "max" { return PageCounter.max }
        if text != "0", !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) {
            throw Failure("--set cgroup: bare number '\(text)' for \(file): write a unit (\(text)B, or e.g. 512MiB) or max")
        }
        do {
            let pages = try Sizes.pages(text)
            guard pages <= Scenario.Limits.maxPages else { throw Sizes.Failure.tooLarge }
            return pages
        } catch {
            throw Failure("--set cgroup: \(file) takes max or a size such as 512MiB, not '\(text)'")
        }
    }

    /// Sets the file in the scenario's `cgroups:` block, refusing what the
    /// loader would refuse: an undeclared cgroup, a v2 file on v1, a
    /// memory.max below what the cgroup's tasks start with.
    public func apply(to s: inout Scenario) throws(Failure) {
        guard let i = s.cgroups.groups.firstIndex(where: { $0.path == path }) else {
            let declared = s.cgroups.groups.map(\.path.description)
            let hint = DidYouMean.suggestion(for: path.description, in: declared).map { "; did you mean '\($0)'?" }
                ?? (declared.isEmpty ? " (the scenario declares no cgroups)" : "")
            throw Failure("--set cgroup: no cgroup \(path) in the scenario" + hint)
        }
        let version = s.cgroups.version(for: s.policy.era)
        guard version == .v2 || file == .max else {
            throw Failure("--set cgroup: \(file.rawValue) is a cgroup v2 file; the scenario's cgroups are v1")
        }
        let charges = s.initialCgroupCharges[path] ?? (0, 0)
        switch file {
        case .max:
            guard pages >= charges.memory else {
                throw Failure("--set cgroup: the tasks of \(path) start with \(Sizes.format(pages: charges.memory)), "
                              + "over a memory.max of \(Sizes.format(pages: pages))")
            }
            s.cgroups.groups[i].max = pages
        case .high: s.cgroups.groups[i].high = pages
        case .low: s.cgroups.groups[i].low = pages
        case .min: s.cgroups.groups[i].min = pages
        case .swapMax:
            guard pages >= charges.swap else {
                throw Failure("--set cgroup: the tasks of \(path) start with \(Sizes.format(pages: charges.swap)) of swap, "
                              + "over a memory.swap.max of \(Sizes.format(pages: pages))")
            }
            s.cgroups.groups[i].swapMax = pages
        }
    }
}
