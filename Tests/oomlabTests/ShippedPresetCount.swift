import Foundation

/// How many presets the repository ships: the .yaml files in presets/. Tests
/// that list the built-in presets compare against this, so adding a preset
/// does not mean editing a number in each of them.
enum ShippedPresetCount {
    static let value: Int = {
        let presets = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("presets")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: presets.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.count
    }()
}
