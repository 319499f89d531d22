import Foundation
import Testing
import OOMLabKernel

/// Runs the built `oomlab` binary (from `swift build`) as a user would.
enum Binary {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The binary the tests drive: OOMLAB_BIN if set (so the same tests
    /// audit a release build: `OOMLAB_BIN=.build/release/oomlab swift test`),
    /// else the one built beside the test bundle, else .build/debug/oomlab.
    static let path: String = {
        if let b = ProcessInfo.processInfo.environment["OOMLAB_BIN"], !b.isEmpty { return b }
        let nextToTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for dir in [nextToTests, nextToTests.deletingLastPathComponent(),
                    nextToTests.deletingLastPathComponent().deletingLastPathComponent()] {
            let candidate = dir.appendingPathComponent("oomlab").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return packageRoot.appendingPathComponent(".build/debug/oomlab").path
    }()

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
