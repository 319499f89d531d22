import OOMLabKernel

/// Writes a session as its scenario's canonical YAML (`ScenarioWriter`) plus
/// `timeline:`, one flow-style entry per action (an added task in block
/// style, with the keys of a task), and `at:`. `SessionLoader` reads it back
/// equal; saving checks that before writing, atomically.
public enum SessionWriter {
    public static func yaml(for session: Session) -> String {
        var out = ScenarioWriter.Lines()
        if !session.timeline.isEmpty {
            out.add("timeline:")
            for entry in session.timeline.entries { self.entry(entry, &out) }
        }
        out.add("at: \(session.at)")
        return ScenarioWriter.yaml(for: session.scenario) + out.text
    }

    static func entry(_ e: Timeline.Entry, _ out: inout ScenarioWriter.Lines) {
        func flow(_ action: String) { out.add("  - {tick: \(e.tick), \(e.action.keyword): \(action)}") }
        switch e.action {
        case .setPolicy(let key, let value): flow("{\(key.rawValue): \(YAMLScalar.string(value))}")
        case .kill(let pid): flow(String(pid))
        case .addLock(let name): flow(YAMLScalar.string(name))
        case .setOOMScoreAdj(let pid, let adj): flow("{pid: \(pid), value: \(adj)}")
        case .takeLock(let pid, let lock, let wait):
            flow("{pid: \(pid), lock: \(YAMLScalar.string(lock))" + (wait == .uninterruptible ? "}" : ", wait: \(wait.rawValue)}"))
        case .releaseLock(let pid, let lock): flow("{pid: \(pid), lock: \(YAMLScalar.string(lock))}")
        case .createCgroup(let path): flow(YAMLScalar.string(path.description))
        case .setCgroupLimit(let path, let file, let pages):
            let value = pages == PageCounter.max ? "max" : Sizes.format(pages: pages)
            flow("{cgroup: \(YAMLScalar.string(path.description)), \(file.rawValue): \(value)}")
        case .addTask(let spec):
            out.add("  - tick: \(e.tick)")
            out.add("    add_task:")
            // The task as a scenario's task list writes it ("  - pid: N" then
            // "    key: ..."), moved under add_task.
            var task = ScenarioWriter.Lines()
            ScenarioWriter.task(spec, count: 1, &task)
            for line in task.lines { out.add("      " + line.dropFirst(4)) }
        }
    }

    /// Saves `session` at `path` as `ScenarioWriter.save` saves a scenario:
    /// atomically, never over an existing file unless `overwrite`, never over
    /// a commented file unless `discardComments`, and only after the text
    /// loads back equal.
    public static func save(_ session: Session, to path: String, overwrite: Bool = false,
                            discardComments: Bool = false) throws(ScenarioError) {
        try ScenarioWriter.checkedWrite(session, as: "session", text: yaml(for: session), to: path,
                                        reload: { text throws(ScenarioError) in try SessionLoader.parse(yaml: text, file: path) },
                                        overwrite: overwrite, discardComments: discardComments)
    }
}
