import OOMLabKernel

extension ScenarioWriter {
    /// A program as block sequence items at `indent`: the shorthand form when
    /// every argument but the main one has its default, a flow mapping of the
    /// arguments that differ otherwise, and `body:` blocks for nesting.
    static func program(_ ops: [Op], indent: String, _ out: inout Lines) {
        for op in ops {
            switch op {
            case .alloc(let spec):
                out.add(indent + "- " + alloc(spec))
            case let .free(pages, from):
                let size = pages.map { Sizes.format(pages: $0) } ?? "all"
                out.add(indent + "- " + (from == .anon ? "free: \(size)" : "free: {size: \(size), from: \(from.rawValue)}"))
            case let .touch(pages, rate):
                let size = Sizes.format(pages: pages)
                out.add(indent + "- " + (rate == AllocSpec.defaultRate ? "touch: \(size)" : "{touch: \(size), rate: \(rate)}"))
            case let .lock(name, wait, mode):
                let n = YAMLScalar.string(name)
                var args: [String] = []
                if wait != .uninterruptible { args.append("wait: \(wait.rawValue)") }
                if mode != .write { args.append("mode: \(mode.rawValue)") }
                out.add(indent + "- " + (args.isEmpty ? "lock: \(n)" : "{lock: \(n), " + args.joined(separator: ", ") + "}"))
            case .unlock(let name):
                out.add(indent + "- unlock: " + YAMLScalar.string(name))
            case .sleep(let ticks):
                out.add(indent + "- sleep: \(ticks)")
            case .compute(let ticks):
                out.add(indent + "- compute: \(ticks)")
            case let .transaction(reserve, body):
                out.add(indent + "- transaction: " + Sizes.format(pages: reserve))
                Self.body(body, indent: indent, &out)
            case let .repeat(count, body):
                out.add(indent + "- repeat: " + (count.map(String.init) ?? "forever"))
                Self.body(body, indent: indent, &out)
            case .exit:
                out.add(indent + "- exit")
            }
        }
    }

    private static func body(_ body: [Op], indent: String, _ out: inout Lines) {
        if body.isEmpty {
            out.add(indent + "  body: []")
        } else {
            out.add(indent + "  body:")
            program(body, indent: indent + "    ", &out)
        }
    }

    /// `alloc: 512MiB`, `write: 64MiB`, or `alloc: {size: 64KiB, order: 4, ...}`.
    private static func alloc(_ spec: AllocSpec) -> String {
        let keyword = Op.alloc(spec).keyword
        var args: [String] = []
        if spec.order != 0 { args.append("order: \(spec.order)") }
        if spec.gfp != AllocSpec.defaultGFP(for: spec.target) { args.append("gfp: " + gfp(spec.gfp)) }
        if spec.retry != .allocator { args.append("retry: " + spec.retry.rawValue) }
        if spec.target == .kernel { args.append("into: kernel") }
        if spec.target == .slabUnreclaimable { args.append("reclaimable: false") }
        if spec.ratePerTick != AllocSpec.defaultRate { args.append("rate: \(spec.ratePerTick)") }
        let size = Sizes.format(pages: spec.pages)
        if args.isEmpty { return "\(keyword): \(size)" }
        return "\(keyword): " + flowMap(["size: \(size)"] + args)
    }

    /// "GFP_NOFS|__GFP_NOFAIL"; "0" for no flags.
    static func gfp(_ flags: GFPFlags) -> String {
        flags.isEmpty ? "0" : flags.symbolicName
    }
}
