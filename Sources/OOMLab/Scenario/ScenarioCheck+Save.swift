import OOMLabKernel

/// What `run --save-as` keeps of a scenario's expectations. The options
/// that shape a run (`--ticks`, `--set`) are written into the saved file, but
/// its `expect:` and `expect_with:` blocks were written for the file as it
/// was: a preset's kill by tick 300 does not hold with `--ticks 0`, nor its
/// stall with `--set oom_reaper=on`. A saved file whose own checks fail would
/// make `oomlab check` fail, so the checks that no longer hold are left out
/// and the caller says which; the ones that still hold stay.
extension ScenarioCheck {
    public struct SaveFilter: Sendable {
        /// The session to write.
        public var session: Session
        /// The checks left out, with what happened instead.
        public var dropped: [Result]
    }

    public static func keepingHoldingChecks(_ session: Session) -> SaveFilter {
        let scenario = session.scenario
        guard scenario.expect != nil || !scenario.expectWith.isEmpty,
              let results = try? run(session) else { return SaveFilter(session: session, dropped: []) }
        // Results come in file order: `expect`'s checks, then each
        // `expect_with` entry's.
        var next = results.makeIterator()
        func holding(_ expect: Expectation) -> Expectation {
            Expectation(checks: expect.checks.filter { _ in next.next()?.passed ?? true })
        }
        var kept = session
        if let expect = scenario.expect {
            let e = holding(expect)
            kept.scenario.expect = e.checks.isEmpty && !expect.checks.isEmpty ? nil : e
        }
        kept.scenario.expectWith = scenario.expectWith.compactMap { conditional in
            var c = conditional
            c.expect = holding(conditional.expect)
            return c.expect.checks.isEmpty ? nil : c
        }
        return SaveFilter(session: kept, dropped: results.filter { !$0.passed })
    }
}
