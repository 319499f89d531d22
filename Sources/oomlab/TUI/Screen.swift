import OOMLabKernel

/// What a cell means, never how it looks: `Theme` maps each style to colours
/// and attributes for the terminal at hand (colour, monochrome, NO_COLOR).
enum Style: Int, CaseIterable, Sendable {
    case normal
    case dim
    case title
    case focusedTitle
    case headerKey
    case running
    case paused
    case switchOn
    case switchOff
    case free
    case anon
    case pageTables
    case fileClean
    case fileDirty
    case writeback
    case slab
    case kernel
    case reservation
    case watermark
    case graph
    case victim
    /// A verdict not decided yet (an OOM victim chosen, not gone).
    case pending
    case blocked
    case selected
    case logKernel
    case logOOM
    case logOOMLab
    case logUser
    case logWarning
    case error
    case good
    case keyName
    case field
    case fieldFocused
    /// Behind the frontier: the run replays what it computed before.
    case rewound
    /// A marker tick on the history graph, and the position when rewound.
    case marker
    /// The first event where the two sides of a fork differ.
    case difference
}

/// One character cell: a single-width Unicode scalar and its meaning.
struct Cell: Equatable, Sendable {
    var char: Unicode.Scalar
    var style: Style
    static let blank = Cell(char: " ", style: .normal)
}

/// A rectangle of cells, in screen coordinates.
struct Rect: Equatable, Sendable {
    var x: Int
    var y: Int
    var width: Int
    var height: Int
    var maxY: Int { y + height }
    var maxX: Int { x + width }
    /// The rectangle without its first `n` rows.
    func dropTop(_ n: Int) -> Rect { Rect(x: x, y: y + n, width: width, height: Swift.max(0, height - n)) }
    func inset(_ dx: Int, _ dy: Int) -> Rect {
        Rect(x: x + dx, y: y + dy, width: Swift.max(0, width - 2 * dx), height: Swift.max(0, height - 2 * dy))
    }
}

/// An in-memory grid of cells that views draw into. The terminal backend
/// diffs it against the previous frame; tests compare `text` with golden files.
struct Screen: Equatable, Sendable {
    let width: Int
    let height: Int
    private(set) var cells: [Cell]
    /// Whether the terminal can show Unicode glyphs (a UTF-8 locale).
    var glyphs = Glyphs(unicode: true)

    init(width: Int, height: Int) {
        self.width = Swift.max(0, width)
        self.height = Swift.max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Puts one scalar, ignoring anything outside the grid.
    mutating func put(_ x: Int, _ y: Int, _ char: Unicode.Scalar, _ style: Style) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        cells[y * width + x] = Cell(char: char, style: style)
    }

    /// Writes text from (x, y), clipped to `limit` columns (and the screen);
    /// text longer than the limit ends in an ellipsis. Returns the x after it.
    @discardableResult
    mutating func write(_ x: Int, _ y: Int, _ text: String, _ style: Style = .normal,
                        limit: Int? = nil) -> Int {
        let room = Swift.min(limit ?? (width - x), width - x)
        guard room > 0, y >= 0, y < height else { return x }
        let scalars = Array(text.unicodeScalars.map { glyphs.unicode ? Screen.printable($0) : Screen.ascii($0) })
        var col = x
        for (i, s) in scalars.enumerated() {
            if col - x >= room { break }
            if i < scalars.count - 1 && col - x == room - 1 && scalars.count > room {
                put(col, y, glyphs.ellipsis, style)
                col += 1
                break
            }
            put(col, y, s, style)
            col += 1
        }
        return col
    }

    /// Fills a rectangle with one character.
    mutating func fill(_ r: Rect, _ char: Unicode.Scalar = " ", _ style: Style = .normal) {
        for yy in Swift.max(0, r.y)..<Swift.min(height, r.maxY) {
            for xx in Swift.max(0, r.x)..<Swift.min(width, r.maxX) {
                cells[yy * width + xx] = Cell(char: char, style: style)
            }
        }
    }

    /// Restyles a rectangle without changing its characters.
    mutating func restyle(_ r: Rect, _ style: Style) {
        for yy in Swift.max(0, r.y)..<Swift.min(height, r.maxY) {
            for xx in Swift.max(0, r.x)..<Swift.min(width, r.maxX) {
                cells[yy * width + xx].style = style
            }
        }
    }

    /// The characters, one line per row, trailing spaces trimmed: what golden
    /// files hold and what tests compare.
    var text: String {
        var lines: [String] = []
        for y in 0..<height {
            var line = String.UnicodeScalarView()
            for x in 0..<width { line.append(cells[y * width + x].char) }
            var s = String(line)
            while s.hasSuffix(" ") { s.removeLast() }
            lines.append(s)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Control characters and wide glyphs would break the grid; draw them as "?".
    static func printable(_ s: Unicode.Scalar) -> Unicode.Scalar {
        if s.value < 0x20 || s.value == 0x7F { return "?" }
        if s.value >= 0x1100 && !(0x2800...0x28FF).contains(s.value) && isWide(s) { return "?" }
        return s
    }

    /// Outside a UTF-8 locale every non-ASCII scalar is drawn as "?".
    static func ascii(_ s: Unicode.Scalar) -> Unicode.Scalar {
        s.value >= 0x20 && s.value < 0x7F ? s : "?"
    }

    private static func isWide(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1FAFF).contains(v) || (0x20000...0x3FFFD).contains(v)
    }
}

/// Box drawing and graph glyphs: Unicode when the locale is UTF-8, ASCII otherwise.
struct Glyphs: Equatable, Sendable {
    var unicode: Bool
    /// Colour tells the bar's categories apart; without it they get letters.
    var color = true
    /// Block glyphs in the memory bar (Unicode and colour), else letters.
    var blocks: Bool { unicode && color }
    var horizontal: Unicode.Scalar { unicode ? "─" : "-" }
    var vertical: Unicode.Scalar { unicode ? "│" : "|" }
    var topLeft: Unicode.Scalar { unicode ? "┌" : "+" }
    var topRight: Unicode.Scalar { unicode ? "┐" : "+" }
    var bottomLeft: Unicode.Scalar { unicode ? "└" : "+" }
    var bottomRight: Unicode.Scalar { unicode ? "┘" : "+" }
    var ellipsis: Unicode.Scalar { unicode ? "…" : "~" }
    var arrow: String { unicode ? "→" : "->" }
    var play: String { unicode ? "▶" : ">" }
    var pause: String { unicode ? "❚❚" : "||" }
}

extension Screen {
    /// A one-row panel title: "─ Title ─────── right".
    mutating func titleBar(_ r: Rect, _ title: String, right: String = "", focused: Bool) {
        guard r.height > 0 else { return }
        fill(Rect(x: r.x, y: r.y, width: r.width, height: 1), glyphs.horizontal, .dim)
        let style: Style = focused ? .focusedTitle : .title
        var x = write(r.x + 1, r.y, " \(title) ", style, limit: r.width - 2)
        if !right.isEmpty {
            let start = Swift.max(x + 1, r.maxX - right.count - 3)
            x = write(start, r.y, " \(right) ", .dim, limit: r.maxX - start - 1)
        }
    }

    /// A bordered box (for dialogs), cleared inside.
    mutating func box(_ r: Rect, title: String) {
        guard r.width >= 2, r.height >= 2 else { return }
        fill(r, " ", .normal)
        for xx in r.x..<r.maxX {
            put(xx, r.y, glyphs.horizontal, .title)
            put(xx, r.maxY - 1, glyphs.horizontal, .title)
        }
        for yy in r.y..<r.maxY {
            put(r.x, yy, glyphs.vertical, .title)
            put(r.maxX - 1, yy, glyphs.vertical, .title)
        }
        put(r.x, r.y, glyphs.topLeft, .title)
        put(r.maxX - 1, r.y, glyphs.topRight, .title)
        put(r.x, r.maxY - 1, glyphs.bottomLeft, .title)
        put(r.maxX - 1, r.maxY - 1, glyphs.bottomRight, .title)
        write(r.x + 2, r.y, " \(title) ", .focusedTitle, limit: r.width - 4)
    }
}

/// Units that stay on the line of the number before them ("0.50 s", "150 MiB").
private let wrapUnits: Set<Substring> = ["s", "s.", "s,", "s;", "s)", "ms", "min", "h", "B", "KiB", "MiB", "GiB", "TiB",
                                         "kB", "pages", "ticks", "%"]

/// Words wrapped to a width, breaking long words; a number and its unit
/// are one word.
func wrap(_ text: String, width: Int) -> [String] {
    guard width > 0 else { return [] }
    var words: [String] = []
    for word in text.split(separator: " ", omittingEmptySubsequences: false) {
        if wrapUnits.contains(word), let last = words.last, last.last?.isNumber == true {
            words[words.count - 1] = last + " " + word
        } else {
            words.append(String(word))
        }
    }
    var lines: [String] = []
    var line = ""
    for word in words {
        var w = word
        while w.count > width {
            if !line.isEmpty { lines.append(line); line = "" }
            lines.append(String(w.prefix(width)))
            w = String(w.dropFirst(width))
        }
        if line.isEmpty {
            line = w
        } else if line.count + 1 + w.count <= width {
            line += " " + w
        } else {
            lines.append(line)
            line = w
        }
    }
    if !line.isEmpty || lines.isEmpty { lines.append(line) }
    return lines
}
