import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import OOMLabKernel

/// Drives the built `oomlab` binary in tmux: keys in, screen captured,
/// asserted. Each test has its own tmux server (a unique -L socket), killed
/// at the end. Conditions are polled with a timeout, never slept for.
///
/// Runs as part of `swift test` when tmux is installed (skipped otherwise,
/// except under CI, where a missing tmux or binary is a failure);
/// OOMLAB_BIN overrides the binary, OOMLAB_SKIP_E2E=1 skips the suite.
@Suite("End to end in tmux", .serialized, .enabled(if: Tmux.available), .slow)
struct EndToEndTests {
    @Test("start, panels, step, run to the OOM kill, flip k, quit with q")
    func mainFlow() throws {
        let t = try Tmux()
        try t.startOOMLab()
        let screen = t.capture()
        for panel in ["Memory", "Free pages over time", "Locks", "Tasks", "Log", "k OOM from: direct", "tick 0"] {
            #expect(screen.contains(panel), "missing \(panel)")
        }
        t.keys("Space")
        #expect(t.waitFor { $0.contains("tick 1 ") })
        t.keys("Space", "Space")
        #expect(t.waitFor { $0.contains("tick 3 ") })
        t.literal("u")   // run until the kernel logs something: the OOM kill
        #expect(t.waitFor(timeout: 30) { $0.contains("Killed process 1337 (postgres)") }, "\(t.capture())")
        t.literal("k")
        #expect(t.waitFor { $0.contains("k OOM from: kswapd") })
        #expect(t.waitFor { $0.contains("oomlab: policy oom_invocation: direct -> kswapd") })
        t.literal("q")
        // The flip is an unsaved action: q asks first.
        #expect(t.waitFor { $0.contains("You have 1 unsaved action.") && $0.contains("Quitting drops them.") }, "\(t.capture())")
        t.literal("d")
        try t.expectShellBack()
    }

    @Test("the verdict as a person sees it: PENDING after the kill, STALL once the victim cannot exit, E recovers; max speed stops at the end")
    func outcomePhases() throws {
        let t = try Tmux()
        try t.startOOMLab()
        t.literal("n")
        t.literal("400")
        t.keys("Enter")
        #expect(t.waitFor { $0.contains("tick 400 ") && $0.contains("PENDING postgres 1.88 s") }, "\(t.capture())")
        #expect(!t.capture().contains("RECOVERED"), "the victim is alive: nothing is recovered yet")
        t.literal("n")
        t.literal("400")
        t.keys("Enter")
        #expect(t.waitFor { $0.contains("tick 800 ") && $0.contains("STALL since 2.12 s") }, "\(t.capture())")
        t.literal("E")
        #expect(t.waitFor { $0.contains("E era: modern") && $0.contains("r reaper: on") }, "\(t.capture())")
        for _ in 0..<12 { t.literal("+") }   // the fastest speed
        t.literal("p")
        #expect(t.waitFor(timeout: 60) { $0.contains("reached the scenario's end at tick 3000") }, "\(t.capture())")
        let end = t.capture()
        #expect(end.contains("tick 3000 "))
        #expect(end.contains("RECOVERED after a "))
        t.literal("q")
        #expect(t.waitFor { $0.contains("You have 1 unsaved action.") }, "\(t.capture())")
        t.literal("d")
        try t.expectShellBack()
    }

    @Test("add a task and a lock, save to a file, open it again")
    func addSaveOpen() throws {
        let t = try Tmux()
        try t.startOOMLab()
        t.literal("a")
        #expect(t.waitFor { $0.contains("Add a task") })
        t.keys("BSpace", "BSpace", "BSpace")
        t.literal("stress")
        t.keys("Enter")
        #expect(t.waitFor { $0.contains("3000 stress") && $0.contains("added stress[3000]") })
        t.literal("l")
        #expect(t.waitFor { $0.contains("Add a lock") })
        t.literal("i_mutex")
        t.keys("Enter")
        #expect(t.waitFor { $0.contains("added lock i_mutex") })
        t.literal("s")
        #expect(t.waitFor { $0.contains("Save the session") })
        for _ in 0..<30 { t.keys("BSpace") }
        t.literal("e2e.yaml")
        t.keys("Enter")
        #expect(t.waitFor { $0.contains("saved e2e.yaml") }, "\(t.capture())")
        #expect(FileManager.default.fileExists(atPath: t.folder + "/e2e.yaml"))
        // Saving again asks before overwriting.
        t.literal("s")
        #expect(t.waitFor { $0.contains("Save the session") })
        t.keys("Enter")
        #expect(t.waitFor { $0.contains("e2e.yaml exists. Overwrite it? (y/n)") })
        t.literal("y")
        #expect(t.waitFor { $0.contains("saved e2e.yaml") })
        // Step on, then open the file: back to tick 0 with the added task and lock.
        t.literal("n")
        t.literal("40")
        t.keys("Enter")
        #expect(t.waitFor { $0.contains("tick 40 ") })
        t.literal("o")
        // Your files come after the built-in list, which is longer than the screen.
        #expect(t.waitFor { $0.contains("Open a scenario") })
        t.keys("End")
        #expect(t.waitFor { $0.contains("./e2e.yaml") }, "\(t.capture())")
        t.keys("Enter")
        #expect(t.waitFor { $0.contains("opened") && $0.contains("tick 0 ") }, "\(t.capture())")
        #expect(t.waitFor { $0.contains("3000 stress") && $0.contains("i_mutex") })
        t.keys("F10")
        try t.expectShellBack()
    }

    @Test("flip the reaper at 300, save a session; oomlab run FILE replays the switch at 300 and ends recovered; tui FILE reopens at its tick")
    func sessionRoundTrip() throws {
        let t = try Tmux()
        try t.startOOMLab()
        t.literal("g")
        t.literal("300")
        t.keys("Enter")
        #expect(t.waitFor { $0.contains("tick 300 ") }, "\(t.capture())")
        t.literal("r")
        #expect(t.waitFor { $0.contains("r reaper: on") })
        t.literal("g")
        t.literal("500")
        t.keys("Enter")
        #expect(t.waitFor { $0.contains("tick 500 ") })
        t.literal("s")
        #expect(t.waitFor { $0.contains("Save the session") })
        for _ in 0..<30 { t.keys("BSpace") }
        t.literal("reaper.yaml")
        t.keys("Enter")
        #expect(t.waitFor { $0.contains("saved reaper.yaml") }, "\(t.capture())")
        t.literal("q")
        try t.expectShellBack()

        let file = t.folder + "/reaper.yaml"
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("timeline:") && text.contains("at: 500"), "\(text)")
        let r = try Binary.run(["run", file, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let events = try #require(object["events"] as? [[String: Any]])
        #expect(events.contains { $0["tick"] as? Int == 300 && ($0["text"] as? String) == "oomlab: policy oom_reaper: off -> on" })
        #expect((object["verdict"] as? [String: Any])?["kind"] as? String == "recovered")

        // Reopened, it stands where it was saved, the past still there to rewind to.
        t.literal("'\(Tmux.binary)' reaper.yaml")
        t.keys("Enter")
        #expect(t.waitFor { $0.contains("tick 500 ") && $0.contains("r reaper: on") }, "\(t.capture())")
        t.literal(",")
        #expect(t.waitFor { $0.contains("tick 499 ") })
        t.literal("q")
        try t.expectShellBack()
    }

    @Test("a long move computes in slices: the screen shows its progress and Esc stops it")
    func longMoveStops() throws {
        let t = try Tmux()
        try t.startOOMLab()
        t.literal("n")
        t.literal("1000000")
        t.keys("Enter")
        #expect(t.waitFor { $0.contains("computing: tick ") && $0.contains("of 1000000; any key stops") }, "\(t.capture())")
        t.keys("Escape")
        #expect(t.waitFor { $0.contains("(stopped by a key; ") }, "\(t.capture())")
        t.literal("q")
        try t.expectShellBack()
    }

    @Test("time travel: g 800, one tick back, the previous marker, g 300 shows no later events")
    func timeTravel() throws {
        let t = try Tmux()
        try t.startOOMLab()
        t.literal("g")
        #expect(t.waitFor { $0.contains("Go to (now at tick 0)") })
        t.literal("800")
        t.keys("Enter")
        #expect(t.waitFor { $0.contains("tick 800 of 3000") && $0.contains("at tick 800 (8.00 s)") }, "\(t.capture())")
        t.literal(",")
        #expect(t.waitFor { $0.contains("tick 799 of 3000 rewound") && $0.contains("back to tick 799") }, "\(t.capture())")
        t.literal("[")
        #expect(t.waitFor { $0.contains("marker: victim stall detected: postgres[1337] cannot exit at tick 712")
                            || $0.contains("marker: OOM kill of postgres[1337] at tick 212") }, "\(t.capture())")
        #expect(t.capture().contains("tick 712 of 3000 rewound") || t.capture().contains("tick 212 of 3000 rewound"))
        t.literal("g")
        t.literal("300")
        t.keys("Enter")
        #expect(t.waitFor { $0.contains("tick 300 of 3000 rewound") && $0.contains("back to tick 300") }, "\(t.capture())")
        let screen = t.capture()
        #expect(screen.contains("Killed process 1337 (postgres)"), "the kill at 2.12 s is in the past")
        #expect(!screen.contains("XFS: possible memory allocation deadlock"), "first logged at 4.08 s: later than tick 300")
        #expect(!screen.contains("OOM victim stall"), "detected at 7.12 s: later than tick 300")
        t.literal("q")
        try t.expectShellBack()
    }

    @Test("fork at tick 300 with the reaper on: STALL on the left, RECOVERED on the right")
    func forkSideBySide() throws {
        let t = try Tmux()
        try t.startOOMLab()
        t.literal("g")
        t.literal("300")
        t.keys("Enter")
        #expect(t.waitFor { $0.contains("tick 300 of 3000") })
        t.literal("f")
        #expect(t.waitFor { $0.contains("Fork at tick 300") && $0.contains("oom_reaper = on") }, "\(t.capture())")
        // The picker lists era, oom_invocation, then oom_reaper: two rows down.
        t.keys("Down", "Down", "Enter")
        #expect(t.waitFor { $0.contains("right: oom_reaper = on") && $0.contains("left: as it was") }, "\(t.capture())")
        t.literal("n")
        t.literal("700")
        t.keys("Enter")
        #expect(t.waitFor { $0.contains("tick 1000 of 3000") }, "\(t.capture())")
        let rows = t.capture().split(separator: "\n").map(String.init)
        // The verdict row of each pane: left half and right half of one row.
        guard let verdict = rows.first(where: { $0.contains("STALL") && $0.contains("RECOVERED") }) else {
            Issue.record("no row with both verdicts: \(rows.joined(separator: "\n"))")
            return
        }
        #expect(verdict.range(of: "STALL")!.lowerBound < verdict.range(of: "RECOVERED")!.lowerBound, "STALL left, RECOVERED right")
        #expect(rows.contains { $0.contains("≠") }, "the first difference is marked")
        t.literal("f")
        #expect(t.waitFor { $0.contains("Close the fork: keep which side?") })
        t.literal("r")
        #expect(t.waitFor { $0.contains("kept the fork (oom_reaper = on at tick 300)") && $0.contains("r reaper: on") }, "\(t.capture())")
        t.literal("q")
        #expect(t.waitFor { $0.contains("You have 1 unsaved action.") }, "\(t.capture())")
        t.literal("d")
        try t.expectShellBack()
    }

    @Test("resize below 80x24 and back; quit with Ctrl-C")
    func resizeAndCtrlC() throws {
        let t = try Tmux()
        try t.startOOMLab()
        t.tmux(["resize-window", "-t", "e2e", "-x", "40", "-y", "10"])
        #expect(t.waitFor { $0.contains("terminal too small:") && $0.contains("need 80x24, have 40x10") }, "\(t.capture())")
        t.tmux(["resize-window", "-t", "e2e", "-x", "100", "-y", "30"])
        #expect(t.waitFor { $0.contains("Memory") && !$0.contains("too small") })
        t.keys("C-c")
        try t.expectShellBack()
    }

    @Test("Ctrl-Z suspends with the terminal restored; fg redraws")
    func suspend() throws {
        let t = try Tmux()
        try t.startOOMLab()
        t.keys("C-z")
        #expect(t.waitFor { $0.contains("Stopped") })
        #expect(t.alternateScreen == "0")
        t.literal("fg")
        t.keys("Enter")
        #expect(t.waitFor { $0.contains("Memory") && $0.contains("Tasks") && $0.contains("tick 0") })
        t.literal("q")
        try t.expectShellBack()
    }

    @Test("SIGTERM restores the terminal")
    func sigterm() throws {
        let t = try Tmux()
        try t.startOOMLab()
        let pane = t.tmux(["display", "-p", "-t", "e2e", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let child = Tmux.shell("pgrep -P \(pane) oomlab").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!child.isEmpty)
        _ = Tmux.shell("kill -TERM \(child)")
        try t.expectShellBack()
    }

    @Test("TERM unset, unknown or dumb: our own one-line refusal, no ncurses text, exit 1", arguments: [
        ("env -u TERM", "oomlab: TERM is not set, so the interactive interface cannot know how to draw; "
         + "set it to your terminal's type (e.g. TERM=xterm-256color), or use 'oomlab run' for a headless trace"),
        ("env TERM=no-such-terminal", "oomlab: TERM=no-such-terminal is not a terminal type the terminfo database knows; "
         + "set it to your terminal's type (e.g. TERM=xterm-256color), or use 'oomlab run' for a headless trace"),
        ("env TERM=dumb", "oomlab: TERM=dumb cannot move the cursor, so the interactive interface cannot draw; "
         + "use 'oomlab run' for a headless trace"),
    ])
    func badTERM(prefix: String, expected: String) throws {
        let t = try Tmux()
        try t.startShell()
        // "ex""it" so that the typed line itself does not match.
        t.literal("clear; \(prefix) '\(Tmux.binary)' 2>err.txt; echo \"ex\"\"it=$?\"")
        t.keys("Enter")
        #expect(t.waitFor { $0.contains("exit=") })
        #expect(t.capture().contains("exit=1"))
        #expect(t.alternateScreen == "0")
        let err = (try? String(contentsOfFile: t.folder + "/err.txt", encoding: .utf8)) ?? ""
        #expect(err == expected + "\n")
    }

    /// The pid of the oomlab running in the pane's shell.
    func oomlabPid(_ t: Tmux) -> String {
        let pane = t.tmux(["display", "-p", "-t", "e2e", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        return Tmux.shell("pgrep -P \(pane) oomlab").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("SIGQUIT (Ctrl-\\) quits cleanly: terminal restored, no backtrace, exit 131", arguments: ["kill", "key"])
    func sigquit(_ how: String) throws {
        let t = try Tmux()
        try t.startOOMLab()
        if how == "key" {
            t.keys("C-\\")
        } else {
            let child = oomlabPid(t)
            #expect(!child.isEmpty)
            _ = Tmux.shell("kill -QUIT \(child)")
        }
        #expect(t.waitFor(timeout: 5) { _ in t.alternateScreen == "0" }, "still on the alternate screen 5 s after SIGQUIT")
        t.literal("echo \"st\"\"atus=$?\"")
        t.keys("Enter")
        #expect(t.waitFor { $0.contains("status=131") }, "\(t.capture())")
        #expect(!t.capture().contains("Backtrace") && !t.capture().contains("Crashed"))
        try t.expectShellBack()
    }

    @Test("an uncaught terminating signal restores the terminal and says which signal ended the run",
          arguments: ["USR1", "USR2", "ALRM", "PIPE", "VTALRM"])
    func otherSignals(_ name: String) throws {
        let t = try Tmux()
        try t.startOOMLab()
        let child = oomlabPid(t)
        #expect(!child.isEmpty)
        _ = Tmux.shell("kill -\(name) \(child)")
        #expect(t.waitFor(timeout: 5) { $0.contains("oomlab: ended by SIG\(name), which it does not handle; the terminal is restored") },
                "\(t.capture())")
        try t.expectShellBack()
    }

    /// bash puts the terminal back in order before each prompt; dash does
    /// not, so under dash only oomlab's own restore gives back echo.
    @Test("under dash, an uncaught signal leaves echo on and the cursor shown")
    func otherSignalUnderDash() throws {
        let t = try Tmux()
        try t.startOOMLab(shell: "/usr/bin/dash")
        let child = oomlabPid(t)
        #expect(!child.isEmpty)
        _ = Tmux.shell("kill -USR1 \(child)")
        #expect(t.waitFor(timeout: 5) { $0.contains("oomlab: ended by SIGUSR1") }, "\(t.capture())")
        try t.expectShellBack()
    }

    @Test("a crash restores the terminal and says what happened in one line")
    func crash() throws {
        let t = try Tmux()
        try t.startOOMLab()
        let child = oomlabPid(t)
        #expect(!child.isEmpty)
        _ = Tmux.shell("kill -SEGV \(child)")
        #expect(t.waitFor(timeout: 30) { $0.contains("oomlab: crashed: SIGSEGV (segmentation fault); the terminal is restored; a core dump") },
                "\(t.capture())")
        try t.expectShellBack()
    }

    @Test("refuses to start without a terminal, pointing to oomlab run")
    func notATerminal() throws {
        let r = Tmux.run(["/bin/sh", "-c", "'\(Tmux.binary)' </dev/null 2>&1; echo \"exit=$?\""])
        #expect(r.output.contains("use 'oomlab run'"))
        #expect(r.output.contains("exit=1"))
    }

    @Test("C switches the theme at once and remembers it; the next start uses it; a broken config is reported, not fatal")
    func themes() throws {
        let t = try Tmux()
        // The test runner may set NO_COLOR; colour is what this test looks at.
        try t.startOOMLab(prefix: "env -u NO_COLOR ")
        // dark: "paused" is bold yellow text on the terminal's background.
        #expect(t.captureStyled().contains("\u{1b}[1m\u{1b}[33m"), "\(t.captureStyled())")
        t.literal("C")
        #expect(t.waitFor { $0.contains("theme: light") })
        // light: black on yellow instead.
        #expect(t.waitFor(timeout: 5) { _ in t.captureStyled().contains("43m") }, "\(t.captureStyled())")
        let config = t.folder + "/config/oomlab/config"
        #expect(t.waitFor { _ in ((try? String(contentsOfFile: config, encoding: .utf8)) ?? "").contains("theme: light\n") })
        t.literal("q")
        try t.expectShellBack()

        t.literal("clear; env -u NO_COLOR '\(Tmux.binary)'")
        t.keys("Enter")
        #expect(t.waitFor(timeout: 20) { $0.contains("Memory") && $0.contains("Tasks") })
        #expect(t.waitFor(timeout: 5) { _ in t.captureStyled().contains("43m") }, "the remembered theme: \(t.captureStyled())")
        t.literal("q")
        try t.expectShellBack()

        try "theme: purple\n".write(toFile: config, atomically: true, encoding: .utf8)
        t.literal("clear; '\(Tmux.binary)' --theme projector")
        t.keys("Enter")
        #expect(t.waitFor(timeout: 20) { $0.contains("/config/oomlab/config:1:8: error: unknown") }, "\(t.capture())")
        #expect(t.capture().contains("Tasks"), "the interface started anyway")
        t.literal("q")
        try t.expectShellBack()
    }

    @Test("the picker lists presets in teaching order and / filters it")
    func pickerFilter() throws {
        let t = try Tmux()
        try t.startOOMLab("--theme dark")
        t.literal("q")
        try t.expectShellBack()
        let presets = Binary.packageRoot.appendingPathComponent("presets").path
        t.literal("clear; OOMLAB_PRESETS='\(presets)' '\(Tmux.binary)'")
        t.keys("Enter")
        #expect(t.waitFor(timeout: 20) { $0.contains("Memory") && $0.contains("Tasks") })
        t.literal("o")
        #expect(t.waitFor { $0.contains("simple-leak") }, "\(t.capture())")
        let lines = t.capture().components(separatedBy: "\n")
        let first = lines.firstIndex { $0.contains("│ simple-leak ") } ?? 99
        let later = lines.firstIndex { $0.contains("│ xfs-kmem-alloc-loop ") } ?? -1
        #expect(first < later, "teaching order, not alphabetical")
        // The three built-in lessons come first (from any folder); "reaper" keeps one of them.
        t.literal("/reaper")
        let fm = FileManager.default
        let entries = try fm.contentsOfDirectory(atPath: presets).filter { $0.hasSuffix(".yaml") }.count
            + fm.contentsOfDirectory(atPath: Binary.packageRoot.appendingPathComponent("lessons").path)
                .filter { $0.hasSuffix(".yaml") }.count
        #expect(t.waitFor { $0.contains("/ reaper_") && $0.contains("3 of \(entries)") }, "\(t.capture())")
        #expect(t.capture().contains("lesson: from-4.0-to-6.x"))
        #expect(!t.capture().contains("simple-leak"))
        t.keys("Down", "Down", "Enter")
        #expect(t.waitFor { $0.contains("opened") && $0.contains("oom-reaper-mmap-lock-held") }, "\(t.capture())")
        t.literal("q")
        try t.expectShellBack()
    }

}

/// One tmux server with one session running a shell in a fresh folder.
final class Tmux {
    static var binary: String { Binary.path }

    /// Whether to run the suite. Under CI it always runs, so a missing tmux
    /// or binary fails loudly instead of skipping the end-to-end tests.
    static var available: Bool {
        let env = ProcessInfo.processInfo.environment
        if env["CI"] != nil { return true }
        return env["OOMLAB_SKIP_E2E"] != "1"
            && !shell("command -v tmux").isEmpty
            && FileManager.default.isExecutableFile(atPath: binary)
    }

    let socket: String
    let folder: String

    init() throws {
        // Unique without shared state: the two tmux suites run in parallel.
        socket = "oomlab-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        folder = FileManager.default.temporaryDirectory.path + "/oomlab-e2e-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    deinit {
        tmux(["kill-server"])
        try? FileManager.default.removeItem(atPath: folder)
    }

    @discardableResult
    func tmux(_ args: [String]) -> String {
        Tmux.run(["tmux", "-L", socket, "-f", "/dev/null"] + args).output
    }

    static func shell(_ command: String) -> String { run(["/bin/sh", "-c", command]).output }

    /// Runs a program (`Spawn.run`), its stderr dropped.
    static func run(_ argv: [String]) -> (status: Int32, output: String) {
        let r = Spawn.run(argv, captureStderr: false)
        return (r.status, r.stdout)
    }

    /// A shell at 100x30 in the test's folder: bash without its start-up
    /// files unless another is given.
    func startShell(_ shell: String = "/bin/bash --norc --noprofile") throws {
        tmux(["new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30", "-c", folder,
              "-e", "TERM=xterm-256color", "-e", "LANG=C.UTF-8", "-e", "OOMLAB_PRESETS=" + folder + "/none",
              // Never the user's own config file: C writes it.
              "-e", "XDG_CONFIG_HOME=" + folder + "/config",
              shell])
        guard waitFor(timeout: 10, { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) else {
            throw E2EError("no shell prompt: \(capture())")
        }
    }

    /// A shell at 100x30 in the test's folder, then oomlab in it.
    func startOOMLab(_ arguments: String = "", prefix: String = "", shell: String = "/bin/bash --norc --noprofile") throws {
        try startShell(shell)
        literal("PS1='e2e$ '; clear; \(prefix)'\(Tmux.binary)' \(arguments)")
        keys("Enter")
        guard waitFor(timeout: 20, { $0.contains("Memory") && $0.contains("Tasks") }) else {
            throw E2EError("oomlab did not start: \(capture())")
        }
    }

    func capture() -> String { tmux(["capture-pane", "-p", "-t", "e2e"]) }
    /// The screen with its colours and attributes, as SGR escape sequences.
    func captureStyled() -> String { tmux(["capture-pane", "-p", "-e", "-t", "e2e"]) }
    var alternateScreen: String { tmux(["display", "-p", "-t", "e2e", "#{alternate_on}"]).trimmingCharacters(in: .whitespacesAndNewlines) }

    func keys(_ keys: String...) { tmux(["send-keys", "-t", "e2e"] + keys) }
    func literal(_ text: String) { tmux(["send-keys", "-t", "e2e", "-l", text]) }

    /// Polls the screen until the condition holds or the timeout passes.
    func waitFor(timeout: Double = 10, _ condition: (String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition(capture()) { return true }
            usleep(50_000)
        }
        return condition(capture())
    }

    /// oomlab has exited: the shell prompt is back, no alternate screen, echo on.
    func expectShellBack(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        #expect(waitFor { _ in self.alternateScreen == "0" }, "alternate screen still on", sourceLocation: sourceLocation)
        tmux(["send-keys", "-t", "e2e", "clear; stty -a | tr ' ;' '\\n\\n' | grep -x -e echo -e -echo | sed 's/^/tty:/'", "Enter"])
        #expect(waitFor { $0.contains("tty:echo") }, "echo is not on: \(capture())", sourceLocation: sourceLocation)
        #expect(!capture().contains("tty:-echo"), sourceLocation: sourceLocation)
        let cursor = tmux(["display", "-p", "-t", "e2e", "#{cursor_flag}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(cursor == "1", "the cursor is hidden", sourceLocation: sourceLocation)
    }
}

struct E2EError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

@Suite("End to end in tmux: crashes", .serialized, .enabled(if: Tmux.available), .slow)
struct EndToEndCrashTests {
    @Test("a fatal signal restores the terminal, then kills the process", arguments: ["SEGV", "ABRT"])
    func fatal(signal: String) throws {
        let t = try Tmux()
        try t.startOOMLab()
        let pane = t.tmux(["display", "-p", "-t", "e2e", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let child = Tmux.shell("pgrep -P \(pane) oomlab").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!child.isEmpty)
        _ = Tmux.shell("kill -\(signal) \(child)")
        try t.expectShellBack()
    }
}
