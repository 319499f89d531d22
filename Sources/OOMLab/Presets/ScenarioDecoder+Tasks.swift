import Yams
import OOMLabKernel

extension ScenarioDecoder {
    static let taskKeys = ["pid", "name", "count", "uid", "oom_score_adj", "kthread", "anon", "swap",
                           "page_tables", "tgid", "parent", "mmap_lock", "start", "cgroup", "program"]

    /// PID_MAX_LIMIT on 64-bit kernels (include/linux/threads.h).
    static let pidMax = 4_194_304

    /// The task list. A task with `count: N` stands for N identical tasks
    /// with pids pid, pid+1, ... Every pid must be unique: a repeat is
    /// reported at the second use, naming the first.
    func tasks(_ node: Node, locks: [String], cgroups: Set<CgroupPath>) throws(ScenarioError) -> [TaskSpec] {
        var tasks: [TaskSpec] = []
        var owners: [Int: (name: String, line: Int)] = [:]
        var references: [(key: String, pid: Int, node: Node)] = []
        for item in try reader.sequence(node, for: "tasks") {
            let m = try reader.mapping(item, for: "task", allowed: Self.taskKeys)
            for key in ["tgid", "parent"] {
                if let n = m[key] { references.append((key, try reader.int(n, for: key, in: 1...Self.pidMax), n)) }
            }
            let pidNode = try m.required("pid")
            let task = try task(m, locks: locks, cgroups: cgroups)
            var count = 1
            if let n = m["count"] {
                count = try reader.int(n, for: "count", in: 1...(Self.pidMax - task.pid + 1))
            }
            if tasks.count + count > Limits.maxTasks {
                throw ScenarioError("too many tasks: more than \(Limits.maxTasks)", at: reader.location(item))
            }
            for pid in task.pid..<(task.pid + count) {
                if let first = owners[pid] {
                    throw ScenarioError("duplicate pid \(pid): already used by '\(first.name)' at line \(first.line)",
                                        at: reader.location(count > 1 ? item : pidNode))
                }
                owners[pid] = (task.name, reader.location(pidNode).line)
                var copy = task
                copy.pid = pid
                tasks.append(copy)
            }
        }
        // A thread's process and a child's parent must be tasks of the scenario.
        for ref in references where owners[ref.pid] == nil {
            throw ScenarioError("\(ref.key) \(ref.pid) is not the pid of any task in the scenario", at: reader.location(ref.node))
        }
        try sameCgroupPerProcess(tasks, tgidNodes: references.filter { $0.key == "tgid" })
        return tasks
    }

    /// The threads of a process share its mm, and the mm is charged to one
    /// memory cgroup (get_mem_cgroup_from_mm reads mm->owner, mm/memcontrol.c);
    /// cgroup v2 keeps a process's threads in one domain cgroup (threaded
    /// cgroups are not modelled). A thread in another cgroup than its
    /// process is refused where its `tgid` is written.
    func sameCgroupPerProcess(_ tasks: [TaskSpec],
                              tgidNodes: [(key: String, pid: Int, node: Node)]) throws(ScenarioError) {
        guard !tgidNodes.isEmpty else { return }
        var cgroupOf: [Int: CgroupPath] = [:]
        for t in tasks { cgroupOf[t.pid] = t.cgroup }
        var nodeOf: [Int: Node] = [:]
        for ref in tgidNodes { nodeOf[ref.pid] = ref.node }
        for t in tasks {
            guard let tgid = t.tgid, tgid != t.pid, let leader = cgroupOf[tgid], leader != t.cgroup else { continue }
            let at = nodeOf[tgid].map { reader.location($0) }
            throw ScenarioError("task \(t.pid) is a thread of \(tgid), which is in cgroup \(leader), not \(t.cgroup): "
                                + "a process's threads share one mm and one memory cgroup", at: at)
        }
    }

    /// One task's keys (`count` aside), also read for a timeline's `add_task`.
    /// `cgroups` are the paths a task may name (the scenario's).
    func task(_ m: YAMLMap, locks: [String], cgroups: Set<CgroupPath>) throws(ScenarioError) -> TaskSpec {
        let pages = 0...Limits.maxPages
        let pid = try reader.int(m.required("pid"), for: "pid", in: 1...Self.pidMax)
        let name = try reader.text(m.required("name"), for: "name")
        var t = TaskSpec(pid: pid, name: name, program: [])
        if let n = m["uid"] { t.uid = try reader.int(n, for: "uid", in: 0...4_294_967_294) }
        if let n = m["oom_score_adj"] {
            t.oomScoreAdj = try reader.int(n, for: "oom_score_adj", in: OOMScoreAdj.min...OOMScoreAdj.max)
        }
        if let n = m["kthread"] { t.kthread = try reader.bool(n, for: "kthread") }
        if let n = m["anon"] { t.anonPages = try reader.pages(n, for: "anon", in: pages) }
        if let n = m["swap"] { t.swapPages = try reader.pages(n, for: "swap", in: pages) }
        if let n = m["page_tables"] { t.pageTablePages = try reader.pages(n, for: "page_tables", in: pages) }
        if let n = m["tgid"] { t.tgid = try reader.int(n, for: "tgid", in: 1...Self.pidMax) }
        if let n = m["parent"] { t.parent = try reader.int(n, for: "parent", in: 1...Self.pidMax) }
        if let n = m["mmap_lock"] { t.mmapLock = try reader.lock(n, for: "mmap_lock", declared: locks) }
        if let n = m["start"] { t.startTick = try reader.ticks(n, for: "start", in: 0...Limits.maxTicks) }
        if let n = m["cgroup"] { t.cgroup = try taskCgroup(n, declared: cgroups) }
        if let n = m["program"] {
            var programs = ProgramDecoder(reader: reader, locks: locks)
            t.program = try programs.program(n, for: "program", depth: 1)
        }
        return t
    }
}
