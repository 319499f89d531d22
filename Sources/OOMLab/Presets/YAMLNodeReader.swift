import Yams
import OOMLabKernel

/// Typed access to a composed YAML tree in which every failure is a located
/// `ScenarioError`. Values are read from the scalar's text, whatever its tag
/// or quoting: `era: 2015` and `era: "2015"` mean the same.
///
/// `key` arguments are the names the user wrote ("ram", "oom_score_adj",
/// "alloc"); messages quote them so the user can find them on the line.
struct YAMLNodeReader {
    let file: String

    func location(_ node: Node) -> SourceLocation {
        let mark = node.mark
        return SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    /// An empty value, `~` or `null`, unquoted.
    func isNull(_ node: Node) -> Bool {
        guard case .scalar(let s) = node, s.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(s.string)
    }

    /// How a node reads in a message: "a mapping", "a sequence", "no value", "'text'".
    func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a sequence"
        case .alias: return "an alias"
        case .scalar(let s): return isNull(node) ? "no value" : "'\(s.string)'"
        }
    }

    // MARK: Collections

    func mapping(_ node: Node, for key: String, allowed: [String]) throws(ScenarioError) -> YAMLMap {
        guard case .mapping(let m) = node else {
            throw ScenarioError("expected a mapping for '\(key)', found \(describe(node))", at: location(node))
        }
        var entries: [YAMLMap.Entry] = []
        for (k, v) in m {
            let name = k.string ?? ""
            entries.append(YAMLMap.Entry(key: name, keyNode: k, value: v))
        }
        let map = YAMLMap(context: key, node: node, entries: entries, reader: self)
        try map.refuseUnknownKeys(allowed: allowed)
        return map
    }

    func sequence(_ node: Node, for key: String) throws(ScenarioError) -> [Node] {
        guard case .sequence(let s) = node else {
            throw ScenarioError("expected a sequence for '\(key)', found \(describe(node))", at: location(node))
        }
        return Array(s)
    }

    // MARK: Scalars

    /// The text of a scalar that has a value.
    func text(_ node: Node, for key: String) throws(ScenarioError) -> String {
        guard case .scalar(let s) = node, !isNull(node) else {
            throw ScenarioError("expected a value for '\(key)', found \(describe(node))", at: location(node))
        }
        return s.string
    }

    func int(_ node: Node, for key: String, in range: ClosedRange<Int>) throws(ScenarioError) -> Int {
        let t = try text(node, for: key)
        let digits = t.drop(while: { $0 == "-" || $0 == "+" })
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), t.count - digits.count <= 1 else {
            throw ScenarioError("expected an integer for '\(key)', found '\(t)'", at: location(node))
        }
        guard let n = Int(t), range.contains(n) else {
            throw outOfRange(key, range.lowerBound, range.upperBound, found: t, at: node)
        }
        return n
    }

    func uint64(_ node: Node, for key: String) throws(ScenarioError) -> UInt64 {
        let t = try text(node, for: key)
        guard let n = UInt64(t) else {
            throw ScenarioError("expected an integer from 0 to \(UInt64.max) for '\(key)', found '\(t)'", at: location(node))
        }
        return n
    }

    func bool(_ node: Node, for key: String) throws(ScenarioError) -> Bool {
        let t = try text(node, for: key)
        switch t.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw ScenarioError("expected true or false for '\(key)', found '\(t)'", at: location(node))
        }
    }

    /// A size in pages (see `Sizes`), within `range`.
    func pages(_ node: Node, for key: String, in range: ClosedRange<Int>) throws(ScenarioError) -> Int {
        let t = try text(node, for: key)
        let pages: Int
        do {
            pages = try Sizes.pages(t)
        } catch .malformed {
            throw ScenarioError("bad size '\(t)' for '\(key)': expected pages, or a number with KiB, MiB, GiB, TiB or PiB",
                                at: location(node))
        } catch {
            pages = Int.max
        }
        guard range.contains(pages) else {
            throw outOfRange(key, Sizes.format(pages: range.lowerBound), Sizes.format(pages: range.upperBound),
                             found: t, at: node)
        }
        return pages
    }

    /// A duration in ticks (see `Sizes`), within `range`.
    func ticks(_ node: Node, for key: String, in range: ClosedRange<Int>) throws(ScenarioError) -> Int {
        let t = try text(node, for: key)
        let ticks: Int
        do {
            ticks = try Sizes.ticks(t)
        } catch .malformed {
            throw ScenarioError("bad duration '\(t)' for '\(key)': expected ticks, or a number with ms, s, min or h",
                                at: location(node))
        } catch {
            ticks = Int.max
        }
        guard range.contains(ticks) else {
            throw outOfRange(key, range.lowerBound, range.upperBound, found: t, at: node)
        }
        return ticks
    }

    /// One of a fixed set of words, with "did you mean" for near misses.
    func choice<E: RawRepresentable & CaseIterable>(_ node: Node, for key: String, as: E.Type) throws(ScenarioError) -> E
    where E.RawValue == String {
        let t = try text(node, for: key)
        if let value = E(rawValue: t) { return value }
        let names = E.allCases.map(\.rawValue)
        throw badValue(t, for: key, expected: names, at: node)
    }

    /// A lock name, which the scenario must declare under `locks`.
    func lock(_ node: Node, for key: String, declared locks: [String]) throws(ScenarioError) -> String {
        let name = try text(node, for: key)
        guard locks.contains(name) else {
            let hint = locks.isEmpty ? " (the scenario declares no locks; list them under 'locks')" : ""
            throw ScenarioError("undeclared lock '\(name)'\(hint)", at: location(node),
                                suggestion: DidYouMean.suggestion(for: name, in: locks))
        }
        return name
    }

    func badValue(_ text: String, for key: String, expected: [String], at node: Node) -> ScenarioError {
        ScenarioError("bad value '\(text)' for '\(key)': expected \(YAMLNodeReader.list(expected, or: true))",
                      at: location(node), suggestion: DidYouMean.suggestion(for: text, in: expected))
    }

    func outOfRange(_ key: String, _ low: some CustomStringConvertible, _ high: some CustomStringConvertible,
                    found: String, at node: Node) -> ScenarioError {
        ScenarioError("\(key) must be between \(low) and \(high), found \(found)", at: location(node))
    }

    /// "a, b or c" (or "a, b and c").
    static func list(_ words: [String], or: Bool) -> String {
        guard words.count > 1 else { return words.first ?? "" }
        return words.dropLast().joined(separator: ", ") + (or ? " or " : " and ") + words[words.count - 1]
    }
}

/// A decoded YAML mapping: its entries in file order, with their nodes for locations.
struct YAMLMap {
    struct Entry {
        var key: String
        var keyNode: Node
        var value: Node
    }

    /// The key (or path) this mapping is the value of, for messages: "machine", "task".
    let context: String
    let node: Node
    let entries: [Entry]
    let reader: YAMLNodeReader

    subscript(key: String) -> Node? {
        entries.first(where: { $0.key == key })?.value
    }

    /// The name the user wrote for an entry: the key itself, or for an
    /// operation's main argument given as the keyword's value, the keyword.
    func label(_ key: String) -> String {
        entries.first(where: { $0.key == key })?.keyNode.string ?? key
    }

    /// The value of a key that must be present.
    func required(_ key: String) throws(ScenarioError) -> Node {
        guard let value = self[key] else {
            throw ScenarioError("missing key '\(key)' in \(context)", at: reader.location(node))
        }
        return value
    }

    func refuseUnknownKeys(allowed: [String]) throws(ScenarioError) {
        for entry in entries where !allowed.contains(entry.key) {
            let at = reader.location(entry.keyNode)
            if allowed.isEmpty {
                throw ScenarioError("unknown key '\(entry.key)': \(context) takes no arguments", at: at)
            }
            if let guess = DidYouMean.suggestion(for: entry.key, in: allowed) {
                throw ScenarioError("unknown key '\(entry.key)' in \(context)", at: at, suggestion: guess)
            }
            throw ScenarioError("unknown key '\(entry.key)' in \(context); expected \(YAMLNodeReader.list(allowed, or: true))",
                                at: at)
        }
    }
}
