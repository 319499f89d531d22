import Foundation
import Testing
@testable import OOMLab
@testable import OOMLabKernel

@Suite("ScenarioLoader: decoding scenario files")
struct ScenarioLoaderTests {
    let folder: TemporaryFolder
    init() throws { folder = try TemporaryFolder() }

    /// The complete example in presets/README.md, so the documentation cannot drift from the loader.
    static func readmeExample() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("presets/README.md"), encoding: .utf8)
        let section = try #require(readme.range(of: "## A complete example"))
        let rest = readme[section.upperBound...]
        let open = try #require(rest.range(of: "```yaml\n"))
        let close = try #require(rest[open.upperBound...].range(of: "```"))
        return String(rest[open.upperBound..<close.lowerBound])
    }

    static let expectedExample: Scenario = {
        var machine = MachineConfig(ramPages: 131_072, kernelPages: 2048, writebackPagesPerTick: 64,
                                    kswapdPagesPerTick: 512, fileCleanPages: 16384, fileDirtyPages: 4096,
                                    slabReclaimablePages: 4096, slabUnreclaimablePages: 2048)
        machine.swapPages = 0
        let policy = PolicySpec(era: .v2015, explicit: [
            .oomReaper: "off", .oomInvocation: "direct", .reservations: "off", .victimTimeoutMs: "0",
            .panicOnOOM: "0", .oomKillAllocatingTask: "off", .hungTaskTimeoutSecs: "120",
        ])
        let writer = TaskSpec(pid: 100, name: "xfs-writer", uid: 0, anonPages: 1024, program: [
            .lock(name: "agf", wait: .uninterruptible),
            .transaction(reserve: 16, body: [
                .alloc(AllocSpec(pages: 16, order: 4, gfp: .nofs, target: .kernel, retry: .kmemAlloc, ratePerTick: 16)),
                .alloc(AllocSpec(pages: 2048, gfp: .highuserMovable, target: .fileDirty, ratePerTick: 16)),
            ]),
            .unlock(name: "agf"),
            .free(pages: nil, from: .kernel),
            .exit,
        ])
        let db = TaskSpec(pid: 200, name: "db", anonPages: 76800, pageTablePages: 150, mmapLock: "mmlock",
                          startTick: 10, program: [
            .lock(name: "agf", wait: .uninterruptible),
            .alloc(AllocSpec(pages: 4096, gfp: .highuserMovable, target: .fileClean)),
            .unlock(name: "agf"),
        ])
        let hog = TaskSpec(pid: 300, name: "hog", oomScoreAdj: 500, program: [
            .repeat(count: nil, body: [
                .alloc(AllocSpec(pages: 256, gfp: .highuserMovable, target: .anon)),
                .compute(ticks: 1),
                .sleep(ticks: 5),
            ]),
        ])
        let workers = (400...402).map { pid in
            TaskSpec(pid: pid, name: "worker", anonPages: 256, program: [
                .repeat(count: 2, body: [
                    .alloc(AllocSpec(pages: 256, gfp: .kernel, target: .slabUnreclaimable)),
                    .free(pages: 128, from: .anon),
                ]),
            ])
        }
        return Scenario(
            name: "example-stall",
            description: "A lock holder loops in kmem_alloc while the OOM victim waits on its lock.",
            seed: 1, ticks: 3000, machine: machine, policy: policy, locks: ["agf", "mmlock"],
            tasks: [writer, db, hog] + workers,
            expect: Expectation(checks: [
                ExpectCheck(.verdict(.stall)), ExpectCheck(.verdictByTick(2000)), ExpectCheck(.killed([.name("db")])),
                ExpectCheck(.oomKills(1)), ExpectCheck(.firstKillByTick(2000)), ExpectCheck(.firstKillAfterTick(10)),
            ]),
            expectWith: [
                ConditionalExpectation(set: [(key: .oomReaper, value: "on")], expect: Expectation(checks: [
                    ExpectCheck(.verdict(.recovered)), ExpectCheck(.killed([.name("db"), .pid(300)])),
                ])),
            ],
            cues: [Cue(tick: 100, text: "The hog starts faulting.")])
    }()

    @Test("the README's complete example decodes to the expected scenario")
    func readmeExampleDecodes() throws {
        let scenario = try ScenarioLoader.parse(yaml: Self.readmeExample(), file: "presets/README.md")
        #expect(scenario == Self.expectedExample)
    }

    @Test("expectations keep the place they were written")
    func expectationLocations() throws {
        let scenario = try ScenarioLoader.parse(yaml: Self.readmeExample(), file: "x.yaml")
        let checks = try #require(scenario.expect?.checks)
        #expect(checks.map { $0.location?.description } == [
            "x.yaml:74:3", "x.yaml:75:3", "x.yaml:76:3", "x.yaml:77:3", "x.yaml:78:3", "x.yaml:79:3",
        ])
        #expect(scenario.expectWith.first?.location?.description == "x.yaml:81:5")
    }

    @Test("a minimal file takes every default; the name comes from the file")
    func defaults() throws {
        let scenario = try ScenarioLoader.parse(yaml: "machine: {ram: 1GiB}\n", file: "presets/tiny.yaml")
        #expect(scenario == Scenario(name: "tiny", machine: MachineConfig(ramPages: 262_144), tasks: []))
        #expect(scenario.machine.kernelPages == 5242)
        #expect(scenario.policy.resolved == Policy.defaults(for: .v2015))
    }

    @Test("era sets the defaults and explicit keys override it, whatever the order")
    func policyOrder() throws {
        let yaml = "machine: {ram: 64MiB}\npolicy: {oom_reaper: off, era: modern}\n"
        let policy = try ScenarioLoader.parse(yaml: yaml, file: "p.yaml").policy
        #expect(policy == PolicySpec(era: .modern, explicit: [.oomReaper: "off"]))
        #expect(policy.resolved.oomReaper == false)
        let modern = try ScenarioLoader.parse(yaml: "machine: {ram: 64MiB}\npolicy: {era: modern}\n", file: "p.yaml")
        #expect(modern.policy.resolved.oomReaper == true)
    }

    @Test("operation shorthands and their long forms mean the same")
    func shorthands() throws {
        func program(_ ops: String) throws -> [Op] {
            let yaml = "machine: {ram: 64MiB}\nlocks: [l]\ntasks:\n  - pid: 1\n    name: t\n    program:\n" + ops
            return try #require(ScenarioLoader.parse(yaml: yaml, file: "s.yaml").tasks.first).program
        }
        #expect(try program("      - alloc: 2MiB\n") == program("      - alloc: {size: 512, into: anon, gfp: GFP_HIGHUSER_MOVABLE}\n"))
        #expect(try program("      - lock: l\n") == program("      - lock: {name: l, wait: uninterruptible}\n"))
        #expect(try program("      - {lock: l, wait: killable}\n") == [.lock(name: "l", wait: .killable)])
        #expect(try program("      - lock: {name: l, mode: read}\n") == [.lock(name: "l", wait: .uninterruptible, mode: .read)])
        #expect(try program("      - {lock: l, mode: read}\n") == program("      - lock: {name: l, mode: read}\n"))
        #expect(try program("      - lock: l\n") == program("      - lock: {name: l, mode: write}\n"))
        #expect(try program("      - repeat: 3\n        body: [exit]\n") == program("      - repeat: {count: 3, body: [exit]}\n"))
        #expect(try program("      - exit\n") == program("      - exit:\n"))
        #expect(try program("      - slab: 4\n") == [.alloc(AllocSpec(pages: 4, gfp: .kernel, target: .slabReclaimable))])
        #expect(try program("      - free: all\n") == [.free(pages: nil, from: .anon)])
        #expect(try program("      - sleep: 1.5s\n      - compute: 15ms\n") == [.sleep(ticks: 150), .compute(ticks: 2)])
    }

    @Test("gfp masks: names joined by |, a list, or 0", arguments: [
        ("GFP_NOFS", GFPFlags.nofs),
        ("GFP_NOFS|__GFP_NOFAIL", GFPFlags.nofs.union(.nofail)),
        ("gfp_nofs | __gfp_nofail", GFPFlags.nofs.union(.nofail)),
        ("[GFP_KERNEL, __GFP_NORETRY]", GFPFlags.kernel.union(.noretry)),
        ("__GFP_WAIT|__GFP_IO", GFPFlags.directReclaim.union(.io)),
        ("0", GFPFlags()),
    ])
    func gfpMasks(text: String, flags: GFPFlags) throws {
        let yaml = "machine: {ram: 64MiB}\ntasks:\n  - {pid: 1, name: t, program: [{alloc: {size: 1, gfp: \(text)}}]}\n"
        let op = try #require(ScenarioLoader.parse(yaml: yaml, file: "g.yaml").tasks.first?.program.first)
        #expect(op == .alloc(AllocSpec(pages: 1, gfp: flags, target: .anon)))
    }

    @Test("a quoted number in killed is a task name, an unquoted one a pid")
    func killedRefs() throws {
        let yaml = "machine: {ram: 64MiB}\ntasks: [{pid: 7, name: \"12\"}, {pid: 12, name: x}]\nexpect: {killed: [\"12\", 12]}\n"
        let scenario = try ScenarioLoader.parse(yaml: yaml, file: "k.yaml")
        #expect(scenario.expect?.checks == [ExpectCheck(.killed([.name("12"), .pid(12)]))])
    }

    @Test("load(path:) reads a file; the scenario's name defaults to the file's")
    func loadFromDisk() throws {
        let path = folder.path + "/disk-test.yaml"
        try "machine:\n  ram: 2GiB\n".write(toFile: path, atomically: false, encoding: .utf8)
        let scenario = try ScenarioLoader.load(path: path)
        #expect(scenario.name == "disk-test")
        #expect(scenario.machine.ramPages == 524_288)
    }
}
