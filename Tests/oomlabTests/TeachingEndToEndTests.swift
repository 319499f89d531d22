import Foundation
import Testing

/// Teaching features through the real binary in tmux: the caption, auto-pause,
/// the notes, and a shipped lesson from its first step to its score.
@Suite("End to end in tmux: teaching", .serialized, .enabled(if: Tmux.available))
struct TeachingEndToEndTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// oomlab with the repository's presets and lessons, and `arguments`.
    func start(_ t: Tmux, _ arguments: String) throws {
        try t.startShell()
        t.literal("PS1='e2e$ '; clear; OOMLAB_PRESETS='\(Self.root)/presets' OOMLAB_LESSONS='\(Self.root)/lessons' '\(Tmux.binary)' \(arguments)")
        t.keys("Enter")
        guard t.waitFor(timeout: 20, { $0.contains("Memory") && $0.contains("Tasks") }) else {
            throw E2EError("oomlab did not start: \(t.capture())")
        }
    }

    @Test("a cue's text appears in the caption area when its tick is reached")
    func cueInCaption() throws {
        let t = try Tmux()
        try start(t, "tui simple-leak")
        #expect(t.capture().contains("5 cues in this scenario, shown here as the run reaches them"))
        t.literal("g")
        t.literal("779")
        t.keys("Enter")
        #expect(t.waitFor { $0.contains("cue 4/5 7.79 s: leaky's page fault invokes the OOM killer.") }, "\(t.capture())")
        t.literal("q")
        try t.expectShellBack()
    }

    @Test("with --pause-at kills, running stops at the first OOM kill and the status line says why")
    func autoPause() throws {
        let t = try Tmux()
        try start(t, "tui xfs-kmem-alloc-loop --pause-at kills")
        for _ in 0..<6 { t.literal("+") }
        t.literal("p")
        #expect(t.waitFor(timeout: 30) { $0.contains("auto-pause at tick 212 (2.12 s): the OOM killer killed postgres[1337]; p runs on") },
                "\(t.capture())")
        #expect(t.capture().contains("tick 212 of 3000"))
        t.literal("q")
        try t.expectShellBack()
    }

    @Test("i shows the preset's notes")
    func notes() throws {
        let t = try Tmux()
        try start(t, "tui oom-reaper")
        t.literal("i")
        #expect(t.waitFor { $0.contains("Notes: oom-reaper") && $0.contains("What it shows") }, "\(t.capture())")
        t.keys("Escape")
        #expect(t.waitFor { !$0.contains("Notes: oom-reaper") })
        t.literal("q")
        try t.expectShellBack()
    }

    @Test("a lesson runs from its first step to its score")
    func lesson() throws {
        let t = try Tmux()
        try start(t, "tui --lesson from-4.0-to-6.x")
        #expect(t.waitFor { $0.contains("Step 1/5") && $0.contains("Q: Will the machine recover?") }, "\(t.capture())")
        // Every step: answer 1, then on to the next.
        for step in 1...5 {
            #expect(t.waitFor { $0.contains("Step \(step)/5") }, "\(t.capture())")
            t.literal("1")
            #expect(t.waitFor { $0.contains("you said") }, "\(t.capture())")
            t.literal("}")
        }
        #expect(t.waitFor { $0.contains("Lesson done: ") && $0.contains(" of 5 answered right") }, "\(t.capture())")
        t.literal("q")
        try t.expectShellBack()
    }
}
