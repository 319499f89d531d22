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

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// The run was killed after the timeout (it hung).
        var timedOut = false
    }

    /// Runs `oomlab ARGS` in `directory` (default: the package root) and waits,
    /// at most `timeout` seconds: then it is killed and `timedOut` is set, so a
    /// hang fails the test instead of stopping the suite.
    static func run(_ args: [String], in directory: URL? = nil, environment: [String: String] = [:],
                    timeout: Double = 300) throws -> Result {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw BinaryMissing(path: path)
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        p.currentDirectoryURL = directory ?? packageRoot
        var env = ProcessInfo.processInfo.environment
        env["OOMLAB_PRESETS"] = nil
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let killed = Killed()
        let pid = p.processIdentifier
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
            if p.isRunning {
                killed.set()
                kill(pid, SIGKILL)
            }
        }
        // Read both pipes before waiting, so a large output cannot block the child.
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                      stderr: String(decoding: e, as: UTF8.self), timedOut: killed.value)
    }

    final class Killed: @unchecked Sendable {
        private let lock = NSLock()
        private var flag = false
        func set() { lock.lock(); flag = true; lock.unlock() }
        var value: Bool { lock.lock(); defer { lock.unlock() }; return flag }
    }

    struct BinaryMissing: Error, CustomStringConvertible {
        var path: String
        var description: String { "no oomlab binary at \(path): run `swift build` before `swift test` (the README's test command does)" }
    }
}
