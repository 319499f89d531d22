/// The tick loop's fast lane. Most tasks on a big machine are asleep or
/// computing on any given tick; walking their (large) `Task` values would make
/// a tick cost memory bandwidth. `schedule[i]` is a compact copy of what task
/// i needs: the tick before which there is nothing to do, and what it adds to
/// the tick's statistics meanwhile. `runTask` recomputes it after every turn;
/// anything that changes a task from outside its turn calls `touch(_:)`.
extension Kernel {
    struct ScheduleEntry: Equatable, Sendable {
        /// Nothing to do before this tick (0: run every tick).
        var until: Int
        var stat: Stat
        enum Stat: UInt8, Equatable, Sendable {
            case idle, nonIdle, blocked, memstall
        }
    }

    /// Runs task i's turn, or only counts it when it has nothing to do yet.
    mutating func runScheduled(_ i: Int) {
        let entry = schedule[i]
        if entry.until > tick {
            switch entry.stat {
            case .idle: break
            case .nonIdle: stats.nonIdle += 1
            case .blocked: stats.blocked += 1
            case .memstall:
                stats.blocked += 1
                stats.memstalled += 1
                stats.nonIdle += 1
            }
            return
        }
        runTask(i)
        schedule[i] = scheduleEntry(at: i)
    }

    /// Forces a full turn for task i on the next tick.
    mutating func touch(_ i: Int) {
        if i < schedule.count { schedule[i].until = 0 }
    }

    /// Reads task i in place (a `Task` copy would retain its arrays and strings).
    func scheduleEntry(at i: Int) -> ScheduleEntry {
        switch tasks[i].state {
        case .dead:
            return ScheduleEntry(until: .max, stat: .idle)
        case .new:
            return ScheduleEntry(until: tasks[i].startTick, stat: .idle)
        case .sleeping:
            if case .sleep(let until) = tasks[i].wait, !tasks[i].sigkill { return ScheduleEntry(until: until, stat: .idle) }
        case .blocked:
            switch tasks[i].wait {
            case .congestionWait(let until), .allocatorBackoff(let until, _), .swapIn(let until):
                return ScheduleEntry(until: until, stat: .memstall)
            case .dirtyThrottle(let until):
                return ScheduleEntry(until: until, stat: .blocked)
            case .lock, .exitMmapLock:
                // Woken by a handoff, which touches it.
                return ScheduleEntry(until: .max, stat: .blocked)
            default:
                break
            }
        case .running:
            if tasks[i].busyUntil > tick + 1 && !tasks[i].sigkill && tasks[i].allocation == nil {
                return ScheduleEntry(until: tasks[i].busyUntil, stat: .nonIdle)
            }
        case .exiting:
            break
        }
        return ScheduleEntry(until: 0, stat: .idle)
    }

    mutating func rebuildSchedule() {
        schedule = tasks.map { _ in ScheduleEntry(until: 0, stat: .idle) }
    }
}
