import Yams
import OOMLabKernel

/// A session's `timeline:` and `at:`. Each timeline entry is a mapping with
/// `tick` and one action key; presets/README.md lists them.
extension ScenarioDecoder {
    static let sessionKeys = ["timeline", "at"]

    /// The key node of `timeline` or `at`, if the file has one.
    func sessionKey(in root: Node) -> Node? {
        guard case .mapping(let m) = root else { return nil }
        return m.first { Self.sessionKeys.contains($0.key.string ?? "") }?.key
    }

    func session(from root: Node, defaultName: String) throws(ScenarioError) -> Session {
        let scenario = try scenario(from: root, defaultName: defaultName, session: true)
        let top = try reader.mapping(root, for: "the scenario", allowed: Self.topKeys + Self.sessionKeys)
        var session = Session(scenario: scenario)
        if let n = top["timeline"] { session.timeline = try timeline(n, scenario: scenario) }
        if let n = top["at"] { session.at = try tick(n, for: "at", in: scenario) }
        return session
    }

    /// A tick within the run: 0 to the scenario's `ticks`.
    func tick(_ node: Node, for key: String, in scenario: Scenario) throws(ScenarioError) -> Int {
        let t = try reader.ticks(node, for: key, in: 0...Limits.maxTicks)
        if t > scenario.ticks {
            throw ScenarioError("\(key) \(t) is past the end of the run (ticks: \(scenario.ticks)); raise ticks or move it",
                                at: reader.location(node))
        }
        return t
    }

    func timeline(_ node: Node, scenario: Scenario) throws(ScenarioError) -> Timeline {
        var entries: [Timeline.Entry] = []
        var known = Known(locks: scenario.locks, pids: Set(scenario.tasks.map(\.pid)),
                          cgroups: Set(scenario.cgroups.groups.map(\.path)))
        var last = 0
        for item in try reader.sequence(node, for: "timeline") {
            let m = try reader.mapping(item, for: "timeline entry", allowed: ["tick"] + UserAction.keywords)
            let tickNode = try m.required("tick")
            let at = try tick(tickNode, for: "tick", in: scenario)
            if at < last {
                throw ScenarioError("timeline out of order: tick \(at) comes after tick \(last); list entries by tick",
                                    at: reader.location(tickNode))
            }
            last = at
            let actions = m.entries.filter { $0.key != "tick" }
            guard let first = actions.first else {
                throw ScenarioError("timeline entry at tick \(at) has no action; expected "
                                    + YAMLNodeReader.list(UserAction.keywords, or: true), at: reader.location(item))
            }
            if actions.count > 1 {
                throw ScenarioError("a timeline entry holds one action, found '\(first.key)' and '\(actions[1].key)';"
                                    + " give each its own entry", at: reader.location(actions[1].keyNode))
            }
            entries += try self.actions(first.key, first.value, known: &known).map { action, where_ in
                Timeline.Entry(tick: at, action: action, location: reader.location(where_))
            }
        }
        return Timeline(entries)
    }

    /// Locks and pids declared so far: the scenario's, then those the
    /// timeline adds, so a later entry may name them.
    struct Known {
        var locks: [String]
        var pids: Set<Int>
        var cgroups: Set<CgroupPath>
    }

    /// The action(s) of one entry, each with the node an error should point at.
    func actions(_ keyword: String, _ n: Node, known: inout Known) throws(ScenarioError) -> [(UserAction, Node)] {
        switch keyword {
        case "set":
            let m = try reader.mapping(n, for: "set", allowed: PolicyKey.allCases.map(\.rawValue))
            guard !m.entries.isEmpty else {
                throw ScenarioError("set needs a policy key, e.g. {oom_reaper: on}", at: reader.location(n))
            }
            var out: [(UserAction, Node)] = []
            for entry in m.entries {
                guard let key = PolicyKey(rawValue: entry.key) else { continue }
                let spec = try setting(key, to: entry.value, in: PolicySpec())
                let value = key == .era ? spec.era.rawValue : (spec.explicit[key] ?? "")
                out.append((.setPolicy(key, value), entry.value))
            }
            return out
        case "kill":
            return [(.kill(pid: try reader.int(n, for: "kill", in: 1...Self.pidMax)), n)]
        case "oom_score_adj":
            let m = try reader.mapping(n, for: "oom_score_adj", allowed: ["pid", "value"])
            let pidNode = try m.required("pid")
            let adj = try reader.int(m.required("value"), for: "value", in: OOMScoreAdj.min...OOMScoreAdj.max)
            return [(.setOOMScoreAdj(pid: try reader.int(pidNode, for: "pid", in: 1...Self.pidMax), adj), pidNode)]
        case "add_lock":
            let name = try reader.text(n, for: "add_lock")
            if name.contains(where: \.isWhitespace) {
                throw ScenarioError("a lock name cannot contain spaces: '\(name)'", at: reader.location(n))
            }
            known.locks.append(name)
            return [(.addLock(name), n)]
        case "take_lock", "release_lock":
            let m = try reader.mapping(n, for: keyword, allowed: keyword == "take_lock" ? ["pid", "lock", "wait"] : ["pid", "lock"])
            let pidNode = try m.required("pid")
            let pid = try reader.int(pidNode, for: "pid", in: 1...Self.pidMax)
            let lock = try reader.lock(m.required("lock"), for: "lock", declared: known.locks)
            if keyword == "release_lock" { return [(.releaseLock(pid: pid, lock: lock), pidNode)] }
            let wait = try m["wait"].map { node throws(ScenarioError) in try reader.choice(node, for: "wait", as: LockWait.self) }
            return [(.takeLock(pid: pid, lock: lock, wait: wait ?? .uninterruptible), pidNode)]
        case "create_cgroup":
            let path = try CgroupPath.parse(try reader.text(n, for: "create_cgroup"), at: reader.location(n))
            if path.isRoot || known.cgroups.contains(path) {
                throw ScenarioError("cgroup \(path) already exists", at: reader.location(n))
            }
            if let parent = path.parent, !parent.isRoot, !known.cgroups.contains(parent) {
                throw ScenarioError("no cgroup \(parent): create the parent first", at: reader.location(n))
            }
            known.cgroups.insert(path)
            return [(.createCgroup(path), n)]
        case "cgroup_limit":
            let files = CgroupLimitFile.allCases.map(\.rawValue)
            let m = try reader.mapping(n, for: "cgroup_limit", allowed: ["cgroup"] + files)
            let pathNode = try m.required("cgroup")
            let path = try taskCgroup(pathNode, declared: known.cgroups)
            if path.isRoot { throw ScenarioError("the root cgroup has no limit files", at: reader.location(pathNode)) }
            let set = m.entries.filter { $0.key != "cgroup" }
            guard set.count == 1, let entry = set.first, let file = CgroupLimitFile(rawValue: entry.key) else {
                throw ScenarioError("cgroup_limit sets one file: " + YAMLNodeReader.list(files, or: true), at: reader.location(n))
            }
            return [(.setCgroupLimit(path, file, pages: try cgroupSize(entry.value, for: entry.key)), entry.value)]
        default:
            let m = try reader.mapping(n, for: "add_task", allowed: Self.taskKeys.filter { $0 != "count" })
            let spec = try task(m, locks: known.locks, cgroups: known.cgroups)
            for key in ["tgid", "parent"] {
                guard let ref = m[key], let pid = key == "tgid" ? spec.tgid : spec.parent else { continue }
                if !known.pids.contains(pid) && pid != spec.pid {
                    throw ScenarioError("\(key) \(pid) is not the pid of any task of the scenario or added before",
                                        at: reader.location(ref))
                }
            }
            known.pids.insert(spec.pid)
            return [(.addTask(spec), try m.required("pid"))]
        }
    }
}
