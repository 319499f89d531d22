import Testing
@testable import OOMLab
@testable import OOMLabKernel

@Suite("ScenarioWriter: canonical YAML that loads back equal")
struct ScenarioWriterTests {
    func roundTrip(_ scenario: Scenario) throws -> Scenario {
        try ScenarioLoader.parse(yaml: ScenarioWriter.yaml(for: scenario), file: "rt.yaml")
    }

    @Test("the README example survives parse, write, parse")
    func readmeRoundTrip() throws {
        let scenario = try ScenarioLoader.parse(yaml: ScenarioLoaderTests.readmeExample(), file: "x.yaml")
        #expect(try roundTrip(scenario) == scenario)
    }

    @Test("canonical output: defaults left out, units exact, nesting in blocks")
    func canonicalText() throws {
        let scenario = Scenario(
            name: "small", seed: 7, ticks: 500,
            machine: MachineConfig(ramPages: 131_072, swapPages: 256, minFreeKbytes: 2048, fileDirtyPages: 100),
            policy: PolicySpec(era: .modern, explicit: [.oomReaper: "off", .victimTimeoutMs: "5000"]),
            locks: ["agf", "ilock#2"],
            tasks: [
                TaskSpec(pid: 10, name: "fs", uid: 0, program: [
                    .lock(name: "agf", wait: .killable),
                    .transaction(reserve: 16, body: [
                        .alloc(AllocSpec(pages: 16, order: 4, gfp: [.nofs, .nofail], target: .kernel, retry: .kmemAlloc)),
                        .repeat(count: nil, body: [.sleep(ticks: 2)]),
                    ]),
                    .transaction(reserve: 0, body: []),
                    .unlock(name: "agf"),
                    .free(pages: nil, from: .kernel),
                ]),
                TaskSpec(pid: 20, name: "w", anonPages: 256, program: [.alloc(AllocSpec(pages: 3, gfp: .highuserMovable, target: .anon))]),
                TaskSpec(pid: 21, name: "w", anonPages: 256, program: [.alloc(AllocSpec(pages: 3, gfp: .highuserMovable, target: .anon))]),
            ],
            expect: OOMLabKernel.Expectation(checks: [ExpectCheck(.verdict(.stall)), ExpectCheck(.killed([.name("w"), .pid(10)]))]),
            expectWith: [ConditionalExpectation(set: [(key: .era, value: "2015")], expect: OOMLabKernel.Expectation(checks: [ExpectCheck(.oomKills(0))]))],
            cues: [Cue(tick: 5, text: "Say \"hi\": now")])
        #expect(ScenarioWriter.yaml(for: scenario) == """
            name: small
            seed: 7
            ticks: 500
            machine:
              ram: 512MiB
              swap: 1MiB
              min_free_kbytes: 2048
              page_cache: {dirty: 400KiB}
            policy:
              era: modern
              oom_reaper: off
              victim_timeout_ms: 5000
            locks: [agf, "ilock#2"]
            tasks:
              - pid: 10
                name: fs
                uid: 0
                program:
                  - {lock: agf, wait: killable}
                  - transaction: 64KiB
                    body:
                      - alloc: {size: 64KiB, order: 4, gfp: GFP_NOFS|__GFP_NOFAIL, retry: kmem_alloc, into: kernel}
                      - repeat: forever
                        body:
                          - sleep: 2
                  - transaction: 0
                    body: []
                  - unlock: agf
                  - free: {size: all, from: kernel}
              - pid: 20
                name: w
                count: 2
                anon: 1MiB
                program:
                  - alloc: 12KiB
            expect:
              verdict: stall
              killed: [w, 10]
            expect_with:
              - set: {era: 2015}
                oom_kills: 0
            cues:
              - {tick: 5, text: "Say \\"hi\\": now"}

            """)
        #expect(try roundTrip(scenario) == scenario)
    }

    @Test("text that YAML would misread is quoted", arguments: [
        "plain name", "x: y", "#hash", "a #b", "- dash", "null", "~", "", " lead", "trail ", "[x]", "{x}", "a,b",
        "quote\"s", "back\\slash", "new\nline", "tab\there", "ünïcödé", "*star", "&amp", "!bang", "%pct", "@at", "`tick",
        "'single'", "yes", "123", "0x1F", "\u{2028}", "\u{7F}", "\u{1}",
    ])
    func quoting(text: String) throws {
        let scenario = Scenario(name: text.isEmpty ? "e" : text, description: text, machine: MachineConfig(ramPages: 1000),
                                tasks: [TaskSpec(pid: 1, name: text.isEmpty ? "e" : text, program: [])],
                                expect: OOMLabKernel.Expectation(checks: [ExpectCheck(.killed([.name(text.isEmpty ? "e" : text)]))]),
                                cues: [Cue(tick: 1, text: text)])
        #expect(try roundTrip(scenario) == scenario)
    }

    @Test("every gfp flag and composite round-trips by name", arguments: GFPFlags.names.map(\.name))
    func gfpNames(name: String) throws {
        let flags = try #require(GFPFlags.named(name))
        for mask in [flags, flags.union(.nofail), []] {
            let scenario = Scenario(name: "g", machine: MachineConfig(ramPages: 1000), tasks: [
                TaskSpec(pid: 1, name: "t", program: [.alloc(AllocSpec(pages: 1, gfp: mask, target: .slabUnreclaimable))]),
            ])
            #expect(try roundTrip(scenario) == scenario)
        }
    }

    @Test("random scenarios round-trip", arguments: 0..<100)
    func randomScenarios(seed: UInt64) throws {
        var generator = ScenarioGenerator(seed: seed)
        let scenario = generator.scenario()
        #expect(try roundTrip(scenario) == scenario)
    }
}

/// Valid scenarios from a seed: every field, nesting and target the format has.
struct ScenarioGenerator {
    var random: SplitMix64
    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    mutating func pick<T>(_ items: [T]) -> T { items[random.next(below: items.count)] }
    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + random.next(below: range.count) }
    mutating func maybe() -> Bool { random.next(below: 2) == 0 }

    mutating func scenario() -> Scenario {
        let ram = int(1000...(1 << 30))
        var machine = MachineConfig(ramPages: ram, swapPages: int(0...1 << 20), kernelPages: maybe() ? nil : int(0...ram - 1),
                                    minFreeKbytes: maybe() ? nil : int(0...128), watermarkScaleFactor: int(1...3000),
                                    writebackPagesPerTick: int(0...1000), kswapdPagesPerTick: int(0...1000))
        machine.fileCleanPages = pick([0, 1, 256, 12345])
        machine.slabUnreclaimablePages = pick([0, 3, 1 << 20])
        var policy = PolicySpec(era: pick(Era.allCases))
        for key in PolicyKey.allCases where key != .era && maybe() {
            let value: String
            switch key {
            case .oomInvocation: value = pick(["direct", "kswapd"])
            case .panicOnOOM: value = String(int(0...2))
            case .victimTimeoutMs, .hungTaskTimeoutSecs: value = String(int(0...100_000))
            default: value = pick(["on", "off"])
            }
            try? policy.set(key, value)
        }
        let locks = (0..<int(0...4)).map { "lock\($0)" }
        var tasks: [TaskSpec] = []
        var pid = int(1...100)
        for _ in 0..<int(0...6) {
            var task = TaskSpec(pid: pid, name: pick(["db", "hog", "xfs", "w 1"]), uid: pick([0, 1000, 33]),
                                oomScoreAdj: int(-1000...1000), kthread: maybe(), anonPages: int(0...1 << 20),
                                swapPages: pick([0, 5]), pageTablePages: maybe() ? nil : int(0...100),
                                mmapLock: locks.isEmpty || maybe() ? nil : pick(locks), startTick: int(0...500), program: [])
            task.program = program(depth: 1, locks: locks)
            let copies = pick([1, 1, 1, 3])
            for i in 0..<copies {
                var copy = task
                copy.pid = pid + i
                tasks.append(copy)
            }
            pid += copies + int(0...3)
        }
        var expect: OOMLabKernel.Expectation?
        if maybe() {
            expect = OOMLabKernel.Expectation(checks: [ExpectCheck(.verdict(pick(Verdict.Kind.allCases))), ExpectCheck(.oomKills(int(0...3)))]
                + (tasks.isEmpty ? [] : [ExpectCheck(.killed([.pid(tasks[0].pid), .name(tasks[0].name)]))]))
        }
        let expectWith = maybe() ? [] : [ConditionalExpectation(set: [(key: .oomReaper, value: "on"), (key: .era, value: "modern")],
                                                               expect: OOMLabKernel.Expectation(checks: [ExpectCheck(.firstKillByTick(int(0...9)))]))]
        return Scenario(name: "random", description: maybe() ? "" : "seeded", seed: random.next(), ticks: int(1...100_000),
                        machine: machine, policy: policy, locks: locks, tasks: tasks, expect: expect, expectWith: expectWith,
                        cues: maybe() ? [] : [Cue(tick: int(0...99), text: "cue")])
    }

    mutating func program(depth: Int, locks: [String]) -> [Op] {
        var ops: [Op] = []
        for _ in 0..<int(depth == 1 ? 0...6 : 1...3) {
            switch int(0...9) {
            case 0, 1:
                let target = pick(AllocTarget.allCases)
                ops.append(.alloc(AllocSpec(pages: int(1...1 << 20), order: pick([0, 0, 3, 4, 10]),
                                            gfp: maybe() ? AllocSpec.defaultGFP(for: target) : pick([.nofs, [.nofs, .nofail], .atomic, [], .noio]),
                                            target: target, retry: pick(RetryStyle.allCases),
                                            ratePerTick: maybe() ? AllocSpec.defaultRate : int(1...4096))))
            case 2: ops.append(.free(pages: maybe() ? nil : int(1...999), from: pick(FreeSource.allCases)))
            case 3 where !locks.isEmpty: ops.append(.lock(name: pick(locks), wait: pick(LockWait.allCases), mode: pick(LockMode.allCases)))
            case 4 where !locks.isEmpty: ops.append(.unlock(name: pick(locks)))
            case 5: ops.append(maybe() ? .sleep(ticks: int(0...1000)) : .compute(ticks: int(0...1000)))
            case 6 where depth < 5: ops.append(.transaction(reserve: int(0...64), body: program(depth: depth + 1, locks: locks)))
            case 7 where depth < 5: ops.append(.repeat(count: maybe() ? nil : int(1...99), body: program(depth: depth + 1, locks: locks)))
            default: ops.append(.exit)
            }
        }
        return ops
    }
}
