import ArgumentParser
import OOMLab
import OOMLabKernel

/// `oomlab snapshot [-o FILE] [--compare]`: this machine's /proc and
/// /sys/fs/cgroup as a scenario (each process in its memory cgroup, the
/// cgroups with their limits), or (--compare) the model's oom_score beside
/// the kernel's for every process, exiting 1 if any differ.
struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Read this machine's /proc and /sys/fs/cgroup into a scenario, or compare oom_score with the kernel's."
    )

    @Flag(help: "With -o: replace an existing file.")
    var force = false

    @Option(name: .shortAndLong, help: "Write the scenario to this YAML file.")
    var output: String?

    @Flag(help: "Print the model's oom_score next to /proc/PID/oom_score; exit 1 if any differ.")
    var compare = false

    func run() throws {
        let snapshot: ProcSnapshot
        do {
            snapshot = try ProcReader.read()
        } catch {
            throw CLIError.failure(error.description)
        }
        if compare {
            print(snapshot.compareText(), terminator: "")
            if snapshot.comparisons().contains(where: { !$0.agree }) { throw ExitCode.failure }
            return
        }
        let cgroups: CgroupSnapshot?
        do {
            cgroups = try CgroupReader.read(pids: snapshot.processes.map(\.pid))
        } catch {
            throw CLIError.failure(error.description)
        }
        try ScenarioOutput.emit(snapshot.scenario(cgroups: cgroups), to: output, force: force)
    }
}
