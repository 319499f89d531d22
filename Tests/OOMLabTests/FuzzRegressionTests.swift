import Foundation
import Testing
@testable import OOMLab
@testable import OOMLabKernel

/// The fuzz targets' checks (Fuzz/Sources) over the committed fuzz corpus
/// (Fuzz/Corpus): every input libFuzzer found worth keeping, and every crash
/// or hang it found, once fixed, stays here as a regression test.
@Suite("Fuzz corpus replayed: the readers' promises hold for every kept input", .slow)
struct FuzzRegressionTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fuzz/Corpus")

    static func inputs(_ target: String) -> [String] {
        let dir = corpus.appendingPathComponent(target).path
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted().map { dir + "/" + $0 }
    }

    @Test("scenario loader inputs: loaded ones run and save back the same", arguments: inputs("FuzzScenarioLoader"))
    func scenario(_ path: String) throws {
        let data = try #require(FileManager.default.contents(atPath: path))
        guard let text = String(validating: [UInt8](data), as: UTF8.self),
              let scenario = try? ScenarioLoader.parse(yaml: text, file: "fuzz.yaml") else { return }
        var kernel = Kernel(scenario: scenario)
        try Lab.run(&kernel, ticks: 20)
        #expect(try ScenarioLoader.parse(yaml: ScenarioWriter.yaml(for: scenario), file: "fuzz.yaml") == scenario)
    }

    @Test("report reader inputs: parse or a located error; explain and import never fail", arguments: inputs("FuzzReportReader"))
    func report(_ path: String) throws {
        let data = try #require(FileManager.default.contents(atPath: path))
        guard let reports = try? OOMReportParser().parseAll(String(decoding: data, as: UTF8.self)) else { return }
        for r in reports {
            let e = ReportExplainer.explain(r)
            _ = e.text() + e.json()
            if let yaml = try? ReportImporter.importable(from: r) {
                #expect((try? ScenarioLoader.parse(yaml: yaml, file: "imported.yaml")) != nil)
            }
        }
    }
}
