import Yams
import OOMLabKernel

extension ScenarioDecoder {
    static let expectKeys = ["verdict", "by_tick", "killed", "oom_kills", "first_kill_by_tick", "first_kill_after_tick"]

    /// The checks of an `expect` block (or of an `expect_with` entry), in
    /// file order, each located at its key so `oomlab check` can point at it.
    func expectation(_ m: YAMLMap, tasks: [TaskSpec]) throws(ScenarioError) -> Expectation {
        let ticks = 0...Limits.maxTicks
        var checks: [ExpectCheck] = []
        for entry in m.entries where Self.expectKeys.contains(entry.key) {
            let n = entry.value
            let kind: ExpectCheck.Kind
            switch entry.key {
            case "verdict": kind = .verdict(try reader.choice(n, for: "verdict", as: Verdict.Kind.self))
            case "by_tick": kind = .verdictByTick(try reader.ticks(n, for: "by_tick", in: ticks))
            case "killed": kind = .killed(try killed(n, tasks: tasks))
            case "oom_kills": kind = .oomKills(try reader.int(n, for: "oom_kills", in: 0...Limits.maxTasks))
            case "first_kill_by_tick": kind = .firstKillByTick(try reader.ticks(n, for: "first_kill_by_tick", in: ticks))
            default: kind = .firstKillAfterTick(try reader.ticks(n, for: "first_kill_after_tick", in: ticks))
            }
            checks.append(ExpectCheck(kind, at: reader.location(entry.keyNode)))
        }
        return Expectation(checks: checks)
    }

    /// `expect_with`: a list of `set` overrides, each with its own checks.
    func expectWith(_ node: Node, tasks: [TaskSpec]) throws(ScenarioError) -> [ConditionalExpectation] {
        var result: [ConditionalExpectation] = []
        for item in try reader.sequence(node, for: "expect_with") {
            let m = try reader.mapping(item, for: "expect_with", allowed: ["set"] + Self.expectKeys)
            let set = try reader.mapping(m.required("set"), for: "set", allowed: PolicyKey.allCases.map(\.rawValue))
            var overrides: [(key: PolicyKey, value: String)] = []
            for entry in set.entries {
                guard let key = PolicyKey(rawValue: entry.key) else { continue }
                let spec = try setting(key, to: entry.value, in: PolicySpec())
                let value = key == .era ? spec.era.rawValue : (spec.explicit[key] ?? "")
                overrides.append((key, value))
            }
            result.append(ConditionalExpectation(set: overrides, expect: try expectation(m, tasks: tasks),
                                                 location: reader.location(item)))
        }
        return result
    }

    /// Victims by pid (an unquoted integer) or name (anything else, so a task
    /// named "123" is written quoted), each naming a declared task.
    private func killed(_ node: Node, tasks: [TaskSpec]) throws(ScenarioError) -> [TaskRef] {
        let items: [Node]
        if case .sequence = node { items = try reader.sequence(node, for: "killed") } else { items = [node] }
        var refs: [TaskRef] = []
        for item in items {
            let text = try reader.text(item, for: "killed")
            if case .scalar(let s) = item, s.style == .plain, let pid = Int(text) {
                guard tasks.contains(where: { $0.pid == pid }) else {
                    throw ScenarioError("no task has pid \(pid)", at: reader.location(item))
                }
                refs.append(.pid(pid))
            } else {
                guard tasks.contains(where: { $0.name == text }) else {
                    var names: [String] = []
                    for t in tasks where !names.contains(t.name) { names.append(t.name) }
                    throw ScenarioError("no task named '\(text)'", at: reader.location(item),
                                        suggestion: DidYouMean.suggestion(for: text, in: names))
                }
                refs.append(.name(text))
            }
        }
        return refs
    }
}
