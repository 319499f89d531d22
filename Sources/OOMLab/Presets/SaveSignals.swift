import Foundation
import OOMLabKernel

/// Removes the temporary file of a save in progress when a catchable
/// terminating signal (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1,
/// SIGUSR2, SIGALRM) arrives, then lets the signal do what it did before: the
/// previous handler (the TUI's quit flag) or the default action (the process
/// ends, as the user asked). Without it, Ctrl-C during `--save-as` left a
/// full-size hidden `.NAME.*.tmp` behind.
///
/// Only async-signal-safe calls run in the handler: unlink(2), sigaction(2),
/// raise(3), on memory set up before the handlers are installed.
enum SaveSignals {
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1, SIGUSR2, SIGALRM]

    /// Runs `body` with `temp` removed on any of `signals`; the handlers in
    /// place before are back when it returns.
    static func removing<T, E: Error>(_ temp: String, _ body: () throws(E) -> T) throws(E) -> T {
        let path = strdup(temp)
        pending = path
        var previous: [Int32: sigaction] = [:]
        for sig in signals {
            var old = sigaction()
            sigaction(sig, nil, &old)
            // An ignored signal (nohup's SIGHUP) stays ignored: it must not
            // start cancelling saves.
            if unsafeBitCast(old.__sigaction_handler.sa_handler, to: Int.self) == 1 { continue }   // SIG_IGN
            saved[Int(sig)] = old
            previous[sig] = old
            var action = sigaction()
            action.__sigaction_handler.sa_handler = onSignal
            sigemptyset(&action.sa_mask)
            sigaction(sig, &action, nil)
        }
        // A parent may have started us with these blocked (a test runner
        // does); unblocked, they reach the handler during the save.
        var set = sigset_t(), oldMask = sigset_t()
        sigemptyset(&set)
        for sig in signals { sigaddset(&set, sig) }
        sigprocmask(SIG_UNBLOCK, &set, &oldMask)
        defer {
            sigprocmask(SIG_SETMASK, &oldMask, nil)
            for sig in signals {
                if var old = previous[sig] { sigaction(sig, &old, nil) }
            }
            pending = nil
            free(path)
        }
        return try body()
    }

    /// A signal handler may only read what was written before it was installed.
    nonisolated(unsafe) static var pending: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) static let saved = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)

    static let onSignal: @convention(c) (Int32) -> Void = { sig in
        if let path = SaveSignals.pending { unlink(path) }
        // Put back what was there and deliver the signal to it once this
        // handler returns (the signal is blocked while we run).
        sigaction(sig, SaveSignals.saved + Int(sig), nil)
        raise(sig)
    }
}

extension ScenarioWriter {
    /// Test hook: every save raises `signal` after the file is written and
    /// before it is moved into place. The binary sets it when
    /// OOMLAB_TEST_SIGNAL_DURING_SAVE names a signal number; nothing else does.
    public static func raiseBeforePlacing(_ signal: Int32) {
        AtomicFile.faultBeforePlacing = { _ = raise(signal) }
    }

    /// The refusal to replace a commented file (`overwrite` without
    /// `discardComments`); a caller can match it to name its own option.
    public static func commentsWouldBeLost(_ path: String) -> ScenarioError {
        ScenarioError("'\(path)' has comments that saving would discard; save under a new name, or discard them explicitly")
    }
}
