import ArgumentParser
import Foundation
import OOMLab
import OOMLabKernel

/// The options `run`, `compare` and `tui` share: which scenario, its policy
/// overrides, its seed and its length. One definition, so the three commands
/// take them alike and their help says the same.
struct ScenarioOptions: ParsableArguments {
    @Argument(help: "A scenario or session file, or a preset name (default: the built-in scenario).",
              completion: .custom { _, _, _ in ScenarioOptions.completions() })
    var scenario: String?

    @Option(name: .customLong("set"), help: ArgumentHelp(
        "Override a policy switch, or a cgroup's limit with cgroup:PATH:FILE=VALUE (repeatable).",
        discussion: "cgroup:/pod:memory.max=512MiB sets a limit file (memory.max, memory.high, memory.low, memory.min, "
            + "memory.swap.max) of a cgroup the scenario declares, before the run starts.", valueName: "KEY=VALUE"))
    var sets: [String] = []

    @Option(help: "Random seed (default: the scenario's own).")
    var seed: UInt64?

    @Option(help: ArgumentHelp("How long to run: ticks of 10 ms, or a duration such as 30s, 500ms, 2min (default: the scenario's own).",
                               valueName: "DURATION"))
    var ticks: TickCount?

    func validate() throws {
        try ticks?.check()
        var probe = PolicySpec()
        try ScenarioArgument.apply(sets, to: &probe)
    }

    /// The session named by SCENARIO (the built-in one without it), with
    /// --set, --seed and --ticks applied to its scenario.
    func session() throws(CLIError) -> Session {
        var session = try ScenarioArgument.loadSession(scenario)
        do { try ScenarioArgument.apply(sets, to: &session.scenario) } catch {
            throw .usage("error: \(error)")
        }
        if let seed { session.scenario.seed = seed }
        if let ticks { session.scenario.ticks = ticks.value }
        return session
    }

    /// What the shells complete SCENARIO with: preset names, then the
    /// scenario files in the current folder.
    static func completions() -> [String] {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: ".")) ?? []).sorted()
            .filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) && !$0.hasPrefix(".") }
        return PresetSearchPath.library.names() + files
    }
}

/// `--ticks`: a whole number of ticks, or a duration as scenario files write
/// it (`30s`, `500ms`, `2min`, `1h`, rounded up to whole ticks of 10 ms),
/// between 0 and `Scenario.Limits.maxTicks`. A malformed or out-of-range
/// value is a usage error worded by `check()` (swift-argument-parser's own
/// "invalid value" would not say what is accepted), never an arithmetic trap.
struct TickCount: ExpressibleByArgument, Equatable, Sendable {
    var text: String
    /// The ticks, or why the text is not a length of run.
    var parsed: Result<Int, Problem>

    enum Problem: Error, Equatable { case malformed, outOfRange }

    init(_ value: Int) { text = String(value); parsed = .success(value) }

    init?(argument: String) {
        text = argument
        do {
            let ticks = try Sizes.ticks(argument)
            parsed = (0...Scenario.Limits.maxTicks).contains(ticks) ? .success(ticks) : .failure(.outOfRange)
        } catch .malformed {
            parsed = .failure(.malformed)
        } catch {
            parsed = .failure(.outOfRange)
        }
    }

    /// The ticks; 0 for a value `check()` refuses.
    var value: Int { (try? parsed.get()) ?? 0 }

    /// The usage error for a refused value, naming the option.
    func check(_ option: String = "--ticks", minimum: Int = 0) throws(ValidationError) {
        let range = "between \(minimum) and \(Scenario.Limits.maxTicks) ticks (\(Scenario.Limits.maxTicks / 100) s)"
        switch parsed {
        case .failure(.malformed):
            throw ValidationError("\(option) takes ticks of 10 ms or a duration with ms, s, min or h (30s, 500ms), \(range); not '\(text)'")
        case .failure(.outOfRange):
            throw ValidationError("\(option) must be \(range); '\(text)' is out of range")
        case .success(let ticks) where ticks < minimum:
            throw ValidationError("\(option) must be \(range); '\(text)' is out of range")
        case .success:
            return
        }
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
