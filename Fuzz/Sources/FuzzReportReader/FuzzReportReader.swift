import FuzzSupport
import OOMLab
import OOMLabKernel

/// libFuzzer target: any bytes as an OOM report. Parsing returns reports or
/// an error naming a line; explaining and importing what parsed never crash;
/// an import that passes the importer's checks loads back, and the kernel
/// booted from it runs 50 ticks with its invariants holding.
///
/// The importer's own check simulates 10,000 ticks; under ASan that made
/// this target run about 30 inputs a second (15,085 in 480 s), far from the
/// 10^6 executions wanted. So the target stops at `loadable` (everything
/// `importable` checks but the run) and runs the booted kernel for 50 ticks
/// (the OOM kill happens by tick 5); the full run is what
/// ImportRoundTripTests checks over every fixture and its damaged versions.
///
/// scripts/fuzz gives this target -max_len=8192: a report's cost grows with
/// its length (about 2 ms under 4 KiB, 30 ms at 60 KiB under ASan), and the
/// large fixtures made the corpus run 31 inputs a second. Reading the
/// report's lines also went from Foundation's bridged `contains` to a byte
/// search (ReportText+Bytes.swift), 31% less CPU per input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReportReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let reports = try? OOMReportParser().parseAll(text) else { return 0 }
    for report in reports {
        let e = ReportExplainer.explain(report)
        _ = e.text() + e.json()
        // Tables up to 512 rows: a kernel of that many tasks runs 50 ticks
        // well inside the 1 s an input may take under ASan. `loadable`
        // builds the scenario itself once the refusals pass (`.auto` as the
        // cgroup form: choosing needs the 10,000-tick run); a refused or
        // larger report still has both its forms built, with no run.
        if report.table?.rows.count ?? 0 <= 512, let (_, scenario) = try? ReportImporter.loadable(from: report) {
            var kernel = Kernel(scenario: scenario)
            for _ in 0..<50 {
                kernel.step()
                if (try? kernel.checkInvariants()) == nil { fatalError("invariant broken in an imported scenario") }
            }
        } else {
            _ = ReportImporter.scenario(from: report, memcgForm: .cgroup)
            _ = ReportImporter.scenario(from: report, memcgForm: .machine)
        }
    }
    return 0
}

@main
enum Main {
    static func main() { FuzzMain.run(fuzzReportReader) }
}
