import Foundation
import OOMLabKernel

extension ScenarioWriter {
    /// Saves `scenario` as canonical YAML at `path`, atomically (`AtomicFile`).
    ///
    /// What happens to an existing file is the caller's explicit choice:
    /// - `overwrite: false` (the default): it is never touched; the save fails
    ///   with "'PATH' already exists; not overwriting it".
    /// - `overwrite: true`: it is replaced, unless it holds YAML comments (a
    ///   preset someone wrote by hand). Canonical YAML keeps no comments, so
    ///   replacing it would destroy them: the save fails saying so, unless the
    ///   caller also passes `discardComments: true`. A UI should offer to save
    ///   under a new name first, and discard comments only when told to.
    ///
    /// Before anything is written the text is loaded back and compared with
    /// `scenario`, so a file that would not load, or would load different, is
    /// never written.
    public static func save(_ scenario: Scenario, to path: String, overwrite: Bool = false,
                            discardComments: Bool = false) throws(ScenarioError) {
        try checkedWrite(scenario, as: "scenario", text: yaml(for: scenario), to: path,
                         reload: { text throws(ScenarioError) in try ScenarioLoader.parse(yaml: text, file: path) },
                         overwrite: overwrite, discardComments: discardComments)
    }

    /// `text` loaded back must give `value`; then it is put in place,
    /// refusing what `save` documents it refuses (shared with `SessionWriter.save`).
    static func checkedWrite<T: Equatable>(_ value: T, as what: String, text: String, to path: String,
                                           reload: (String) throws(ScenarioError) -> T,
                                           overwrite: Bool, discardComments: Bool) throws(ScenarioError) {
        let reloaded: T
        do {
            reloaded = try reload(text)
        } catch {
            throw ScenarioError("cannot save '\(path)': the \(what) would not load back: \(error.message)")
        }
        guard reloaded == value else {
            throw ScenarioError("cannot save '\(path)': the \(what) would not load back unchanged")
        }
        let target = try AtomicFile.saveTarget(path)
        if overwrite && !discardComments, let old = try existingText(target, named: path), YAMLComments.contains(in: old) {
            throw commentsWouldBeLost(path)
        }
        try AtomicFile.write(text, to: path, replacing: overwrite)
    }

    /// The text of the file at `path`, nil if there is none.
    private static func existingText(_ path: String, named name: String) throws(ScenarioError) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        do {
            return try FileText.contents(of: path, limit: ScenarioLoader.maxFileBytes)
        } catch {
            throw ScenarioError("cannot save '\(name)': cannot check the existing file for comments: \(error.message)")
        }
    }
}
