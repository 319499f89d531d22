import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program with posix_spawnp and waitpid, never Foundation.Process,
/// whose reaping of children can hang inside a test runner. Output goes to
/// files, not pipes: a child that forks a daemon (tmux new-session) leaves
/// the daemon holding its stdout, so a pipe would never reach end-of-file.
/// Used by both the binary tests (`Binary.run`) and the tmux suites.
enum Spawn {
    struct Result {
        /// The exit status, or the signal number if a signal ended it.
        var status: Int32
        var stdout: String
        var stderr: String
        /// The child was killed with SIGKILL after the timeout (it hung).
        var timedOut = false
    }

    /// Runs `argv` (looked up on PATH) in `directory` with `environment`,
    /// stdin from /dev/null. After `timeout` seconds the child is killed.
    static func run(_ argv: [String], in directory: String? = nil, environment: [String: String]? = nil,
                    captureStderr: Bool = true, timeout: Double = 300) -> Result {
        let tmp = FileManager.default.temporaryDirectory.path + "/oomlab-spawn-\(UUID().uuidString)"
        let outPath = tmp + ".out", errPath = tmp + ".err"
        defer {
            try? FileManager.default.removeItem(atPath: outPath)
            try? FileManager.default.removeItem(atPath: errPath)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, captureStderr ? errPath : "/dev/null",
                                         O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // The test runner blocks and ignores signals the children need (the
        // mask and ignored signals survive exec): give them a clean slate.
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var empty = sigset_t(), all = sigset_t()
        sigemptyset(&empty)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attr, &empty)
        posix_spawnattr_setsigdefault(&attr, &all)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        // Glibc's posix_spawn_file_actions_addchdir_np is not visible to Swift:
        // a shell changes directory, then execs the program with its argv as given.
        let argv = directory.map { ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", $0] + argv } ?? argv
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { for a in cArgs { free(a) } }
        var cEnv: [UnsafeMutablePointer<CChar>?] = environment.map { env in
            env.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        } ?? []
        defer { for e in cEnv { free(e) } }
        var pid: pid_t = 0
        let spawned = cEnv.isEmpty
            ? posix_spawnp(&pid, argv[0], &actions, &attr, &cArgs, environ)
            : posix_spawnp(&pid, argv[0], &actions, &attr, &cArgs, &cEnv)
        guard spawned == 0 else {
            return Result(status: -1, stdout: "", stderr: "cannot spawn \(argv[0]): \(String(cString: strerror(spawned)))")
        }
        // Poll, so a hang ends in a kill rather than a stuck suite.
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        var timedOut = false
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { break }
            if r < 0 && errno != EINTR { break }
            if !timedOut && Date() > deadline {
                timedOut = true
                kill(pid, SIGKILL)
            }
            usleep(2_000)
        }
        let signal = status & 0x7f
        let code = signal == 0 ? (status >> 8) & 0xff : signal
        func read(_ path: String) -> String {
            (FileManager.default.contents(atPath: path)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
        return Result(status: code, stdout: read(outPath), stderr: read(errPath), timedOut: timedOut)
    }
}
