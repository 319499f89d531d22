import Foundation
import OOMLab
import OOMLabKernel
import Testing
@testable import OOMLabTUI

/// Themes: a golden screen for each at 80x24 (the text, and how every
/// style on it looks in that theme), and the rules that make light and
/// projector screens readable.
@Suite("Themes")
struct ThemeTests {
    /// The screen's text, then each style it uses with its look in `theme`.
    static func themed(_ state: AppState, theme name: Theme.Name) -> String {
        var state = state
        state.theme = name
        let screen = MainView.render(state, width: 80, height: 24)
        let theme = Theme(name: name, color: true)
        var used: [Style] = []
        for y in 0..<screen.height {
            for x in 0..<screen.width where !used.contains(screen[x, y].style) { used.append(screen[x, y].style) }
        }
        var out = screen.text + "\n-- looks in theme \(name.rawValue) --\n"
        for style in Style.allCases where used.contains(style) {
            let l = theme.look(style)
            out += "\(style)".padding(toLength: 14, withPad: " ", startingAt: 0)
                + "fg \(l.foreground)  bg \(l.background)  " + l.attributes.map { "\($0)" }.joined(separator: " ") + "\n"
        }
        return out
    }

    @Test("a golden screen for each theme at 80x24: the stall, paused, a lock owner and a victim", arguments: Theme.Name.allCases)
    func golden(theme: Theme.Name) {
        let state = Snap.state(ticks: 800)
        Golden.check(Self.themed(state, theme: theme), "theme-\(theme.rawValue)-80x24")
    }

    @Test("light: no yellow or white text on the terminal's background, nothing dim")
    func light() {
        let theme = Theme(name: .light, color: true)
        for style in Style.allCases {
            let l = theme.look(style)
            #expect(!l.attributes.contains(.dim), "\(style) is dim")
            if l.background == .default {
                #expect(l.foreground != .yellow && l.foreground != .white, "\(style) is \(l.foreground) on the background")
            }
        }
    }

    @Test("projector: no meaning by dim, no yellow, white or cyan text on the terminal's background")
    func projector() {
        let theme = Theme(name: .projector, color: true)
        for style in Style.allCases {
            let l = theme.look(style)
            #expect(!l.attributes.contains(.dim), "\(style) is dim")
            if l.background == .default {
                #expect(![.yellow, .white].contains(l.foreground), "\(style) is \(l.foreground) on the background")
            } else {
                #expect(l.foreground != .default, "\(style) has a background but the terminal's foreground")
            }
        }
        // The states the issue named: paused, the lock owner's row, the victim.
        #expect(theme.look(.paused) == Theme.Look(foreground: .black, background: .yellow, attributes: [.bold]))
        #expect(theme.look(.blocked).background == .blue)
        #expect(theme.look(.victim).background == .red)
        #expect(theme.look(.reservation).foreground == .default)
    }

    @Test("mono, NO_COLOR and a monochrome terminal draw without colour in every theme")
    func mono() {
        for name in Theme.Name.allCases {
            let theme = Theme(name: name, color: false)
            #expect(!theme.color)
            #expect(Style.allCases.allSatisfy { theme.look($0).foreground == .default && theme.look($0).background == .default })
        }
        #expect(!Theme(name: .mono, color: true).color)
        var state = Snap.state(ticks: 100)
        state.theme = .mono
        #expect(!state.color, "mono draws the bar with letters, as without colour")
    }

    @Test("C cycles dark, light, projector, mono and says which")
    func cycle() {
        var state = Snap.state(ticks: 0)
        var seen: [Theme.Name] = []
        for _ in 0..<4 {
            Snap.press(&state, [.char("C")])
            seen.append(state.theme)
        }
        #expect(seen == [.light, .projector, .mono, .dark])
        #expect(state.message?.text == "theme: dark")
    }
}

@Suite("The config file")
struct UserConfigTests {
    let themes = Theme.Name.allCases.map(\.rawValue)

    @Test("theme: with comments and blank lines")
    func parse() throws {
        let c = try UserConfig.parse("# mine\n\n  theme: projector   # for the workshop\r\n", file: "config", themes: themes)
        #expect(c.theme == "projector")
        #expect(try UserConfig.parse("", file: "config", themes: themes) == UserConfig())
    }

    @Test("a broken file is a located error with a suggestion")
    func errors() {
        #expect(throws: ScenarioError("unknown theme 'projecter'; the themes are dark, light, projector, mono",
                                      at: SourceLocation(file: "config", line: 2, column: 8), suggestion: "projector")) {
            try UserConfig.parse("# x\ntheme: projecter\n", file: "config", themes: themes)
        }
        #expect(throws: ScenarioError("unknown key 'them'; the keys are theme",
                                      at: SourceLocation(file: "config", line: 1, column: 3), suggestion: "theme")) {
            try UserConfig.parse("  them: dark\n", file: "config", themes: themes)
        }
        #expect(throws: ScenarioError("expected 'key: value', such as 'theme: light'",
                                      at: SourceLocation(file: "config", line: 1, column: 1))) {
            try UserConfig.parse("dark\n", file: "config", themes: themes)
        }
    }

    @Test("the path follows XDG_CONFIG_HOME, else ~/.config")
    func path() {
        #expect(UserConfig.path(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]) == "/x/oomlab/config")
        #expect(UserConfig.path(environment: ["XDG_CONFIG_HOME": "relative", "HOME": "/h"]) == "/h/.config/oomlab/config")
        #expect(UserConfig.path(environment: ["HOME": "/h"]) == "/h/.config/oomlab/config")
        #expect(UserConfig.path(environment: [:]) == nil)
    }

    @Test("saving creates the folder, replaces the file atomically, and loads back; a missing file is the default")
    func saveAndLoad() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("oomlab-config-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.path + "/oomlab/config"
        #expect(try UserConfig.load(path: path, themes: themes) == UserConfig())
        try UserConfig(theme: "light").save(to: path)
        try UserConfig(theme: "mono").save(to: path)
        #expect(try UserConfig.load(path: path, themes: themes) == UserConfig(theme: "mono"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/oomlab")
        #expect(leftovers == ["config"], "no temporary file is left behind")
    }
}

@Suite("oomlab tui --theme")
struct ThemeOptionTests {
    @Test("an unknown theme is a usage error with a suggestion (exit 64), before any terminal check")
    func unknown() throws {
        let r = try Binary.run(["tui", "--theme", "projecter"])
        #expect(r.status == 64)
        #expect(r.stderr.hasPrefix("Error: --theme takes dark, light, projector, mono, not 'projecter'; did you mean 'projector'?\n"))
    }
}
