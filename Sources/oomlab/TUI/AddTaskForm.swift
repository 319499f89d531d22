import OOMLab
import OOMLabKernel

/// The kinds of task the add-task form offers, each a small program in the
/// kernel's vocabulary.
enum TaskTemplate: String, CaseIterable, Sendable {
    case memoryHog = "memory hog"
    case fsWriter = "fs writer (NOFS loop)"
    case fsWriterNofail = "fs writer (NOFAIL)"
    case lockWaiter = "lock waiter"
    case dirtier = "page-cache dirtier"
    case transaction = "transaction + reservation"
    case shortLived = "short-lived allocator"

    /// Whether the template takes the form's lock.
    var usesLock: Bool {
        switch self {
        case .fsWriter, .fsWriterNofail, .lockWaiter, .transaction: return true
        case .memoryHog, .dirtier, .shortLived: return false
        }
    }

    /// One line for the form: what the program does.
    var summary: String {
        switch self {
        case .memoryHog: return "faults in SIZE of anon memory at RATE, then keeps it"
        case .fsWriter: return "holds LOCK, loops in kmem_alloc(GFP_NOFS) for SIZE, releases"
        case .fsWriterNofail: return "holds LOCK, allocates SIZE with GFP_NOFS|__GFP_NOFAIL"
        case .lockWaiter: return "takes LOCK (mutex_lock, D state), computes, releases"
        case .dirtier: return "writes SIZE of page cache (dirty pages), sleeps, again"
        case .transaction: return "reserves SIZE, takes LOCK, allocates NOFS, commits"
        case .shortLived: return "allocates SIZE of anon memory, computes, exits"
        }
    }

    /// The program for the template; `pages` is the allocation size and
    /// `rate` pages per tick.
    func program(lock: String, pages: Int, rate: Int) -> [Op] {
        switch self {
        case .memoryHog:
            return [.alloc(AllocSpec(pages: pages, gfp: .highuserMovable, target: .anon, ratePerTick: rate)),
                    .repeat(count: nil, body: [.sleep(ticks: 100)])]
        case .fsWriter:
            return [.repeat(count: nil, body: [
                .lock(name: lock, wait: .uninterruptible),
                .alloc(AllocSpec(pages: pages, order: 0, gfp: .nofs, target: .kernel, retry: .kmemAlloc, ratePerTick: rate)),
                .free(pages: nil, from: .kernel),
                .unlock(name: lock),
                .sleep(ticks: 1),
            ])]
        case .fsWriterNofail:
            return [.repeat(count: nil, body: [
                .lock(name: lock, wait: .uninterruptible),
                .alloc(AllocSpec(pages: pages, order: 0, gfp: GFPFlags.nofs.union(.nofail), target: .kernel,
                                 retry: .allocator, ratePerTick: rate)),
                .free(pages: nil, from: .kernel),
                .unlock(name: lock),
                .sleep(ticks: 1),
            ])]
        case .lockWaiter:
            return [.repeat(count: nil, body: [
                .lock(name: lock, wait: .uninterruptible),
                .compute(ticks: 1),
                .unlock(name: lock),
                .sleep(ticks: 2),
            ])]
        case .dirtier:
            return [.repeat(count: nil, body: [
                .alloc(AllocSpec(pages: pages, gfp: .highuserMovable, target: .fileDirty, ratePerTick: rate)),
                .sleep(ticks: 10),
            ])]
        case .transaction:
            return [.repeat(count: nil, body: [
                .transaction(reserve: pages, body: [
                    .lock(name: lock, wait: .uninterruptible),
                    .alloc(AllocSpec(pages: pages, order: 0, gfp: .nofs, target: .kernel, retry: .kmemAlloc, ratePerTick: rate)),
                    .free(pages: nil, from: .kernel),
                    .unlock(name: lock),
                ]),
                .sleep(ticks: 1),
            ])]
        case .shortLived:
            return [.alloc(AllocSpec(pages: pages, gfp: .highuserMovable, target: .anon, ratePerTick: rate)),
                    .compute(ticks: 10),
                    .exit]
        }
    }
}

/// The add-task form: fields, defaults and validation.
enum AddTaskForm {
    static let pidMax = 4_194_304   // PID_MAX_LIMIT on 64-bit
    static let commLength = 15      // TASK_COMM_LEN - 1
    static let rateMax = 1_000_000

    static func make(kernel: Kernel) -> Form {
        var form = Form(purpose: .addTask, title: "Add a task", fields: [
            .init(label: "name", kind: .text(maxLength: 32), value: "hog", hint: "comm, up to 15 characters"),
            .init(label: "kind", kind: .choice(TaskTemplate.allCases.map(\.rawValue)), value: TaskTemplate.memoryHog.rawValue,
                  hint: "Left/Right to choose"),
            .init(label: "lock", kind: .text(maxLength: 32), value: kernel.locks.first?.name ?? "agf",
                  hint: "for writers, waiters, transactions; created if new"),
            .init(label: "rss MiB", kind: .number, value: "0", hint: "anon memory mapped at start"),
            .init(label: "size MiB", kind: .number, value: "64", hint: "what the program allocates (each round)"),
            .init(label: "rate", kind: .number, value: "256", hint: "pages per tick (256 = 100 MiB/s)"),
            .init(label: "oom_score_adj", kind: .number, value: "0", hint: "-1000 (never) .. 1000"),
            .init(label: "pid", kind: .number, value: String(kernel.nextFreePid(from: 3000)), hint: ""),
        ])
        // With memory cgroups: where the task runs (its charges go there).
        if kernel.memcg.isEnabled {
            let first = kernel.memcg.tree.count > 1 ? kernel.memcg.tree[1].path.description : "/"
            form.fields.insert(.init(label: "cgroup", kind: .text(maxLength: 200), value: first,
                                     hint: "a cgroup of the scenario, / for the root"), at: form.fields.count - 1)
        }
        return form
    }

    /// The form's cgroup: "/" without the field; otherwise a path the
    /// kernel's tree has (the kernel checks the task fits under its limits).
    static func cgroup(_ form: Form, kernel: Kernel) throws(FormError) -> CgroupPath {
        guard form.fields.contains(where: { $0.label == "cgroup" }) else { return .root }
        let path = try FormCheck.cgroupPath(form.value("cgroup"), field: "cgroup")
        guard kernel.memcg.tree.id(of: path) != nil else {
            throw FormError(field: "cgroup", message: "no cgroup \(path) (the scenario's cgroups are listed in the Cgroups panel)")
        }
        return path
    }

    /// What a valid form adds: the task and, if it is new, its lock.
    struct Result: Equatable {
        var spec: TaskSpec
        var newLock: String?
    }

    static func validate(_ form: Form, kernel: Kernel) throws(FormError) -> Result {
        let name = try FormCheck.name(form.value("name"), field: "name", label: "name", max: commLength)
        guard let template = TaskTemplate(rawValue: form.value("kind")) else {
            throw FormError(field: "kind", message: "choose a kind with Left/Right")
        }
        var lock = ""
        if template.usesLock {
            lock = try FormCheck.name(form.value("lock"), field: "lock", label: "lock", max: 32)
        }
        let mib = 256
        let managedMiB = Swift.max(1, kernel.memory.managed / mib)
        let rss = try FormCheck.integer(form.value("rss MiB"), field: "rss MiB", label: "rss", in: 0...managedMiB, unit: "MiB")
        let size = try FormCheck.integer(form.value("size MiB"), field: "size MiB", label: "size", in: 1...(1 << 30), unit: "MiB")
        let rate = try FormCheck.integer(form.value("rate"), field: "rate", label: "rate", in: 1...rateMax, unit: "pages per tick")
        let adj = try FormCheck.integer(form.value("oom_score_adj"), field: "oom_score_adj", label: "oom_score_adj",
                                        in: OOMScoreAdj.min...OOMScoreAdj.max)
        let pid = try FormCheck.integer(form.value("pid"), field: "pid", label: "pid", in: 1...pidMax)
        guard kernel.task(pid: pid) == nil else { throw FormError(field: "pid", message: "pid \(pid) is already in use") }
        let rssPages = rss * mib
        guard rssPages <= kernel.memory.free else {
            throw FormError(field: "rss MiB", message: "rss \(rss) MiB does not fit in \(kernel.memory.free / mib) MiB free")
        }
        let spec = TaskSpec(pid: pid, name: name, uid: 1000, oomScoreAdj: adj, anonPages: rssPages,
                            cgroup: try cgroup(form, kernel: kernel),
                            program: template.program(lock: lock, pages: size * mib, rate: rate))
        let newLock = template.usesLock && kernel.lock(named: lock) == nil ? lock : nil
        return Result(spec: spec, newLock: newLock)
    }
}

/// The small forms: add a lock, take or release one, set oom_score_adj, save.
enum SmallForms {
    static func addLock(kernel: Kernel) -> Form {
        Form(purpose: .addLock, title: "Add a lock", fields: [
            .init(label: "name", kind: .text(maxLength: 32), value: "", hint: "a mutex, e.g. i_mutex, agi, mmap_lock"),
        ])
    }

    static func validateLock(_ form: Form, kernel: Kernel) throws(FormError) -> String {
        let name = try FormCheck.name(form.value("name"), field: "name", label: "lock name", max: 32)
        guard kernel.lock(named: name) == nil else { throw FormError(field: "name", message: "lock \(name) already exists") }
        return name
    }

    static func takeLock(task: Kernel.Task, kernel: Kernel) -> Form {
        Form(purpose: .takeLock(pid: task.pid), title: "\(task.name)[\(task.pid)] takes a lock", fields: [
            .init(label: "lock", kind: .choice(kernel.locks.map(\.name)), value: kernel.locks.first?.name ?? "",
                  hint: "Left/Right to choose"),
            .init(label: "wait", kind: .choice(LockWait.allCases.map(\.rawValue)), value: LockWait.uninterruptible.rawValue,
                  hint: "mutex_lock (D) or mutex_lock_killable"),
        ])
    }

    static func releaseLock(task: Kernel.Task) -> Form {
        Form(purpose: .releaseLock(pid: task.pid), title: "\(task.name)[\(task.pid)] releases a lock", fields: [
            .init(label: "lock", kind: .choice(task.heldLocks), value: task.heldLocks.first ?? "", hint: "Left/Right to choose"),
        ])
    }

    static func setOOMScoreAdj(task: Kernel.Task) -> Form {
        Form(purpose: .setOOMScoreAdj(pid: task.pid), title: "oom_score_adj of \(task.name)[\(task.pid)]", fields: [
            .init(label: "oom_score_adj", kind: .number, value: String(task.oomScoreAdj), hint: "-1000 (never) .. 1000"),
        ])
    }

    static func validateAdj(_ form: Form) throws(FormError) -> Int {
        try FormCheck.integer(form.value("oom_score_adj"), field: "oom_score_adj", label: "oom_score_adj",
                              in: OOMScoreAdj.min...OOMScoreAdj.max)
    }

    static func save(defaultPath: String) -> Form {
        Form(purpose: .save, title: "Save the session", fields: [
            .init(label: "file", kind: .text(maxLength: 200), value: defaultPath,
                  hint: "a .yaml path: the scenario as loaded, your actions, this tick; atomic"),
        ])
    }

    static func validateSavePath(_ form: Form) throws(FormError) -> String {
        let path = form.value("file").trimmingSpaces
        guard !path.isEmpty else { throw FormError(field: "file", message: "file name must not be empty") }
        guard path.hasSuffix(".yaml") || path.hasSuffix(".yml") else {
            throw FormError(field: "file", message: "file name must end in .yaml")
        }
        return path
    }
}
