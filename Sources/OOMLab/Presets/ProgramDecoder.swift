import Yams
import OOMLabKernel

/// Decodes a task's program: a sequence of operations.
///
/// An operation is its keyword alone (`- exit`) or a mapping holding its
/// keyword. The keyword's value is either a mapping of arguments
/// (`alloc: {size: 64KiB, gfp: GFP_NOFS}`) or the operation's main argument
/// (`alloc: 512MiB`, `lock: agf`, `repeat: 10`), in which case further
/// arguments may stand beside the keyword (`{lock: agf, wait: killable}`,
/// or `repeat: 10` with `body:` on the next line).
struct ProgramDecoder {
    let reader: YAMLNodeReader
    let locks: [String]
    /// Operations decoded so far in this task's program, nested ones included.
    private(set) var opCount = 0

    typealias Limits = Scenario.Limits

    init(reader: YAMLNodeReader, locks: [String]) {
        self.reader = reader
        self.locks = locks
    }

    /// The main argument of each keyword, when written as the keyword's value.
    static let mainArgument: [String: String] = [
        "alloc": "size", "write": "size", "read": "size", "slab": "size", "free": "size", "touch": "size",
        "lock": "name", "unlock": "name", "sleep": "time", "compute": "time",
        "transaction": "reserve", "repeat": "count",
    ]

    /// The arguments each keyword accepts.
    static let arguments: [String: [String]] = [
        "alloc": ["size", "order", "gfp", "retry", "into", "rate"],
        "write": ["size", "order", "gfp", "retry", "rate"],
        "read": ["size", "order", "gfp", "retry", "rate"],
        "slab": ["size", "reclaimable", "order", "gfp", "retry", "rate"],
        "free": ["size", "from"],
        "touch": ["size", "rate"],
        "lock": ["name", "wait", "mode"], "unlock": ["name"],
        "sleep": ["time"], "compute": ["time"],
        "transaction": ["reserve", "body"], "repeat": ["count", "body"],
        "exit": [],
    ]

    /// A program, or a `body`, `depth` levels deep (a task's program is depth 1).
    mutating func program(_ node: Node, for key: String, depth: Int) throws(ScenarioError) -> [Op] {
        let items = try reader.sequence(node, for: key)
        if depth > Limits.maxProgramDepth {
            throw ScenarioError("programs nest deeper than \(Limits.maxProgramDepth) levels", at: reader.location(node))
        }
        var ops: [Op] = []
        for item in items { ops.append(try op(item, depth: depth)) }
        return ops
    }

    private mutating func op(_ node: Node, depth: Int) throws(ScenarioError) -> Op {
        opCount += 1
        if opCount > Limits.maxProgramOps {
            throw ScenarioError("a program has more than \(Limits.maxProgramOps) operations", at: reader.location(node))
        }
        let (keyword, args) = try split(node)
        var seen: Set<String> = []
        for arg in args where !seen.insert(arg.key).inserted {
            throw ScenarioError("duplicate key '\(arg.key)' in \(keyword)", at: reader.location(arg.keyNode))
        }
        let a = YAMLMap(context: keyword, node: node, entries: args, reader: reader)
        try a.refuseUnknownKeys(allowed: Self.arguments[keyword] ?? [])
        return try decode(keyword, a, depth: depth)
    }

    /// The keyword of an operation and its arguments as key-value entries.
    private func split(_ node: Node) throws(ScenarioError) -> (String, [YAMLMap.Entry]) {
        if case .scalar = node {
            let word = try reader.text(node, for: "operation")
            guard Self.arguments[word] != nil else { throw unknownOperation(word, at: node) }
            guard word == "exit" else {
                throw ScenarioError("operation '\(word)' needs a value, as in '\(word): ...'", at: reader.location(node))
            }
            return (word, [])
        }
        guard case .mapping(let m) = node else {
            throw ScenarioError("expected an operation, found \(reader.describe(node))", at: reader.location(node))
        }
        let entries = m.map { YAMLMap.Entry(key: $0.key.string ?? "", keyNode: $0.key, value: $0.value) }
        let keywords = entries.filter { Self.arguments[$0.key] != nil }
        guard let first = keywords.first else {
            let key = entries.first
            throw unknownOperation(key?.key ?? "", at: key?.keyNode ?? node)
        }
        if keywords.count > 1 {
            throw ScenarioError("an operation has one keyword; found '\(first.key)' and '\(keywords[1].key)'",
                                at: reader.location(keywords[1].keyNode))
        }
        let siblings = entries.filter { $0.key != first.key }
        if case .mapping(let inner) = first.value {
            let innerEntries = inner.map { YAMLMap.Entry(key: $0.key.string ?? "", keyNode: $0.key, value: $0.value) }
            if let extra = siblings.first {
                throw ScenarioError("'\(extra.key)' belongs inside the mapping of '\(first.key)'",
                                    at: reader.location(extra.keyNode))
            }
            return (first.key, innerEntries)
        }
        if reader.isNull(first.value) {
            guard first.key == "exit" else {
                throw ScenarioError("operation '\(first.key)' needs a value", at: reader.location(first.value))
            }
            return (first.key, siblings)
        }
        guard let main = Self.mainArgument[first.key] else {
            throw ScenarioError("operation '\(first.key)' takes no value", at: reader.location(first.value))
        }
        return (first.key, [YAMLMap.Entry(key: main, keyNode: first.keyNode, value: first.value)] + siblings)
    }

    private func unknownOperation(_ word: String, at node: Node) -> ScenarioError {
        ScenarioError("unknown operation '\(word)'", at: reader.location(node),
                      suggestion: DidYouMean.suggestion(for: word, in: Op.keywords))
    }

    private mutating func decode(_ keyword: String, _ a: YAMLMap, depth: Int) throws(ScenarioError) -> Op {
        let pages = 1...Limits.maxPages
        switch keyword {
        case "alloc", "write", "read", "slab":
            return .alloc(try alloc(keyword, a))
        case "free":
            let size = try a.required("size")
            var count: Int?
            if try reader.text(size, for: a.label("size")) != "all" {
                count = try reader.pages(size, for: a.label("size"), in: pages)
            }
            var from = FreeSource.anon
            if let n = a["from"] { from = try reader.choice(n, for: "from", as: FreeSource.self) }
            return .free(pages: count, from: from)
        case "touch":
            let size = try reader.pages(a.required("size"), for: a.label("size"), in: pages)
            var rate = AllocSpec.defaultRate
            if let n = a["rate"] { rate = try reader.pages(n, for: "rate", in: pages) }
            return .touch(pages: size, ratePerTick: rate)
        case "lock":
            var wait = LockWait.uninterruptible
            if let n = a["wait"] { wait = try reader.choice(n, for: "wait", as: LockWait.self) }
            var mode = LockMode.write
            if let n = a["mode"] { mode = try reader.choice(n, for: "mode", as: LockMode.self) }
            return .lock(name: try lockName(a), wait: wait, mode: mode)
        case "unlock":
            return .unlock(name: try lockName(a))
        case "sleep":
            return .sleep(ticks: try reader.ticks(a.required("time"), for: a.label("time"), in: 0...Limits.maxTicks))
        case "compute":
            return .compute(ticks: try reader.ticks(a.required("time"), for: a.label("time"), in: 0...Limits.maxTicks))
        case "transaction":
            let reserve = try reader.pages(a.required("reserve"), for: a.label("reserve"), in: 0...Limits.maxPages)
            return .transaction(reserve: reserve, body: try program(a.required("body"), for: "body", depth: depth + 1))
        case "repeat":
            let countNode = try a.required("count")
            var count: Int?
            if try reader.text(countNode, for: a.label("count")) != "forever" {
                count = try reader.int(countNode, for: a.label("count"), in: 1...Limits.maxRepeat)
            }
            let bodyNode = try a.required("body")
            let body = try program(bodyNode, for: "body", depth: depth + 1)
            if body.isEmpty {
                throw ScenarioError("the body of a repeat must not be empty", at: reader.location(bodyNode))
            }
            return .repeat(count: count, body: body)
        default:
            return .exit
        }
    }

    private func lockName(_ a: YAMLMap) throws(ScenarioError) -> String {
        try reader.lock(a.required("name"), for: a.label("name"), declared: locks)
    }

    /// alloc, write, read and slab: an `AllocSpec` whose target the keyword
    /// (or, for alloc, `into`; for slab, `reclaimable`) decides.
    private func alloc(_ keyword: String, _ a: YAMLMap) throws(ScenarioError) -> AllocSpec {
        var target: AllocTarget
        switch keyword {
        case "write": target = .fileDirty
        case "read": target = .fileClean
        case "slab": target = .slabReclaimable
        default: target = .anon
        }
        if let n = a["into"] {
            let text = try reader.text(n, for: "into")
            guard let t = AllocTarget(rawValue: text), t == .anon || t == .kernel else {
                var error = reader.badValue(text, for: "into", expected: ["anon", "kernel"], at: n)
                if AllocTarget(rawValue: text) != nil { error.message += " (page cache and slab have write, read and slab)" }
                throw error
            }
            target = t
        }
        if let n = a["reclaimable"], try !reader.bool(n, for: "reclaimable") { target = .slabUnreclaimable }
        var spec = AllocSpec(pages: try reader.pages(a.required("size"), for: a.label("size"), in: 1...Limits.maxPages),
                             gfp: AllocSpec.defaultGFP(for: target), target: target)
        if let n = a["order"] { spec.order = try reader.int(n, for: "order", in: 0...Limits.maxOrder) }
        if let n = a["gfp"] { spec.gfp = try GFPDecoder(reader: reader).flags(n) }
        if let n = a["retry"] { spec.retry = try reader.choice(n, for: "retry", as: RetryStyle.self) }
        if let n = a["rate"] { spec.ratePerTick = try reader.pages(n, for: "rate", in: 1...Limits.maxPages) }
        return spec
    }
}
