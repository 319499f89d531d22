import Foundation
import Testing
import OOMLabKernel

/// Runs the built `oomlab` binary (from `swift build`) as a user would.
enum Binary {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static var path: String {
        let candidates = [".build/debug/oomlab", ".build/release/oomlab"]
            .map { packageRoot.appendingPathComponent($0).path }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }

    typealias Result = Spawn.Result

    /// Runs `oomlab ARGS` in `directory` (default: the package root) and waits,
    /// at most `timeout` seconds: then it is killed and `timedOut` is set, so a
    /// hang fails the test instead of stopping the suite.
    static func run(_ args: [String], in directory: URL? = nil, environment: [String: String] = [:],
                    timeout: Double = 300) throws -> Result {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw BinaryMissing(path: path)
        }
        var env = ProcessInfo.processInfo.environment
        env["OOMLAB_PRESETS"] = nil
        env["OOMLAB_LESSONS"] = nil
        // The developer's own presets and lessons must not change what tests see.
        env["XDG_DATA_HOME"] = "/nonexistent/oomlab-test-data"
        for (k, v) in environment { env[k] = v }
        return Spawn.run([path] + args, in: (directory ?? packageRoot).path, environment: env, timeout: timeout)
    }

    struct BinaryMissing: Error, CustomStringConvertible {
        var path: String
        var description: String { "no oomlab binary at \(path): run `swift build` before `swift test` (the README's test command does)" }
    }
}
