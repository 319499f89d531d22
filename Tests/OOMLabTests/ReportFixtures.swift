import Foundation
@testable import OOMLab
@testable import OOMLabKernel

/// The OOM reports under Fixtures/oom-reports, read from the test bundle.
enum ReportFixtures {
    /// Every report file, by name.
    static let names: [String] = {
        guard let dir = Bundle.module.url(forResource: "Fixtures", withExtension: nil)?
            .appendingPathComponent("oom-reports"),
            let files = try? FileManager.default.contentsOfDirectory(atPath: dir.path)
        else { return [] }
        return files.filter { $0.hasSuffix(".txt") }.sorted()
    }()

    static func text(_ name: String) -> String {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)?
            .appendingPathComponent("oom-reports").appendingPathComponent(name),
            let data = try? Data(contentsOf: url)
        else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    /// The file whose name starts with `prefix` ("019").
    static func named(_ prefix: String) -> String {
        text(names.first { $0.hasPrefix(prefix) } ?? prefix)
    }

    static func report(_ prefix: String) throws -> OOMReport {
        try OOMReportParser().parse(named(prefix))
    }
}
