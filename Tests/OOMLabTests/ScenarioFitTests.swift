import Testing
@testable import OOMLab
@testable import OOMLabKernel

@Suite("A scenario must fit its machine at tick 0")
struct ScenarioFitTests {
    @Test("tasks bigger than ram: a located error, not a kernel with negative free memory")
    func tooBig() {
        let yaml = "machine:\n  ram: 16MiB\ntasks:\n  - pid: 1\n    name: big\n    anon: 32MiB\n"
        #expect(throws: ScenarioError("the scenario does not fit in ram: kernel, page cache, slab and the tasks' memory take 8290 pages, ram has 4096; raise ram or shrink them",
                                      at: SourceLocation(file: "f.yaml", line: 4, column: 3))) {
            try ScenarioLoader.parse(yaml: yaml, file: "f.yaml")
        }
    }

    @Test("swap entries beyond swap: a located error")
    func swapTooBig() {
        let yaml = "machine:\n  ram: 16MiB\n  swap: 4MiB\ntasks:\n  - pid: 1\n    name: big\n    swap: 8MiB\n"
        #expect(throws: ScenarioError("the tasks' swap entries (2048 pages) do not fit in swap (1024 pages)",
                                      at: SourceLocation(file: "f.yaml", line: 5, column: 3))) {
            try ScenarioLoader.parse(yaml: yaml, file: "f.yaml")
        }
    }

    /// Issue 11 point 8: this test once had only page cache in its scenario
    /// and accepted any error; page cache and slab each count, and with the
    /// tasks they count together.
    @Test("page cache and slab count too")
    func cacheCounts() throws {
        func error(_ machine: String, tasks: String = "") -> ScenarioError? {
            do {
                _ = try ScenarioLoader.parse(yaml: "machine:\n  ram: 16MiB\n" + machine + tasks, file: "f.yaml")
                return nil
            } catch { return error }
        }
        func tooBig(_ pages: Int) -> String {
            "the scenario does not fit in ram: kernel, page cache, slab and the tasks' memory take \(pages) pages, "
                + "ram has 4096; raise ram or shrink them"
        }
        // 16 MiB of either, plus the 81 pages the kernel keeps on 16 MiB.
        #expect(error("  page_cache: {clean: 10MiB, dirty: 6MiB}\n")?.message == tooBig(4096 + 81))
        #expect(error("  slab: {reclaimable: 10MiB, unreclaimable: 6MiB}\n")?.message == tooBig(4096 + 81))
        // 6 MiB of each fits; a 6 MiB task beside them does not: all three count.
        let both = "  page_cache: {clean: 6MiB}\n  slab: {reclaimable: 6MiB}\n"
        #expect(error(both) == nil)
        let task = "tasks:\n  - pid: 1\n    name: a\n    anon: 6MiB\n"
        #expect(error(both, tasks: task)?.message == tooBig(3 * 1536 + 81 + 4), "and the task's 4 page-table pages")
    }
}

@Suite("tgid and parent name tasks of the scenario")
struct TaskReferenceTests {
    @Test("an unknown tgid is a located error")
    func unknownTgid() {
        let yaml = "machine:\n  ram: 64MiB\ntasks:\n  - pid: 1\n    name: a\n  - pid: 2\n    name: b\n    tgid: 3\n"
        #expect(throws: ScenarioError("tgid 3 is not the pid of any task in the scenario",
                                      at: SourceLocation(file: "f.yaml", line: 8, column: 11))) {
            try ScenarioLoader.parse(yaml: yaml, file: "f.yaml")
        }
    }

    @Test("tgid and parent load and round-trip")
    func roundTrip() throws {
        let yaml = "machine:\n  ram: 64MiB\ntasks:\n  - pid: 1\n    name: a\n  - pid: 2\n    name: b\n    tgid: 1\n    parent: 1\n"
        let s = try ScenarioLoader.parse(yaml: yaml, file: "f.yaml")
        #expect(s.tasks[1].tgid == 1 && s.tasks[1].parent == 1)
        #expect(try ScenarioLoader.parse(yaml: ScenarioWriter.yaml(for: s), file: "f.yaml") == s)
    }
}
