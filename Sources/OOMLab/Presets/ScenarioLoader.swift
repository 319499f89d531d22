import Foundation
import Yams
import OOMLabKernel

/// Reads scenario files (the format is documented in presets/README.md).
///
/// Loading goes in three steps, each refusing what the next cannot take:
/// 1. the text: at most 4 MiB, valid UTF-8;
/// 2. `YAMLPreScan`: syntax, nesting depth, alias expansion, duplicate keys;
/// 3. Yams composes the node tree and `ScenarioDecoder` reads it, so every
///    semantic error points at the key or value it is about.
///
/// Every failure is a `ScenarioError`; nothing in a file can crash or hang it.
public enum ScenarioLoader {
    /// Files larger than this are refused unread.
    public static let maxFileBytes = YAMLPreScan.maxBytes

    /// Loads the file at `path`; errors name it as given.
    public static func load(path: String) throws(ScenarioError) -> Scenario {
        let text = try FileText.contents(of: path, limit: maxFileBytes)
        return try parse(yaml: text, file: path)
    }

    /// Parses scenario YAML. `file` names the source in errors, and its last
    /// path component without `.yaml` is the scenario's default name.
    public static func parse(yaml: String, file: String) throws(ScenarioError) -> Scenario {
        let root = try compose(yaml: yaml, file: file)
        let decoder = ScenarioDecoder(reader: YAMLNodeReader(file: file))
        if let key = decoder.sessionKey(in: root) {
            throw ScenarioError("'\(key.string ?? "")' makes this a session file, which this command does not open;"
                                + " oomlab run, check and compare replay sessions", at: decoder.reader.location(key))
        }
        return try decoder.scenario(from: root, defaultName: defaultName(file: file))
    }

    /// Steps 1 and 2, then Yams' node tree: the root of a non-empty file.
    static func compose(yaml: String, file: String) throws(ScenarioError) -> Node {
        let start = SourceLocation(file: file, line: 1, column: 1)
        let size = yaml.utf8.count
        if size > maxFileBytes {
            throw ScenarioError("the file is larger than 4 MiB (\(size) bytes)", at: start)
        }
        try YAMLPreScan.check(yaml, file: file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml, .basic)
        } catch let error as YamlError {
            throw located(error, file: file)
        } catch {
            throw ScenarioError("cannot read YAML: \(error)", at: start)
        }
        guard let root else {
            throw ScenarioError("the file is empty; expected a mapping of scenario keys", at: start)
        }
        return root
    }

    /// "presets/xfs-kmem-alloc-loop.yaml" -> "xfs-kmem-alloc-loop".
    static func defaultName(file: String) -> String {
        var name = file.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? file
        for ext in [".yaml", ".yml"] where name.hasSuffix(ext) && name.count > ext.count {
            name.removeLast(ext.count)
        }
        return name
    }

    /// Yams' errors as located scenario errors (the pre-scan catches libyaml's
    /// errors first, so these are a second line of defence).
    static func located(_ error: YamlError, file: String) -> ScenarioError {
        func at(_ mark: Mark) -> SourceLocation { SourceLocation(file: file, line: mark.line, column: mark.column) }
        func message(_ problem: String, _ context: YamlError.Context?) -> String {
            var text = "invalid YAML: " + problem
            if let context { text += " (\(context.text) at \(context.mark.line):\(context.mark.column))" }
            return text
        }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            return ScenarioError(message(problem, context), at: at(mark))
        case let .reader(problem, offset, _, yaml):
            return ScenarioError("invalid YAML: " + problem, at: FileText.location(characterOffset: offset ?? 0, in: yaml, file: file))
        case let .duplicatedKeysInMapping(duplicates, context):
            return ScenarioError("duplicate key '\(duplicates.first ?? "")'", at: at(context.mark))
        default:
            return ScenarioError("cannot read YAML: \(error)", at: SourceLocation(file: file, line: 1, column: 1))
        }
    }
}
