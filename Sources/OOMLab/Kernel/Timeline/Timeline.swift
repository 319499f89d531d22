/// The user's actions in a run, in the order they were taken. Each is applied
/// after its tick was reached and before the step to the next tick, so the
/// state "at tick t" includes every action stamped t. Entries are ordered by
/// tick; several at one tick keep the order they were taken in.
public struct Timeline: Equatable, Sendable {
    public struct Entry: Equatable, Sendable {
        public var tick: Int
        public var action: UserAction
        /// Where a session file wrote it, for errors found when replaying.
        public var location: SourceLocation?

        public init(tick: Int, action: UserAction, location: SourceLocation? = nil) {
            self.tick = tick
            self.action = action
            self.location = location
        }

        /// Equal when they do the same thing at the same tick; where they were
        /// written does not count, so a session saved and loaded back compares equal.
        public static func == (a: Entry, b: Entry) -> Bool { a.tick == b.tick && a.action == b.action }
    }

    public private(set) var entries: [Entry]

    /// Entries in tick order; entries given out of order are sorted by tick,
    /// keeping the given order among those of one tick (the session decoder
    /// refuses a file whose ticks go back, and says where).
    public init(_ entries: [Entry] = []) {
        self.entries = entries.enumerated()
            .sorted { ($0.element.tick, $0.offset) < ($1.element.tick, $1.offset) }
            .map(\.element)
    }

    public var isEmpty: Bool { entries.isEmpty }
    public var count: Int { entries.count }
    public var lastTick: Int? { entries.last?.tick }

    /// Index of the first entry whose tick is greater than `tick`.
    func end(through tick: Int) -> Int { entries.end(through: tick) { $0.tick } }

    /// The entries stamped `tick`, in order.
    public func entries(at tick: Int) -> ArraySlice<Entry> {
        let upper = end(through: tick)
        return entries[end(through: tick - 1)..<upper]
    }

    /// Whether anything is recorded after `tick`.
    public func hasEntries(after tick: Int) -> Bool { end(through: tick) < entries.count }

    /// Adds an action after every entry at or before its tick.
    mutating func append(_ entry: Entry) {
        entries.insert(entry, at: end(through: entry.tick))
    }

    /// Drops every entry after `tick`: the old future an action replaces.
    mutating func truncate(after tick: Int) {
        entries.removeSubrange(end(through: tick)...)
    }

    /// Entries shared at the start of both timelines.
    func commonPrefixCount(with other: Timeline) -> Int {
        zip(entries, other.entries).prefix { $0 == $1 }.count
    }
}

extension Timeline {
    /// Applies the actions stamped with `tick` to `kernel`, in their order,
    /// and returns the user events they logged. `Run` (at the frontier and on
    /// replay from a keyframe) and `Replay` (streaming a session) both apply
    /// actions through here, so a recorded action means the same in each.
    func apply(at tick: Int, to kernel: inout Kernel) throws(ScenarioError) -> [Event] {
        var events: [Event] = []
        for entry in entries(at: tick) {
            let logged = kernel.printk.pendingUser.count
            do {
                try kernel.apply(entry.action)
            } catch {
                throw Self.replayError(entry, error)
            }
            events += kernel.printk.pendingUser.dropFirst(logged)
        }
        return events
    }

    /// An action that cannot apply at its tick, located at its line in the
    /// session file.
    static func replayError(_ entry: Entry, _ error: Kernel.ActionError) -> ScenarioError {
        switch error {
        case .noSuchTask(let pid):
            return ScenarioError("\(entry.action.keyword) at tick \(entry.tick): no live task with pid \(pid) at that tick",
                                 at: entry.location)
        default:
            return ScenarioError("\(entry.action.keyword) at tick \(entry.tick): \(error)", at: entry.location)
        }
    }
}
