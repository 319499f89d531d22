import OOMLabKernel

extension Scenario {
    /// The scenario `oomlab` and `oomlab run` use when given none: the 2015
    /// filesystem stall of the "TIF_MEMDIE stall" thread, the built-in
    /// presets/xfs-kmem-alloc-loop.yaml (compiled in, so the binary works
    /// anywhere; BuiltinFilesTests keeps it equal to the file).
    public static let defaultYAML = BuiltinFiles.text(at: defaultPath) ?? ""

    /// Where the default scenario's text lives among the built-in files.
    public static let defaultPath = BuiltinFiles.folder("presets") + "/xfs-kmem-alloc-loop.yaml"

    /// The default scenario, parsed from `defaultYAML`.
    public static var defaultScenario: Scenario {
        do {
            return try ScenarioLoader.parse(yaml: defaultYAML, file: "xfs-kmem-alloc-loop.yaml")
        } catch {
            // Compiled-in text that tests load on every run: a failure here is a
            // build mistake, not input the user can fix.
            preconditionFailure("the built-in scenario does not load: \(error)")
        }
    }
}
