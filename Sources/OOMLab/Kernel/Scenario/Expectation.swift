/// What a scenario says its run must show. Each check keeps the place in the
/// file it came from, so `oomlab check` can point at the one that failed.
public struct Expectation: Equatable, Sendable {
    public var checks: [ExpectCheck]
    public init(checks: [ExpectCheck]) { self.checks = checks }
}

public struct ExpectCheck: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// The run's final verdict.
        case verdict(Verdict.Kind)
        /// The verdict's tick is at most this.
        case verdictByTick(Int)
        /// The OOM killer's victims, in order (every kill of the run).
        case killed([TaskRef])
        /// How many OOM kills the run makes.
        case oomKills(Int)
        /// The first OOM kill happens at or before this tick.
        case firstKillByTick(Int)
        /// The first OOM kill happens at or after this tick.
        case firstKillAfterTick(Int)
    }
    public var kind: Kind
    public var location: SourceLocation?
    public init(_ kind: Kind, at location: SourceLocation? = nil) {
        self.kind = kind
        self.location = location
    }

    /// Equal when they check the same thing; where they were written does not
    /// count, so a scenario saved and loaded back compares equal.
    public static func == (a: ExpectCheck, b: ExpectCheck) -> Bool { a.kind == b.kind }
}

/// A task named by pid or by name in an expectation.
public enum TaskRef: Equatable, Sendable, CustomStringConvertible {
    case pid(Int)
    case name(String)
    public var description: String {
        switch self {
        case .pid(let p): return String(p)
        case .name(let n): return n
        }
    }
}

/// An expectation that holds when the scenario runs with some policy keys
/// overridden, as `--set KEY=VALUE` would.
public struct ConditionalExpectation: Equatable, Sendable {
    /// Overrides in file order.
    public var set: [(key: PolicyKey, value: String)]
    public var expect: Expectation
    public var location: SourceLocation?

    public init(set: [(key: PolicyKey, value: String)], expect: Expectation, location: SourceLocation? = nil) {
        self.set = set
        self.expect = expect
        self.location = location
    }

    /// Equal overrides and checks; the location does not count (see `ExpectCheck`).
    public static func == (a: ConditionalExpectation, b: ConditionalExpectation) -> Bool {
        a.set.map(\.key) == b.set.map(\.key) && a.set.map(\.value) == b.set.map(\.value)
            && a.expect == b.expect
    }
}
