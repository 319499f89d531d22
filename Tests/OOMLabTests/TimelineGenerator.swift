@testable import OOMLab
@testable import OOMLabKernel

/// Random timelines of user actions, from a seeded generator (never the
/// system's), for the property tests: each action is tried on the kernel
/// stepped forward, and kept only if it applies, so every timeline is one a
/// user could have made.
struct TimelineGenerator {
    var rng: SplitMix64
    /// Chance of an action on a tick, in 1/1000.
    var perMille: Int
    /// The kernel where the last `record` stopped (its last tick or its panic).
    var last: Kernel?

    init(seed: UInt64, perMille: Int = 8) {
        rng = SplitMix64(seed: seed)
        self.perMille = perMille
    }

    mutating func below(_ n: Int) -> Int { rng.next(below: Swift.max(1, n)) }

    /// Steps a kernel of `scenario` forward `ticks` ticks (or to its panic),
    /// taking random actions, and keeps the kernel state at each of `targets`
    /// reached. The states are "stepping forward" for the property tests.
    mutating func record(_ scenario: Scenario, ticks: Int, targets: Set<Int>) -> (Timeline, [Int: Kernel]) {
        var k = Kernel(scenario: scenario)
        var entries: [Timeline.Entry] = []
        var states: [Int: Kernel] = [:]
        for tick in 0...ticks {
            if tick > 0 {
                guard k.panicVerdict == nil else { break }
                k.step()
            }
            if below(1000) < perMille {
                for _ in 0...below(2) {
                    let action = candidate(for: k)
                    if (try? k.apply(action)) != nil { entries.append(.init(tick: tick, action: action)) }
                }
            }
            if targets.contains(tick) { states[tick] = k }
        }
        last = k
        return (Timeline(entries), states)
    }

    /// One action that may or may not apply to `k`.
    mutating func candidate(for k: Kernel) -> UserAction {
        let live = k.tasks.filter(\.isAlive)
        let anyPid = live.isEmpty ? 1 : live[below(live.count)].pid
        switch below(9) {
        case 0:
            let key = PolicyKey.allCases[below(PolicyKey.allCases.count)]
            let values = PolicyComparison.values(for: key)
            return .setPolicy(key, values[below(values.count)])
        case 1:
            return .kill(pid: anyPid)
        case 2:
            return .setOOMScoreAdj(pid: anyPid, [-1000, -500, 0, 300, 1000][below(5)])
        case 3:
            return .addLock("user\(below(4))")
        case 4:
            return .addTask(task(pid: k.nextFreePid(from: 5000), locks: k.locks.map(\.name)))
        case 5:
            guard !k.locks.isEmpty else { return .addLock("user\(below(4))") }
            return .takeLock(pid: anyPid, lock: k.locks[below(k.locks.count)].name,
                             wait: below(2) == 0 ? .uninterruptible : .killable)
        case 7:
            return .createCgroup(Self.cgroup(below(3)))
        case 8:
            let paths = k.cgroupStatuses.filter { !$0.isRoot }.map(\.path)
            let path = paths.isEmpty ? Self.cgroup(below(3)) : paths[below(paths.count)]
            let file = CgroupLimitFile.allCases[below(CgroupLimitFile.allCases.count)]
            return .setCgroupLimit(path, file, pages: 256 * (1 + below(256)))
        default:
            guard let holder = live.filter({ !$0.heldLocks.isEmpty }).first else { return .kill(pid: anyPid) }
            return .releaseLock(pid: holder.pid, lock: holder.heldLocks[below(holder.heldLocks.count)])
        }
    }

    /// One of a few cgroup paths a user might create (/user0 ... /user2).
    static func cgroup(_ n: Int) -> CgroupPath {
        (try? CgroupPath.parse("/user\(n)", at: SourceLocation(file: "timeline", line: 1, column: 1))) ?? .root
    }

    mutating func task(pid: Int, locks: [String]) -> TaskSpec {
        let pages = 16 + below(4096)
        var program: [Op] = [.alloc(AllocSpec(pages: pages, gfp: .highuserMovable, target: .anon)), .sleep(ticks: 1 + below(300))]
        switch below(3) {
        case 0:
            program = [.repeat(count: nil, body: [
                .alloc(AllocSpec(pages: pages, gfp: .highuserMovable, target: .anon, ratePerTick: 64)),
                .compute(ticks: 1 + below(5)), .free(pages: nil, from: .anon), .sleep(ticks: 1 + below(20)),
            ])]
        case 1 where !locks.isEmpty:
            let lock = locks[below(locks.count)]
            program = [.lock(name: lock, wait: .uninterruptible),
                       .alloc(AllocSpec(pages: pages, gfp: .nofs, target: .kernel)),
                       .sleep(ticks: 1 + below(100)), .unlock(name: lock), .exit]
        default:
            break
        }
        return TaskSpec(pid: pid, name: "added\(pid)", anonPages: below(64), startTick: below(2) == 0 ? 0 : below(200),
                        program: program)
    }

    /// `items` in a seeded random order (Fisher-Yates with our generator).
    mutating func shuffled<T>(_ items: [T]) -> [T] {
        var a = items
        guard a.count > 1 else { return a }
        for i in stride(from: a.count - 1, to: 0, by: -1) {
            a.swapAt(i, below(i + 1))
        }
        return a
    }
}

/// Which stored properties of two kernels differ, for failure messages.
func kernelDifferences(_ a: Kernel, _ b: Kernel) -> [String] {
    let left = Mirror(reflecting: a).children, right = Mirror(reflecting: b).children
    return zip(left, right).compactMap { l, r in
        guard let value = l.value as? any Equatable else { return l.label ?? "?" }
        if value.isEqual(r.value) { return nil }
        if l.label == "tasks", let lt = l.value as? [Kernel.Task], let rt = r.value as? [Kernel.Task], lt.count == rt.count {
            // Name the task and its fields, so a failure says where to look.
            let fields = zip(lt, rt).filter { $0 != $1 }.prefix(2).map { a, b in
                "\(a.pid): " + zip(Mirror(reflecting: a).children, Mirror(reflecting: b).children)
                    .filter { x, y in !((x.value as? any Equatable)?.isEqual(y.value) ?? false) }
                    .map { x, y in "\(x.label ?? "?") \(x.value) vs \(y.value)" }.joined(separator: ", ")
            }
            return "tasks (" + fields.joined(separator: "; ") + ")"
        }
        return l.label ?? "?"
    }
}

extension Equatable {
    func isEqual(_ other: Any) -> Bool { (other as? Self) == self }
}
