import ArgumentParser
import OOMLab

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Step a scenario headless and print its trace and verdict."
    )
    @Option var ticks: Int?
    @Option(name: .customLong("set")) var sets: [String] = []
    func run() throws {
        var s = Scenario.defaultScenario
        for kv in sets {
            let parts = kv.split(separator: "=", maxSplits: 1).map(String.init)
            try s.policy.set(PolicyKey(rawValue: parts[0])!, parts[1])
        }
        var k = Kernel(scenario: s)
        for _ in 0..<(ticks ?? s.ticks) {
            for e in k.step() { print(e.dmesgLine) }
            try k.checkInvariants()
        }
        let v = k.verdict
        print("verdict: \(v.kind.rawValue) at tick \(v.tick): \(v.reason)")
    }
}
