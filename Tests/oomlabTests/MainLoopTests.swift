import Foundation
import Testing
@testable import OOMLabTUI
import OOMLabKernel

/// A terminal with a scripted clock and keys: waiting moves the clock on,
/// to the next key or by the timeout. With no keys left a wait forever is
/// answered with SIGTERM, so a loop that would hang ends instead.
final class ScriptedTerminal: TerminalDevice {
    var width = 100
    var height = 30
    var now = 0
    var keys: [(at: Int, key: Key)]
    var frames: [(at: Int, screen: Screen)] = []
    var waits: [Int] = []
    private(set) var quitSignal: Int32 = 0

    init(keys: [(at: Int, key: Key)]) { self.keys = keys }

    private(set) var themeName: Theme.Name = .dark
    func apply(_ name: Theme.Name) { themeName = name }
    func takeSuspend() -> Bool { false }
    func suspend() {}
    func takeResize() -> Bool { false }
    func resized() {}
    func draw(_ screen: Screen) { frames.append((now, screen)) }
    func nowMs() -> Int { now }

    func waitForInput(timeoutMs: Int) -> Bool {
        waits.append(timeoutMs)
        guard let next = keys.first else {
            if timeoutMs < 0 { quitSignal = 15 } else { now += timeoutMs }
            return false
        }
        if timeoutMs < 0 || next.at <= now + timeoutMs {
            now = Swift.max(now, next.at)
            return true
        }
        now += timeoutMs
        return false
    }

    func readKey() -> Key? {
        guard let next = keys.first, next.at <= now else { return nil }
        keys.removeFirst()
        return next.key
    }
}

@Suite("The main loop with a scripted terminal")
struct MainLoopTests {
    func loop(_ terminal: ScriptedTerminal, speed: Int? = 100) -> MainLoop {
        var state = Snap.state(ticks: 0)
        state.speedIndex = AppState.speeds.firstIndex(of: speed) ?? 0
        return MainLoop(state: state, terminal: terminal, files: FakeFiles())
    }

    @Test("q quits with 0 after drawing the first frame; paused, the loop waits forever")
    func quit() {
        let t = ScriptedTerminal(keys: [(500, .char("q"))])
        var l = loop(t)
        #expect(l.run() == 0)
        #expect(t.frames.count == 1 && t.frames[0].screen.text.contains("tick 0 "))
        #expect(t.waits == [-1], "paused: no timeout, no CPU")
        #expect(l.state.kernel.tick == 0)
    }

    @Test("C: the next frame is drawn in the new theme and the config file remembers it")
    func theme() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("oomlab-loop-theme-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.path + "/oomlab/config"
        let t = ScriptedTerminal(keys: [(100, .char("C")), (200, .char("C")), (300, .char("q"))])
        var l = loop(t)
        l.configPath = path
        #expect(l.run() == 0)
        #expect(t.themeName == .projector)
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasSuffix("\ntheme: projector\n"))
        #expect(t.frames.last?.screen.text.contains("theme: projector") == true)
    }

    @Test("a quit signal ends the loop with that signal")
    func signal() {
        let t = ScriptedTerminal(keys: [])
        var l = loop(t)
        #expect(l.run() == 15)
    }

    @Test("running at 100 ticks a second for 2 s of clock steps 200 ticks, at most one frame per Pacer.frameMs")
    func pace() {
        let t = ScriptedTerminal(keys: [(0, .char("p")), (2005, .char("p")), (2500, .char("q"))])
        var l = loop(t, speed: 100)
        #expect(l.run() == 0)
        #expect(l.state.kernel.tick == 200, "due by 2005 ms: 2000 * 100 / 1000, the next at 2010")
        let running = t.frames.filter { $0.at > 0 && $0.at < 2000 }
        #expect(running.count <= 2000 / Pacer.frameMs + 1)
        #expect(running.count >= 2000 / Pacer.frameMs - 1, "a frame every frameMs while ticks change the screen")
        for (a, b) in zip(running, running.dropFirst()) { #expect(b.at - a.at >= Pacer.frameMs) }
        #expect(l.state.achievedRate == nil, "pausing forgets the rate reached")
    }

    @Test("the rate reached is measured once a second while running")
    func rate() throws {
        let t = ScriptedTerminal(keys: [(0, .char("p")), (1500, .char("q"))])
        var l = loop(t, speed: 50)
        _ = l.run()
        let rate = try #require(l.state.achievedRate)
        #expect((48...50).contains(rate), "50 ticks over the first second or a few ms more: \(rate)")
    }
}

@Suite("Pacer")
struct PacerTests {
    @Test("ticks due follow the clock, two frames' worth at most at once; more than a second behind, it gives up")
    func due() {
        var p = Pacer(now: 0, tick: 0, speed: 100)
        _ = p.follow(running: true, speed: 100, now: 0, tick: 0)
        #expect(p.ticksDue(now: 50, speed: 100) == 5)
        p.didStep(5)
        let twoFrames = 100 * 2 * Pacer.frameMs / 1000
        #expect(p.ticksDue(now: 500, speed: 100) == Swift.min(45, twoFrames), "45 due, two frames' worth at most at once")
        p.didStep(10)
        #expect(p.waitMs(now: 500, running: true, speed: 100, moving: false, dirty: false, lastFrame: 0) == 0)
        // 5 s later: 485 due, far behind; the pace restarts from where it is.
        let todo = p.ticksDue(now: 5500, speed: 100)
        #expect(todo == twoFrames)
        #expect(p.origin == 5500 - 150)
    }

    @Test("the wait: forever when paused, to the next tick or frame when running, none at max speed")
    func wait() {
        var p = Pacer(now: 0, tick: 0, speed: 2)
        #expect(p.waitMs(now: 0, running: false, speed: 2, moving: false, dirty: false, lastFrame: 0) == -1)
        #expect(p.waitMs(now: 0, running: false, speed: 2, moving: true, dirty: false, lastFrame: 0) == 0)
        _ = p.follow(running: true, speed: 2, now: 0, tick: 0)
        #expect(p.waitMs(now: 20, running: true, speed: 2, moving: false, dirty: false, lastFrame: 0) == 480, "the next tick at 500 ms")
        #expect(p.waitMs(now: 20, running: true, speed: 2, moving: false, dirty: true, lastFrame: 0) == Pacer.frameMs - 20,
                "a frame is due first")
        #expect(p.waitMs(now: 20, running: true, speed: nil, moving: false, dirty: false, lastFrame: 0) == 0)
        // At 100 ticks a second the loop wakes once a frame, not once a tick.
        var fast = Pacer(now: 0, tick: 0, speed: 100)
        _ = fast.follow(running: true, speed: 100, now: 0, tick: 0)
        fast.didStep(100)   // up to date at 1 s
        #expect(fast.waitMs(now: 1000, running: true, speed: 100, moving: false, dirty: false, lastFrame: 1000) == Pacer.frameMs,
                "the next tick is due in 10 ms, the next frame in 100: wake for the frame")
        #expect(fast.ticksDue(now: 1000 + Pacer.frameMs, speed: 100) == 100 * Pacer.frameMs / 1000, "and step its ticks then")
        #expect(Pacer.shouldDraw(dirty: true, running: true, now: Pacer.frameMs - 1, lastFrame: 0) == false)
        #expect(Pacer.shouldDraw(dirty: true, running: true, now: Pacer.frameMs, lastFrame: 0))
        #expect(Pacer.shouldDraw(dirty: false, running: true, now: Pacer.frameMs, lastFrame: 0) == false, "nothing changed: no frame")
        #expect(Pacer.shouldDraw(dirty: true, running: false, now: 1, lastFrame: 0), "paused: draw at once")
    }
}

@Suite("Screen diff")
struct ScreenDiffTests {
    @Test("the first frame is full; the next sends only changed cells, clipped to the terminal")
    func diff() {
        var a = Screen(width: 4, height: 2)
        _ = a.write(0, 0, "abcd", .dim)
        let first = ScreenDiff(from: nil, to: a, width: 3, height: 2)
        #expect(first.full && first.cells.count == 6, "3x2 inside the terminal")
        var b = a
        _ = b.write(1, 0, "X", .dim)
        _ = b.write(3, 1, "Y", .dim)
        let next = ScreenDiff(from: a, to: b, width: 3, height: 2)
        #expect(!next.full)
        #expect(next.cells.map { "\($0.x),\($0.y),\($0.cell.char)" } == ["1,0,X"], "(3,1) lies outside the terminal")
        #expect(ScreenDiff(from: b, to: b, width: 4, height: 2).cells.isEmpty)
        #expect(ScreenDiff(from: a, to: Screen(width: 5, height: 2), width: 5, height: 2).full, "a new size repaints")
    }
}
