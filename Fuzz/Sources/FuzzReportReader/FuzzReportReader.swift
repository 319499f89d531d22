import FuzzSupport
import OOMLab
import OOMLabKernel

/// libFuzzer target: any bytes as an OOM report. Parsing returns reports or
/// an error naming a line; explaining and importing what parsed never crash,
/// and an import the importer accepts (tables up to 8 rows) loads back.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReportReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let reports = try? OOMReportParser().parseAll(text) else { return 0 }
    for report in reports {
        let e = ReportExplainer.explain(report)
        _ = e.text() + e.json()
        _ = ReportImporter.scenario(from: report)
        // The full import simulates its scenario for 10,000 ticks to check
        // it (about 0.1 s per task under ASan): only small tables here, so
        // that an input slower than a second is a real hang.
        if report.table?.rows.count ?? 0 <= 8, let yaml = try? ReportImporter.importable(from: report) {
            if (try? ScenarioLoader.parse(yaml: yaml, file: "imported.yaml")) == nil {
                fatalError("an accepted import does not load")
            }
        }
    }
    return 0
}

@main
enum Main {
    static func main() { FuzzMain.run(fuzzReportReader) }
}
