import Yams
import OOMLabKernel

/// Turns a composed YAML tree into a `Scenario`: the top level, the machine,
/// the policy, locks and cues. Tasks and programs are in
/// `ScenarioDecoder+Tasks.swift` and `ProgramDecoder.swift`, expectations in
/// `ScenarioDecoder+Expect.swift`. Each key's unit and default is documented
/// in presets/README.md; keep the two in step.
struct ScenarioDecoder {
    let reader: YAMLNodeReader

    typealias Limits = Scenario.Limits

    static let topKeys = ["name", "description", "seed", "ticks", "machine", "policy", "locks", "cgroups",
                          "tasks", "expect", "expect_with", "cues"]

    /// The scenario of a file; `session` also allows a session's `timeline`
    /// and `at` (read by `session(from:defaultName:)`).
    func scenario(from root: Node, defaultName: String, session: Bool = false) throws(ScenarioError) -> Scenario {
        guard case .mapping = root else {
            throw ScenarioError("expected a mapping of scenario keys, found \(reader.describe(root))",
                                at: reader.location(root))
        }
        let top = try reader.mapping(root, for: "the scenario", allowed: Self.topKeys + (session ? Self.sessionKeys : []))
        var scenario = Scenario(name: defaultName, machine: try machine(top.required("machine")), tasks: [])
        if let n = top["name"] { scenario.name = try reader.text(n, for: "name") }
        if let n = top["description"] { scenario.description = try reader.text(n, for: "description") }
        if let n = top["seed"] { scenario.seed = try reader.uint64(n, for: "seed") }
        if let n = top["ticks"] { scenario.ticks = try reader.ticks(n, for: "ticks", in: 0...Limits.maxTicks) }
        if let n = top["policy"] { scenario.policy = try policy(n) }
        if let n = top["locks"] { scenario.locks = try locks(n) }
        var cgroupNodes: CgroupNodes = [:]
        if let n = top["cgroups"] { (scenario.cgroups, cgroupNodes) = try cgroups(n, era: scenario.policy.era) }
        if let n = top["tasks"] {
            scenario.tasks = try tasks(n, locks: scenario.locks, cgroups: Set(scenario.cgroups.groups.map(\.path)))
        }
        let fitNode: Node
        if let n = top["tasks"] { fitNode = n } else { fitNode = try top.required("machine") }
        try checkFits(scenario, at: fitNode)
        try checkCgroupsFit(scenario, maxNodes: cgroupNodes, at: fitNode)
        if let n = top["expect"] {
            scenario.expect = try expectation(reader.mapping(n, for: "expect", allowed: Self.expectKeys),
                                              tasks: scenario.tasks)
        }
        if let n = top["expect_with"] { scenario.expectWith = try expectWith(n, tasks: scenario.tasks) }
        if let n = top["cues"] { scenario.cues = try cues(n) }
        return scenario
    }

    /// The machine must hold what the scenario puts in it at tick 0.
    func checkFits(_ s: Scenario, at node: Node) throws(ScenarioError) {
        let used = s.initialPages
        if used > s.machine.ramPages {
            throw ScenarioError("the scenario does not fit in ram: kernel, page cache, slab and the tasks' memory "
                                + "take \(used) pages, ram has \(s.machine.ramPages); raise ram or shrink them",
                                at: reader.location(node))
        }
        let swap = s.initialSwapPages
        if swap > s.machine.swapPages {
            throw ScenarioError("the tasks' swap entries (\(swap) pages) do not fit in swap (\(s.machine.swapPages) pages)",
                                at: reader.location(node))
        }
    }

    // MARK: machine

    static let machineKeys = ["ram", "swap", "kernel", "min_free_kbytes", "watermark_scale_factor",
                              "writeback_rate", "kswapd_rate", "swappiness", "page_cache", "slab"]

    func machine(_ node: Node) throws(ScenarioError) -> MachineConfig {
        let m = try reader.mapping(node, for: "machine", allowed: Self.machineKeys)
        let anyPages = 0...Limits.maxPages
        var config = MachineConfig(ramPages: try reader.pages(m.required("ram"), for: "ram", in: 1...Limits.maxPages))
        if let n = m["swap"] { config.swapPages = try reader.pages(n, for: "swap", in: anyPages) }
        if let n = m["kernel"] {
            let ram = config.ramPages
            config.kernelPages = try reader.pages(n, for: "kernel", in: anyPages)
            if config.kernelPages >= ram {
                throw ScenarioError("kernel must be smaller than ram (\(Sizes.format(pages: ram))), found "
                                    + (try reader.text(n, for: "kernel")), at: reader.location(n))
            }
        }
        if let n = m["min_free_kbytes"] {
            let text = try reader.text(n, for: "min_free_kbytes")
            if text != "auto" {
                let numeric = text.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "-" || $0 == "+") }
                guard numeric else {
                    throw ScenarioError("bad value '\(text)' for 'min_free_kbytes': expected kB or auto", at: reader.location(n))
                }
                config.minFreeKbytes = try reader.int(n, for: "min_free_kbytes", in: 0...Units.kb(pages: config.managedPages))
            }
        }
        if let n = m["watermark_scale_factor"] {
            config.watermarkScaleFactor = try reader.int(n, for: "watermark_scale_factor", in: 1...3000)
        }
        if let n = m["writeback_rate"] { config.writebackPagesPerTick = try reader.pages(n, for: "writeback_rate", in: anyPages) }
        if let n = m["swappiness"] { config.swappiness = try reader.int(n, for: "swappiness", in: 0...200) }
        if let n = m["kswapd_rate"] { config.kswapdPagesPerTick = try reader.pages(n, for: "kswapd_rate", in: anyPages) }
        if let n = m["page_cache"] {
            let pc = try reader.mapping(n, for: "page_cache", allowed: ["clean", "dirty"])
            if let c = pc["clean"] { config.fileCleanPages = try reader.pages(c, for: "clean", in: anyPages) }
            if let d = pc["dirty"] { config.fileDirtyPages = try reader.pages(d, for: "dirty", in: anyPages) }
        }
        if let n = m["slab"] {
            let slab = try reader.mapping(n, for: "slab", allowed: ["reclaimable", "unreclaimable"])
            if let r = slab["reclaimable"] { config.slabReclaimablePages = try reader.pages(r, for: "reclaimable", in: anyPages) }
            if let u = slab["unreclaimable"] {
                config.slabUnreclaimablePages = try reader.pages(u, for: "unreclaimable", in: anyPages)
            }
        }
        return config
    }

    // MARK: policy

    /// The policy block: `era` first, whatever its place in the file, so the
    /// era sets the defaults and the other keys override them.
    func policy(_ node: Node) throws(ScenarioError) -> PolicySpec {
        let m = try reader.mapping(node, for: "policy", allowed: PolicyKey.allCases.map(\.rawValue))
        var spec = PolicySpec()
        for key in PolicyKey.allCases {
            guard let value = m[key.rawValue] else { continue }
            spec = try setting(key, to: value, in: spec)
        }
        return spec
    }

    /// One policy key set from a node, with the key's accepted values and
    /// "did you mean" in the error.
    func setting(_ key: PolicyKey, to node: Node, in spec: PolicySpec) throws(ScenarioError) -> PolicySpec {
        let text = try reader.text(node, for: key.rawValue)
        var spec = spec
        do {
            try spec.set(key, text)
        } catch {
            throw ScenarioError("bad value '\(text)' for '\(key.rawValue)': expected \(key.allowedValues)",
                                at: reader.location(node),
                                suggestion: DidYouMean.suggestion(for: text, in: key.descriptor.words))
        }
        return spec
    }

    // MARK: locks and cues

    func locks(_ node: Node) throws(ScenarioError) -> [String] {
        let items = try reader.sequence(node, for: "locks")
        if items.count > Limits.maxLocks {
            throw ScenarioError("too many locks: \(items.count), at most \(Limits.maxLocks)", at: reader.location(node))
        }
        var names: [String] = []
        var seen: Set<String> = []
        for item in items {
            let name = try reader.text(item, for: "locks")
            if name.contains(where: \.isWhitespace) {
                throw ScenarioError("a lock name cannot contain spaces: '\(name)'", at: reader.location(item))
            }
            if !seen.insert(name).inserted {
                throw ScenarioError("duplicate lock '\(name)'", at: reader.location(item))
            }
            names.append(name)
        }
        return names
    }

    func cues(_ node: Node) throws(ScenarioError) -> [Cue] {
        var cues: [Cue] = []
        for item in try reader.sequence(node, for: "cues") {
            let m = try reader.mapping(item, for: "cue", allowed: ["tick", "text"])
            cues.append(Cue(tick: try reader.ticks(m.required("tick"), for: "tick", in: 0...Limits.maxTicks),
                            text: try reader.text(m.required("text"), for: "text")))
        }
        return cues
    }
}
