/// One thing a user can do to a running kernel between ticks: every action
/// of Kernel+Actions.swift as a value, so that a timeline can record it, a
/// session file can hold it, and replaying it goes through the very method
/// the TUI calls live (`Kernel.apply(_:)`).
public enum UserAction: Equatable, Sendable {
    /// Flip a policy switch (`Kernel.setPolicy`), value as the user wrote it.
    case setPolicy(PolicyKey, String)
    /// Start a task (`Kernel.addTask`).
    case addTask(TaskSpec)
    /// Create a mutex (`Kernel.addLock`).
    case addLock(String)
    /// kill -9 from user space (`Kernel.kill(pid:)`).
    case kill(pid: Int)
    /// Write /proc/PID/oom_score_adj (`Kernel.setOOMScoreAdj`).
    case setOOMScoreAdj(pid: Int, Int)
    /// Make a task take a lock next (`Kernel.takeLock`).
    case takeLock(pid: Int, lock: String, wait: LockWait)
    /// Make a task release a lock it holds (`Kernel.releaseLock`).
    case releaseLock(pid: Int, lock: String)
    /// mkdir a memory cgroup (`Kernel.createCgroup`).
    case createCgroup(CgroupPath)
    /// Write a cgroup's memory.max, memory.high, memory.low, memory.min or
    /// memory.swap.max, in pages (`Kernel.setCgroupLimit`).
    case setCgroupLimit(CgroupPath, CgroupLimitFile, pages: Int)

    /// The key that names the action in a session file's `timeline:`.
    public var keyword: String {
        switch self {
        case .setPolicy: return "set"
        case .addTask: return "add_task"
        case .addLock: return "add_lock"
        case .kill: return "kill"
        case .setOOMScoreAdj: return "oom_score_adj"
        case .takeLock: return "take_lock"
        case .releaseLock: return "release_lock"
        case .createCgroup: return "create_cgroup"
        case .setCgroupLimit: return "cgroup_limit"
        }
    }

    /// Every keyword, in the order presets/README.md lists them.
    public static let keywords = ["set", "add_task", "add_lock", "kill", "oom_score_adj", "take_lock", "release_lock",
                                  "create_cgroup", "cgroup_limit"]

    /// The action with a switch's value in the one spelling files use ("on"
    /// for "ON" or "yes"), so what a run records is what a session saves.
    public var canonical: UserAction {
        if case .setPolicy(let key, let text) = self, let value = try? PolicySpec.canonical(key, text) {
            return .setPolicy(key, value)
        }
        return self
    }

    /// The task the action is about, if any.
    public var pid: Int? {
        switch self {
        case .setPolicy, .addLock, .createCgroup, .setCgroupLimit: return nil
        case .addTask(let spec): return spec.pid
        case .kill(let pid), .setOOMScoreAdj(let pid, _), .takeLock(let pid, _, _), .releaseLock(let pid, _): return pid
        }
    }
}

extension Kernel {
    /// Applies a user action now, through the same method a key press calls,
    /// so a replayed timeline and a live session change the kernel alike.
    /// On error the kernel is unchanged.
    public mutating func apply(_ action: UserAction) throws(ActionError) {
        do {
            switch action {
            case .setPolicy(let key, let value): try setPolicy(key, value)
            case .addTask(let spec): try addTask(spec)
            case .addLock(let name): try addLock(name)
            case .kill(let pid): try kill(pid: pid)
            case .setOOMScoreAdj(let pid, let adj): try setOOMScoreAdj(pid: pid, adj)
            case .takeLock(let pid, let lock, let wait): try takeLock(pid: pid, lock: lock, wait: wait)
            case .releaseLock(let pid, let lock): try releaseLock(pid: pid, lock: lock)
            case .createCgroup(let path): try createCgroup(path)
            case .setCgroupLimit(let path, let file, let pages): try setCgroupLimit(path, file, pages: pages)
            }
        } catch let error as ActionError {
            throw error
        } catch {
            throw ActionError.badValue(String(describing: error))
        }
    }
}
