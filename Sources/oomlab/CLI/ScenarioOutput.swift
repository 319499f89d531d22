import ArgumentParser
import Foundation
import OOMLab
import OOMLabKernel

/// Where `import-report` and `snapshot` put the scenario they build: YAML on
/// standard output, or an atomic save to `-o FILE` (which never replaces an
/// existing file unless --force).
enum ScenarioOutput {
    static func emit(_ scenario: Scenario, to path: String?, force: Bool = false) throws {
        guard let path else {
            print(ScenarioWriter.yaml(for: scenario), terminator: "")
            return
        }
        do {
            try ScenarioWriter.save(scenario, to: path, overwrite: force, discardComments: force)
        } catch {
            throw CLIError.failure(error.description + (FileManager.default.fileExists(atPath: path) && !force ? " (use --force to replace it)" : ""))
        }
        CLI.stderr("oomlab: wrote \(path) (\(scenario.tasks.count) tasks); try: oomlab check \(path)\n")
    }
}
