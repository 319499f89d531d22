import CNcurses
import OOMLabKernel

/// The terminal: the only code that talks to curses. It starts and restores
/// the screen, decodes keys, and draws a `Screen` by sending only the cells
/// that changed since the previous frame.
final class Terminal: TerminalDevice {
    private(set) var width = 0
    private(set) var height = 0
    let unicode: Bool
    private(set) var theme = Theme(color: false)
    /// The terminal shows colour and NO_COLOR is unset (whatever the theme).
    private(set) var hasColor = false
    private var previous: Screen?
    private var pairs: [Style: Int16] = [:]
    private var attrs: [Style: UInt32] = [:]
    private var started = false

    /// Sets the locale and installs the signal handlers; call `start` next.
    init() {
        unicode = cn_setup_locale() != 0
        cn_install_signals()
    }

    static var isInteractive: Bool { cn_isatty_stdio() != 0 }

    /// Why TERM cannot draw the interface, or nil: our own words, pointing
    /// to the headless command, instead of ncurses' error and exit.
    static func termProblem(_ environment: [String: String]) -> String? {
        let headless = "use 'oomlab run' for a headless trace"
        guard let term = environment["TERM"], !term.isEmpty else {
            return "TERM is not set, so the interactive interface cannot know how to draw; "
                + "set it to your terminal's type (e.g. TERM=xterm-256color), or \(headless)"
        }
        let shown = term.escapingControlCharacters
        switch cn_term_check(term) {
        case 0: return nil
        case 2: return "no terminfo database describes TERM=\(shown); install ncurses-term, or \(headless)"
        case 3: return "TERM=\(shown) cannot move the cursor, so the interactive interface cannot draw; \(headless)"
        default:
            return "TERM=\(shown) is not a terminal type the terminfo database knows; "
                + "set it to your terminal's type (e.g. TERM=xterm-256color), or \(headless)"
        }
    }

    func start(environment: [String: String], theme name: Theme.Name = .dark) throws {
        guard cn_start() == 0 else { throw TerminalError.cannotStart }
        started = true
        cn_set_cursor(0)
        hasColor = Theme.wantsColor(terminalHasColors: cn_has_colors() != 0, environment: environment)
        if hasColor { cn_start_color_default() }
        theme = Theme(name: name, color: hasColor)
        prepareStyles()
        updateSize()
    }

    var themeName: Theme.Name { theme.name }

    /// Switches to another theme; the next frame repaints every cell.
    func apply(_ name: Theme.Name) {
        guard name != theme.name else { return }
        theme = Theme(name: name, color: hasColor)
        prepareStyles()
        previous = nil
    }

    func stop() {
        guard started else { return }
        cn_set_cursor(1)
        cn_stop()
        started = false
    }

    enum TerminalError: Error, CustomStringConvertible {
        case cannotStart
        var description: String { "cannot start the terminal interface (is TERM set?)" }
    }

    private func prepareStyles() {
        pairs = [:]
        attrs = [:]
        var next: Int16 = 1
        for style in Style.allCases {
            let look = theme.look(style)
            var a = cn_a_normal()
            for attribute in look.attributes {
                switch attribute {
                case .bold: a |= cn_a_bold()
                case .reverse: a |= cn_a_reverse()
                case .underline: a |= cn_a_underline()
                case .dim: a |= cn_a_dim()
                }
            }
            attrs[style] = a
            if theme.color && (look.foreground != .default || look.background != .default)
                && Int(next) < Int(cn_color_pairs()) {
                _ = cn_init_pair(next, Int16(look.foreground.rawValue), Int16(look.background.rawValue))
                pairs[style] = next
                next += 1
            }
        }
    }

    func updateSize() {
        width = Int(cn_cols())
        height = Int(cn_lines())
    }

    /// After SIGWINCH: read the new size; the next frame repaints everything.
    func resized() {
        cn_update_size()
        updateSize()
        previous = nil
    }

    /// Ctrl-Z: restore the terminal, stop, and on resume repaint.
    func suspend() {
        cn_suspend()
        updateSize()
        previous = nil
    }

    /// Draws the cells that differ from the previous frame (`ScreenDiff`).
    func draw(_ screen: Screen) {
        let diff = ScreenDiff(from: previous, to: screen, width: width, height: height)
        // An unchanged screen sends nothing, not even a refresh.
        guard diff.full || !diff.cells.isEmpty else { return }
        if diff.full { _ = cn_clear() }
        for (x, y, cell) in diff.cells {
            // Writing the bottom-right cell scrolls some terminals; curses handles it.
            _ = cn_put(Int32(y), Int32(x), wchar_t(cell.char.value), attrs[cell.style] ?? 0, pairs[cell.style] ?? 0)
        }
        _ = cn_refresh()
        previous = screen
    }

    /// Signals: which quit signal arrived (0 if none), Ctrl-Z, resize.
    var quitSignal: Int32 { cn_quit_signal() }
    func takeSuspend() -> Bool { cn_take_suspend() != 0 }
    func takeResize() -> Bool { cn_take_resize() != 0 }

    /// Waits for input (or a signal) up to `timeoutMs`; negative waits forever.
    /// Returns true when a key can be read.
    func waitForInput(timeoutMs: Int) -> Bool { cn_wait_input(Int32(clamping: timeoutMs)) != 0 }

    /// Reads one key without waiting; nil when there is none.
    func readKey() -> Key? {
        var isKey: Int32 = 0
        let code = cn_get_key(0, &isKey)
        if code < 0 { return nil }
        if isKey != 0 { return decodeFunctionKey(code) }
        return decodeChar(code)
    }

    private func decodeFunctionKey(_ code: Int32) -> Key? {
        switch code {
        case cn_key_up(): return .up
        case cn_key_down(): return .down
        case cn_key_left(): return .left
        case cn_key_right(): return .right
        case cn_key_npage(): return .pageDown
        case cn_key_ppage(): return .pageUp
        case cn_key_home(): return .home
        case cn_key_end(): return .end
        case cn_key_btab(): return .backTab
        case cn_key_dc(): return .delete
        case cn_key_backspace(): return .backspace
        case cn_key_enter(): return .enter
        case cn_key_resize(): return .resize
        default:
            for n in 1...12 where code == cn_key_f(Int32(n)) { return .f(n) }
            return nil
        }
    }

    private func decodeChar(_ code: Int32) -> Key? {
        switch code {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .ctrl(Character(Unicode.Scalar(UInt8(code + 96))))
        default:
            guard let scalar = Unicode.Scalar(UInt32(code)) else { return nil }
            return .char(Character(scalar))
        }
    }

    func nowMs() -> Int { Int(cn_now_ms()) }
}
