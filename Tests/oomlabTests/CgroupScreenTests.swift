import Testing
@testable import OOMLab
@testable import OOMLabKernel
@testable import OOMLabTUI

/// The Cgroups panel, the task table's CGROUP column, and the forms that
/// touch cgroups (`a`'s cgroup field, `G`), against golden screens and
/// through the reducer.
@Suite("Cgroups on screen: the panel, the CGROUP column, the forms")
struct CgroupScreenTests {
    /// A 512 MiB machine: two pods and a slice whose tasks sleep (so their
    /// charges stay), a hog in the root.
    static let yaml = """
        name: cgroup-screen
        machine: {ram: 512MiB}
        policy: {era: modern}
        cgroups:
          /kubepods: {memory.max: 400MiB}
          /kubepods/pod-a: {memory.max: 256MiB, memory.high: 200MiB, memory.low: 64MiB}
          /kubepods/pod-b: {memory.max: 128MiB}
          /user.slice: {}
        tasks:
          - {pid: 1, name: init, anon: 1MiB, program: [{repeat: forever, body: [{sleep: 100}]}]}
          - {pid: 100, name: app, anon: 180MiB, cgroup: /kubepods/pod-a, program: [{repeat: forever, body: [{sleep: 100}]}]}
          - {pid: 101, name: sidecar, anon: 16MiB, cgroup: /kubepods/pod-a, program: [{repeat: forever, body: [{sleep: 100}]}]}
          - {pid: 200, name: batch, anon: 60MiB, cgroup: /kubepods/pod-b, program: [{repeat: forever, body: [{sleep: 100}]}]}
          - {pid: 300, name: shell, anon: 8MiB, cgroup: /user.slice, program: [{repeat: forever, body: [{sleep: 100}]}]}
          - pid: 400
            name: hog
            oom_score_adj: -1000
            program:
              - alloc: {size: 400MiB, rate: 256}
              - repeat: forever
                body: [{sleep: 100}]

        """

    static func scenario() throws -> Scenario { try ScenarioLoader.parse(yaml: yaml, file: "cgroup-screen.yaml") }

    @Test("the panel and the CGROUP column", arguments: [(80, 24), (200, 60)])
    func golden(size: (Int, Int)) throws {
        let start = Snap.state(ticks: 5, scenario: try Self.scenario())
        Golden.check(MainView.render(start, width: size.0, height: size.1).text, "cgroups-start-\(size.0)x\(size.1)")
    }

    @Test("the panel shows usage against each limit; the task table each task's cgroup")
    func panel() throws {
        let state = Snap.state(ticks: 5, scenario: try Self.scenario())
        let lines = MainView.render(state, width: 200, height: 60).text.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.contains("pod-a") && $0.contains("/256M") && $0.contains("H") && $0.contains("L") })
        #expect(lines.contains { $0.contains("pod-b") && $0.contains("60M/128M") })
        #expect(lines.contains { $0.contains("CGROUP") })
        #expect(lines.contains { $0.contains("batch") && $0.contains("pod-b") })
    }

    @Test("a scenario without cgroups keeps the locks panel and no CGROUP column")
    func withoutCgroups() {
        let text = MainView.render(Snap.state(ticks: 0), width: 80, height: 24).text
        #expect(!text.contains("Cgroups") && !text.contains("CGROUP"))
    }

    @Test("the add-task form has a cgroup field; the task lands in it")
    func addTask() throws {
        var state = Snap.state(ticks: 5, scenario: try Self.scenario())
        Snap.press(&state, [.char("a")])
        guard case .form(let form) = state.overlay else { Issue.record("no form"); return }
        #expect(form.fields.map(\.label).contains("cgroup") && form.value("cgroup") == "/kubepods")
        // Tab to the cgroup field (the one before pid), type a path.
        let index = try #require(form.fields.firstIndex { $0.label == "cgroup" })
        Snap.press(&state, Array(repeating: .tab, count: index))
        Snap.press(&state, Array(repeating: .backspace, count: 20) + Snap.type("/kubepods/pod-b") + [.enter])
        let added = try #require(state.kernel.tasks.last)
        #expect(state.kernel.cgroupPath(of: added).description == "/kubepods/pod-b")
    }

    @Test("the add-task form refuses a cgroup the scenario does not have")
    func addTaskUnknown() throws {
        var state = Snap.state(ticks: 5, scenario: try Self.scenario())
        Snap.press(&state, [.char("a")])
        guard case .form(let form) = state.overlay else { Issue.record("no form"); return }
        let index = try #require(form.fields.firstIndex { $0.label == "cgroup" })
        Snap.press(&state, Array(repeating: .tab, count: index))
        Snap.press(&state, Array(repeating: .backspace, count: 20) + Snap.type("/nope") + [.enter])
        guard case .form(let after) = state.overlay else { Issue.record("the form closed"); return }
        #expect(after.error == "no cgroup /nope (the scenario's cgroups are listed in the Cgroups panel)" && after.fields[after.focus].label == "cgroup")
    }

    @Test("G creates a cgroup and writes a limit, each a recorded action")
    func cgroupForm() throws {
        var state = Snap.state(ticks: 5, scenario: try Self.scenario())
        // mkdir /kubepods/pod-c: the write field's last choice.
        Snap.press(&state, [.char("G")] + Array(repeating: .backspace, count: 20) + Snap.type("/kubepods/pod-c")
                   + [.tab, .left, .enter])
        #expect(state.kernel.memcg.tree.id(of: try CgroupPath.parse("/kubepods/pod-c", at: .init(file: "", line: 1, column: 1))) != nil)
        #expect(state.message?.text.hasPrefix("created cgroup /kubepods/pod-c") == true)
        // memory.max of it: the first choice, then the value.
        Snap.press(&state, [.char("G")] + Array(repeating: .backspace, count: 20) + Snap.type("/kubepods/pod-c")
                   + [.tab, .tab] + Array(repeating: .backspace, count: 5) + Snap.type("64MiB") + [.enter])
        let id = try #require(state.kernel.memcg.tree.id(of: try CgroupPath.parse("/kubepods/pod-c", at: .init(file: "", line: 1, column: 1))))
        #expect(state.kernel.memcg.tree[id].memory.limit == 16_384)
        #expect(state.run.timeline.entries.suffix(2).map(\.action.keyword) == ["create_cgroup", "cgroup_limit"])
        #expect(state.logLines.last?.text == "oomlab: cgroup /kubepods/pod-c memory.max: max -> 16384 pages")
    }
}
