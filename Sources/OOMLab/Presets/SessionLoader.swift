import OOMLabKernel

/// Reads session files: a scenario plus `timeline:` and `at:` (the format is
/// in presets/README.md). A plain scenario file is a session with an empty
/// timeline standing at tick 0, so every command that replays sessions opens
/// scenarios too. Decoding checks what the text alone can show (unknown
/// actions, ticks out of order or past `ticks`, undeclared locks); whether
/// each action applies at its tick (a pid alive then) is found by replaying
/// it, in `Run(session:)`, with the same located errors.
public enum SessionLoader {
    public static func load(path: String) throws(ScenarioError) -> Session {
        let text = try FileText.contents(of: path, limit: ScenarioLoader.maxFileBytes)
        return try parse(yaml: text, file: path)
    }

    public static func parse(yaml: String, file: String) throws(ScenarioError) -> Session {
        let root = try ScenarioLoader.compose(yaml: yaml, file: file)
        let decoder = ScenarioDecoder(reader: YAMLNodeReader(file: file))
        return try decoder.session(from: root, defaultName: ScenarioLoader.defaultName(file: file))
    }
}
