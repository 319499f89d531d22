import ArgumentParser
import OOMLab

/// Writing a scenario the importers built. Until `ScenarioWriter` (the YAML
/// writer) is merged, this prints a summary of the scenario instead.
enum ScenarioOutput {
    static func emit(_ scenario: Scenario, to path: String?) throws {
        if path != nil {
            throw ReportCommandSupport.fail("writing scenario files needs the YAML writer, which is not built in yet")
        }
        print(summary(scenario), terminator: "")
    }

    static func summary(_ s: Scenario) -> String {
        var lines = ["# \(s.name): \(s.description.split(separator: "\n").first ?? "")",
                     "# era \(s.policy.era.rawValue), RAM \(s.machine.ramPages) pages, reserved \(s.machine.kernelPages), "
                        + "swap \(s.machine.swapPages), min_free_kbytes \(s.machine.minFreeKbytes.map(String.init) ?? "default")"]
        for t in s.tasks {
            lines.append("#   pid \(t.pid) \(t.name) uid \(t.uid) adj \(t.oomScoreAdj) anon \(t.anonPages) swap \(t.swapPages) "
                         + "pgtables \(t.pageTablePages.map(String.init) ?? "-")\(t.program.first?.keyword == "alloc" ? " (allocates)" : "")")
        }
        if let e = s.expect { lines.append("# expect: \(e.checks.map { "\($0.kind)" }.joined(separator: ", "))") }
        return lines.joined(separator: "\n") + "\n"
    }
}
