import Foundation
import OOMLab
import Testing
@testable import OOMLabTUI
import OOMLabKernel

/// A folder-less ScenarioFiles for reducer tests.
final class FakeFiles: ScenarioFiles {
    var saved: [String: Session] = [:]
    var presets: [String: Session] = [:]
    func openable() -> [AppState.Picker.Entry] {
        presets.keys.sorted().map { AppState.Picker.Entry(label: $0, detail: "", path: $0) }
    }
    func load(path: String) throws -> Session {
        guard let s = presets[path] ?? saved[path] else { throw FakeFiles.Failure("no such file '\(path)'") }
        return s
    }
    func exists(path: String) -> Bool { saved[path] != nil || presets[path] != nil }
    func save(_ session: Session, to path: String, overwrite: Bool) throws -> String {
        if saved[path] != nil && !overwrite { throw FakeFiles.Failure("'\(path)' already exists; not overwriting it") }
        saved[path] = session
        return ""
    }

    /// An error worded as the real files' errors are.
    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}

/// States of the default scenario at fixed ticks: deterministic snapshots.
enum Snap {
    /// The tick of the default scenario's first OOM kill (found by stepping,
    /// so kernel changes move it without breaking the tests that use it).
    static let firstKillTick: Int = {
        var k = Kernel(scenario: .defaultScenario)
        while k.oomKills.isEmpty && k.tick < 10_000 { k.step() }
        return k.tick
    }()

    /// The tick at which the default scenario first logs something (narration cues aside, as `u` skips them).
    static let firstEventTick: Int = {
        var k = Kernel(scenario: .defaultScenario)
        while k.tick < 10_000 { if k.step().contains(where: { $0.kind != .user && !$0.isCue }) { break } }
        return k.tick
    }()

    /// The default scenario without its narration cues, for tests of the
    /// kernel's markers.
    static let uncued: Scenario = {
        var s = Scenario.defaultScenario
        s.cues = []
        return s
    }()

    static func state(ticks: Int, unicode: Bool = true, scenario: Scenario = .defaultScenario) -> AppState {
        var state = AppState(scenario: scenario, unicode: unicode)
        state.run.seek(to: ticks)
        return state
    }

    static func press(_ state: inout AppState, _ keys: [Key], files: ScenarioFiles = FakeFiles()) {
        for key in keys { state.handle(key, files: files) }
    }

    static func type(_ text: String) -> [Key] { text.map { Key.char($0) } }
}

@Suite("Screens against golden files")
struct ScreenGoldenTests {
    static let sizes = [(80, 24), (132, 40)]

    @Test("the start of the default scenario", arguments: sizes)
    func start(size: (Int, Int)) {
        let s = MainView.render(Snap.state(ticks: 0), width: size.0, height: size.1)
        Golden.check(s.text, "start-\(size.0)x\(size.1)")
    }

    @Test("right after the first OOM kill", arguments: sizes)
    func afterKill(size: (Int, Int)) {
        let s = MainView.render(Snap.state(ticks: Snap.firstKillTick), width: size.0, height: size.1)
        Golden.check(s.text, "kill-\(size.0)x\(size.1)")
    }

    @Test("the stall, with the victim's wait chain explained", arguments: sizes)
    func explain(size: (Int, Int)) {
        var state = Snap.state(ticks: 800)
        Snap.press(&state, [.down, .char("e")])
        #expect(state.overlay == .explain(pid: 1337, scroll: 0))
        Golden.check(MainView.render(state, width: size.0, height: size.1).text, "explain-\(size.0)x\(size.1)")
    }

    @Test("help", arguments: sizes)
    func help(size: (Int, Int)) {
        var state = Snap.state(ticks: 0)
        Snap.press(&state, [.char("?")])
        Golden.check(MainView.render(state, width: size.0, height: size.1).text, "help-\(size.0)x\(size.1)")
    }

    @Test("the add-task form")
    func addTaskForm() {
        var state = Snap.state(ticks: 100)
        Snap.press(&state, [.char("a"), .tab, .right, .right])
        Golden.check(MainView.render(state, width: 80, height: 24).text, "add-task-80x24")
    }

    @Test("ASCII glyphs when the locale is not UTF-8")
    func ascii() {
        let s = MainView.render(Snap.state(ticks: 400, unicode: false), width: 80, height: 24)
        #expect(s.text.unicodeScalars.allSatisfy { $0.isASCII })
        Golden.check(s.text, "ascii-80x24")
    }

    @Test("a terminal below 80x24 gets a message, not a crash", arguments: [(40, 10), (79, 24), (80, 23), (1, 1), (0, 0)])
    func tooSmall(size: (Int, Int)) {
        let s = MainView.render(Snap.state(ticks: 10), width: size.0, height: size.1)
        if size.0 >= 40 {
            #expect(s.text.replacingOccurrences(of: "\n", with: " ").contains("need 80x24, have \(size.0)x\(size.1)"))
        }
    }

    @Test("too small at 40x10")
    func tooSmallGolden() {
        Golden.check(MainView.render(Snap.state(ticks: 0), width: 40, height: 10).text, "too-small-40x10")
    }
}

@Suite("Screen grid")
struct ScreenGridTests {
    @Test("writing clips to the limit with an ellipsis")
    func clip() {
        var s = Screen(width: 10, height: 1)
        s.write(0, 0, "abcdefghijkl")
        #expect(s.text == "abcdefghi…\n")
        s.write(0, 0, "xyz", limit: 3)
        #expect(s.text == "xyzdefghi…\n")
    }

    @Test("control characters never reach the terminal")
    func control() {
        var s = Screen(width: 5, height: 1)
        s.write(0, 0, "a\u{1b}b\tc")
        #expect(s.text == "a?b?c\n")
    }

    @Test("bar cells add up to the width and show small categories", arguments: [10, 78, 130])
    func barCells(width: Int) {
        let counts = MemoryView.cells(for: [60000, 1, 0, 5000, 1], width: width)
        #expect(counts.reduce(0, +) == width)
        #expect(counts[1] == 1 && counts[2] == 0 && counts[4] == 1)
    }

    @Test("sizes read the way free(1) -h does")
    func sizes() {
        #expect(Format.size(pages: 0) == "0")
        #expect(Format.size(pages: 81) == "324K")
        #expect(Format.size(pages: 506) == "1.9M")
        #expect(Format.size(pages: 38400) == "150M")
        #expect(Format.size(pages: 65536 * 16) == "4096M")
        #expect(Format.size(pages: 65536 * 64) == "16.0G")
    }
}

/// A thread's row shows its process's rss (get_mm_rss of the shared mm, as
/// /proc/PID/status VmRSS does), not its own entry's 0: in the task table
/// and in the fork view's.
@Suite("Thread rows")
struct ThreadRowTests {
    static let mib = 256

    /// java (pid 10, 20 MiB) and its thread java-gc (11), postgres (20, 8 MiB).
    static let scenario: Scenario = {
        let sleep: [Op] = [.sleep(ticks: 1_000_000)]
        var thread = TaskSpec(pid: 11, name: "java-gc", anonPages: 0, program: sleep)
        thread.tgid = 10
        return Scenario(name: "threads", ticks: 1000, machine: MachineConfig(ramPages: 128 * mib), tasks: [
            TaskSpec(pid: 10, name: "java", anonPages: 20 * mib, program: sleep), thread,
            TaskSpec(pid: 20, name: "postgres", anonPages: 8 * mib, program: sleep),
        ])
    }()

    /// The start of a row as the table draws it: flag, pid, name, state, rss.
    static func row(_ k: Kernel, pid: Int, nameWidth: Int, rss: String) -> String {
        let t = k.task(pid: pid)!
        return Format.right(String(pid), TaskListView.pidWidth) + " " + Format.left(t.name, nameWidth) + " "
            + t.state.rawValue.prefix(1).uppercased() + " " + Format.right(rss, 6)
    }

    @Test("the task table: both threads show the mm's 20M, postgres its own 8.0M")
    func taskTable() {
        let state = Snap.state(ticks: 5, scenario: Self.scenario)
        let k = state.kernel
        #expect(k.task(pid: 11)?.rss == 0, "the thread's entry carries no pages")
        let screen = MainView.render(state, width: 80, height: 24).text
        for pid in [10, 11] {
            #expect(screen.contains(Self.row(k, pid: pid, nameWidth: 15, rss: "20M")), "pid \(pid):\n\(screen)")
        }
        #expect(screen.contains(Self.row(k, pid: 20, nameWidth: 15, rss: "8.0M")), "\(screen)")
    }

    @Test("sorted by rss, the threads come first, in pid order, and their rows agree")
    func sortedByRSS() {
        var state = Snap.state(ticks: 5, scenario: Self.scenario)
        state.taskSort = .rss
        #expect(state.taskRows.map(\.pid) == [10, 11, 20])
    }

    @Test("the fork view's task rows show the mm's rss too")
    func forkView() {
        var state = Snap.state(ticks: 5, scenario: Self.scenario)
        Snap.press(&state, [.char("f"), .enter])
        guard let sides = state.forkSides else { Issue.record("no fork"); return }
        let screen = MainView.render(state, width: 132, height: 40).text
        for k in [sides.left.kernel, sides.right.kernel] {
            for pid in [10, 11] {
                #expect(screen.contains(Self.row(k, pid: pid, nameWidth: 9, rss: "20M")), "pid \(pid):\n\(screen)")
            }
        }
    }
}
