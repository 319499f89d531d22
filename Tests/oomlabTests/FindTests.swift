import Foundation
import OOMLab
import OOMLabKernel
import Testing
@testable import OOMLabTUI

/// Finding things fast: sorting the task table, jumping to the OOM victim,
/// the picker's filter and teaching order, a log line shown whole.
@Suite("Finding things: sort, victim, filter, log line")
struct FindTests {
    @Test("> and F6 sort by the next column, < by the previous; live tasks largest first, the dead last by pid")
    func sort() {
        var state = Snap.state(ticks: 300)
        #expect(state.taskRows.map(\.pid) == [412, 1337, 2001])
        Snap.press(&state, [.char(">")])
        #expect(state.taskSort == .rss)
        let rss = state.taskRows.filter(\.isAlive).map(\.rss)
        #expect(rss == rss.sorted(by: >))
        #expect(state.taskRows.map(\.pid) == [1337, 2001, 412])
        Snap.press(&state, [.f(6)])
        #expect(state.taskSort == .score)
        let scores = state.taskRows.filter(\.isAlive).map { state.kernel.oomScore(of: $0) }
        #expect(scores == scores.sorted(by: >))
        Snap.press(&state, [.char(">")])
        #expect(state.taskSort == .pid)
        Snap.press(&state, [.char("<")])
        #expect(state.taskSort == .score)
        #expect(state.message?.text == "tasks sorted by score, largest first (< > or F6 for another column)")
        let screen = MainView.render(state, width: 80, height: 24).text
        #expect(screen.contains(" by score "))
    }

    @Test("after a kill the dead go last whatever the sort")
    func deadLast() {
        var state = Snap.state(ticks: 300)
        Snap.press(&state, [.char(">"), .char("x")])   // rss: postgres first; kill it
        state.run.seek(to: 3000)
        let rows = state.taskRows
        let firstDead = rows.firstIndex { !$0.isAlive } ?? rows.count
        #expect(rows[firstDead...].allSatisfy { !$0.isAlive })
        #expect(rows[..<firstDead].allSatisfy { $0.isAlive })
    }

    @Test("J selects the OOM victim, and says when there is none yet")
    func victim() {
        var early = Snap.state(ticks: 10)
        Snap.press(&early, [.char("J")])
        #expect(early.message == AppState.Message(text: "no OOM victim yet: the OOM killer has not killed anything", isError: true))
        var state = Snap.state(ticks: Snap.firstKillTick + 10)
        Snap.press(&state, [.tab, .char("J")])
        #expect(state.selectedPid == 1337)
        #expect(state.focus == .tasks)
        #expect(state.message?.text == "OOM victim 1 of 1: postgres[1337], still alive with TIF_MEMDIE")
    }

    @Test("Enter on the focused log shows its highlighted line whole; Esc closes it")
    func logLine() {
        var state = Snap.state(ticks: 800)
        Snap.press(&state, [.tab, .tab])
        #expect(state.focus == .log)
        Snap.press(&state, [.up, .up, .enter])
        guard case .line(let i) = state.overlay else { Issue.record("no line overlay: \(state.overlay)"); return }
        #expect(i == state.logLines.count - 3)
        #expect(!state.running, "Enter on the log does not run")
        let screen = MainView.render(state, width: 80, height: 24).text.replacingOccurrences(of: "\n", with: " ")
        let words = String(state.logLines[i].text.split(separator: " ").last ?? "")
        #expect(screen.contains(words), "the line's end is on screen, not cut off")
        Snap.press(&state, [.escape])
        #expect(state.overlay == .none)
        Snap.press(&state, [.tab, .enter])
        #expect(state.running, "with the tasks focused Enter runs as before")
    }

    static func picker() -> (AppState, FakeFiles) {
        let files = FakeFiles()
        for name in ["simple-leak", "oom-score-adj", "xfs-kmem-alloc-loop", "oom-reaper"] {
            files.presets[name] = Session(scenario: .defaultScenario)
        }
        var state = Snap.state(ticks: 0)
        Snap.press(&state, [.char("o")], files: files)
        return (state, files)
    }

    @Test("/ filters the picker as you type; j and k type too; Enter opens the match; Esc clears, then closes")
    func filter() throws {
        var (state, files) = Self.picker()
        Snap.press(&state, [.char("/")] + Snap.type("oom-"), files: files)
        guard case .picker(let p) = state.overlay else { Issue.record("no picker"); return }
        #expect(p.filter == "oom-")
        #expect(p.visible.map(\.label) == ["oom-reaper", "oom-score-adj"])
        let screen = MainView.render(state, width: 80, height: 24).text
        #expect(screen.contains("/ oom-_"))
        #expect(screen.contains("2 of 4"))
        Snap.press(&state, [.char("k")], files: files)
        guard case .picker(let typed) = state.overlay else { Issue.record("no picker"); return }
        #expect(typed.filter == "oom-k", "k types into the filter instead of moving")
        #expect(typed.visible.isEmpty)
        Snap.press(&state, [.enter], files: files)
        #expect(state.message?.text == "nothing matches 'oom-k'; Backspace or Esc to change the filter")
        Snap.press(&state, [.backspace, .char("s"), .enter], files: files)
        #expect(state.overlay == .none)
        #expect(state.message?.text == "opened oom-score-adj")

        var (again, _) = Self.picker()
        Snap.press(&again, [.char("/"), .char("x"), .escape], files: files)
        guard case .picker(let cleared) = again.overlay else { Issue.record("Esc closed the picker"); return }
        #expect(cleared.filter == nil)
        Snap.press(&again, [.escape], files: files)
        #expect(again.overlay == .none)
    }

    @Test("presets list in teaching order: the order file first, the rest by name")
    func teachingOrder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("oomlab-order-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in ["alpha", "beta", "gamma", "delta"] {
            try ScenarioWriter.yaml(for: .defaultScenario).write(toFile: dir.path + "/\(name).yaml", atomically: true, encoding: .utf8)
        }
        try "# teach these first\ngamma\n\nalpha  # then this\nnot-a-preset\ngamma\n"
            .write(toFile: dir.path + "/teaching-order.txt", atomically: true, encoding: .utf8)
        let library = PresetLibrary(directories: [dir.path])
        #expect(library.teachingOrder() == ["gamma", "alpha"])
        #expect(library.list().map(\.name) == ["gamma", "alpha", "beta", "delta"])
        let files = PresetFiles(library: library, folder: dir.path)
        // Lessons come first in the picker (from the lesson search path); the presets follow in order.
        let entries = files.openable()
        #expect(entries.prefix { $0.isLesson }.count == entries.filter(\.isLesson).count)
        #expect(entries.filter { !$0.isLesson }.prefix(4).map(\.label) == ["gamma", "alpha", "beta", "delta"])
    }

    @Test("the shipped order file names every shipped preset once")
    func shippedOrder() throws {
        let library = PresetLibrary(directories: [Binary.packageRoot.appendingPathComponent("presets").path])
        #expect(library.teachingOrder().sorted() == library.names())
    }

    @Test("pid columns hold seven digits (pid_max 4194304)")
    func widePids() throws {
        var scenario = Scenario.defaultScenario
        scenario.tasks[2].pid = 4_194_304
        let state = AppState(scenario: scenario)
        let screen = MainView.render(state, width: 80, height: 24).text
        #expect(screen.contains(" 4194304 journald "))
        // The locks panel: a seven-digit owner and a seven-digit waiter keep
        // their columns. (Both renumbered, so that xfs-writer still runs before
        // postgres in pid order and postgres is asleep on agf at the kill.)
        var locked = Scenario.defaultScenario
        locked.tasks[0].pid = 4_194_303
        locked.tasks[1].pid = 4_194_304
        var held = AppState(scenario: locked)
        for _ in 0..<300 { held.run.step() }
        let panel = MainView.render(held, width: 80, height: 24).text
        #expect(panel.contains("agf      w 4194303 4194304"), "\(panel)")
    }
}
