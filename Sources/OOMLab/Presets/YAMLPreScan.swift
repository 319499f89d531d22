// Yams offers no event-level API, so this file (and YAMLComments.swift) reads
// libyaml through the C module Yams itself is built on. It is the same parser
// Yams runs next, so lines and columns agree.
import CYaml
import OOMLabKernel

/// A first pass over a YAML text that builds nothing and refuses, with a
/// located error, anything that would make composing it with Yams dangerous
/// or slow:
///
/// - syntax errors (libyaml's own wording, at libyaml's position);
/// - nesting deeper than `maxDepth`: Yams composes recursively, one stack
///   frame per level, so a file of a million `[` would crash it;
/// - alias bombs ("billion laughs"): Yams resolves an alias to the anchored
///   node itself, so the tree it builds stays small, but anything that walks
///   the tree (our decoder, Yams' hashing of mapping keys) walks every
///   repetition. The scan computes the size of the tree with every alias
///   expanded and refuses it past `maxExpandedNodes`;
/// - mapping keys that are not plain scalars (Yams hashes keys, which for an
///   aliased collection is again a walk of its expansion), and duplicate keys,
///   reported at the second one;
/// - undefined aliases and a second document in the stream.
///
/// The cost is linear in the text, and the text is bounded by `maxBytes`.
enum YAMLPreScan {
    static let maxBytes = 4 << 20
    static let maxDepth = 64
    static let maxExpandedNodes = 1_000_000

    static func check(_ yaml: String, file: String) throws(ScenarioError) {
        var text = yaml
        let failure: ScenarioError? = text.withUTF8 { bytes in
            var scan = Scan(file: file, bytes: bytes)
            do throws(ScenarioError) {
                try scan.run()
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }
}

/// One open collection while scanning.
private struct Frame {
    var isMapping: Bool
    var anchor: String?
    /// Nodes in the expansion of this collection so far, itself included.
    var size = 1
    /// In a mapping: whether the next node is a key.
    var expectingKey = true
    var keys: Set<String> = []
}

private struct Scan {
    let file: String
    let bytes: UnsafeBufferPointer<UInt8>
    var stack: [Frame] = []
    var anchorSizes: [String: Int] = [:]
    var documents = 0

    init(file: String, bytes: UnsafeBufferPointer<UInt8>) {
        self.file = file
        self.bytes = bytes
    }

    mutating func run() throws(ScenarioError) {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw ScenarioError("out of memory while reading the file", at: SourceLocation(file: file, line: 1, column: 1))
        }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else { throw syntaxError(parser) }
            defer { yaml_event_delete(&event) }
            if event.type == YAML_STREAM_END_EVENT { return }
            try visit(event)
        }
    }

    private mutating func visit(_ event: yaml_event_t) throws(ScenarioError) {
        let at = location(event.start_mark)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
                throw ScenarioError("a scenario file holds one YAML document; found a second", at: at)
            }
        case YAML_SCALAR_EVENT:
            let value = string(event.data.scalar.value, length: event.data.scalar.length)
            try key(scalar: value, at: at)
            if let anchor = cString(event.data.scalar.anchor) { anchorSizes[anchor] = 1 }
            try add(1, at: at)
        case YAML_ALIAS_EVENT:
            let name = cString(event.data.alias.anchor) ?? ""
            try key(complex: "an alias", at: at)
            guard let size = anchorSizes[name] else {
                throw ScenarioError("undefined alias '\(name)'", at: at)
            }
            try add(size, at: at)
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            let isMapping = event.type == YAML_MAPPING_START_EVENT
            try key(complex: isMapping ? "a mapping" : "a sequence", at: at)
            if stack.count >= YAMLPreScan.maxDepth {
                throw ScenarioError("nesting is deeper than \(YAMLPreScan.maxDepth) levels", at: at)
            }
            let anchor = isMapping ? cString(event.data.mapping_start.anchor) : cString(event.data.sequence_start.anchor)
            stack.append(Frame(isMapping: isMapping, anchor: anchor))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let done = stack.popLast() else { return }
            if let anchor = done.anchor { anchorSizes[anchor] = done.size }
            try add(done.size, at: at)
        default:
            break
        }
    }

    /// A scalar in key position must not repeat a key of the same mapping.
    private mutating func key(scalar: String, at: SourceLocation) throws(ScenarioError) {
        guard let top = stack.indices.last, stack[top].isMapping else { return }
        if stack[top].expectingKey {
            if !stack[top].keys.insert(scalar).inserted {
                throw ScenarioError("duplicate key '\(scalar)'", at: at)
            }
        }
        stack[top].expectingKey.toggle()
    }

    /// An alias or collection must not stand in key position.
    private mutating func key(complex what: String, at: SourceLocation) throws(ScenarioError) {
        guard let top = stack.indices.last, stack[top].isMapping else { return }
        if stack[top].expectingKey {
            throw ScenarioError("a mapping key must be a plain name, not \(what)", at: at)
        }
        stack[top].expectingKey = true
    }

    /// Counts `n` expanded nodes into the innermost open collection.
    private mutating func add(_ n: Int, at: SourceLocation) throws(ScenarioError) {
        guard let top = stack.indices.last else {
            if n > YAMLPreScan.maxExpandedNodes { throw tooBig(at) }
            return
        }
        stack[top].size += n
        if stack[top].size > YAMLPreScan.maxExpandedNodes { throw tooBig(at) }
    }

    private func tooBig(_ at: SourceLocation) -> ScenarioError {
        ScenarioError("the document expands to more than \(YAMLPreScan.maxExpandedNodes) nodes"
                      + " (aliases count once per use)", at: at)
    }

    private func location(_ mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    /// libyaml's error, in its words: "invalid YAML: PROBLEM (CONTEXT at L:C)".
    private func syntaxError(_ parser: yaml_parser_t) -> ScenarioError {
        let problem = cString(parser.problem) ?? "unreadable input"
        if problem.hasPrefix("Maximum nesting level") {
            // libyaml's own limit (1000), met first when its scanner reads ahead through a flow collection.
            return ScenarioError("nesting is deeper than \(YAMLPreScan.maxDepth) levels", at: location(parser.problem_mark))
        }
        var message = "invalid YAML: " + problem
        if let context = cString(parser.context) {
            message += " (\(context) at \(parser.context_mark.line + 1):\(parser.context_mark.column + 1))"
        }
        if parser.error == YAML_READER_ERROR {
            return ScenarioError(message, at: location(byteOffset: parser.problem_offset))
        }
        return ScenarioError(message, at: location(parser.problem_mark))
    }

    /// Line and column (in Unicode scalars, as libyaml counts) of a byte offset.
    private func location(byteOffset: Int) -> SourceLocation {
        var line = 1, column = 1
        for (i, byte) in bytes.enumerated() where i < min(byteOffset, bytes.count) {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return SourceLocation(file: file, line: line, column: column)
    }

    private func string(_ pointer: UnsafeMutablePointer<UInt8>?, length: Int) -> String {
        guard let pointer else { return "" }
        return String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
    }

    private func cString(_ pointer: UnsafePointer<UInt8>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private func cString(_ pointer: UnsafeMutablePointer<UInt8>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private func cString(_ pointer: UnsafePointer<CChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}
