import Foundation
import Testing
import OOMLabKernel

/// Golden text files: compare, and re-record only when OOMLAB_RECORD=1 and
/// CI is not set. A recording run writes the file and fails, so that a
/// re-recorded golden is always looked at before it is committed.
enum Golden {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static func check(_ actual: String, _ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let url = folder.appendingPathComponent(name + ".txt")
        let env = ProcessInfo.processInfo.environment
        let record = env["OOMLAB_RECORD"] == "1" && (env["CI"] ?? "").isEmpty
        let expected = try? String(contentsOf: url, encoding: .utf8)
        if record {
            if expected != actual {
                try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try? actual.write(to: url, atomically: true, encoding: .utf8)
                Issue.record("recorded \(name).txt; run again without OOMLAB_RECORD", sourceLocation: sourceLocation)
            }
            return
        }
        guard let expected else {
            Issue.record("missing golden \(name).txt; record it with OOMLAB_RECORD=1", sourceLocation: sourceLocation)
            return
        }
        if expected != actual {
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let line = (0..<Swift.min(e.count, a.count)).first { e[$0] != a[$0] } ?? Swift.min(e.count, a.count)
            let want = line < e.count ? String(e[line]) : "<end>"
            let got = line < a.count ? String(a[line]) : "<end>"
            Issue.record("\(name).txt differs at line \(line + 1):\n  expected: \(want)\n  actual:   \(got)",
                         sourceLocation: sourceLocation)
        }
    }
}
