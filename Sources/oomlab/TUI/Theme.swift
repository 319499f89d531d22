import OOMLabKernel

/// How a semantic style looks on this terminal. Colours use the terminal's
/// default background (-1), so light terminals and projectors work; without
/// colour (NO_COLOR, or a monochrome terminal) meaning is carried by bold,
/// reverse, underline and by the symbols the views always draw.
///
/// Four themes, chosen with `--theme` or the key `C` (remembered in the
/// config file, `UserConfig`):
/// - `dark`: colours tuned for a dark background (the default);
/// - `light`: no yellow or white text, no dim: they vanish on white;
/// - `projector`: high contrast on any background: states are coloured
///   backgrounds (black on yellow, white on red or blue) and text in the
///   terminal's own foreground; nothing carries meaning by dim, or by bold
///   yellow or white;
/// - `mono`: no colour at all (what NO_COLOR and monochrome terminals get).
struct Theme: Sendable {
    enum Color: Int, Sendable {
        case `default` = -1, black = 0, red, green, yellow, blue, magenta, cyan, white
    }
    enum Attribute: Sendable { case bold, reverse, underline, dim }

    struct Look: Equatable, Sendable {
        var foreground: Color = .default
        var background: Color = .default
        var attributes: [Attribute] = []
    }

    enum Name: String, CaseIterable, Sendable {
        case dark, light, projector, mono

        /// The next theme, for the key `C`.
        var next: Name { Name.allCases[(Name.allCases.firstIndex(of: self)! + 1) % Name.allCases.count] }
    }

    let name: Name
    /// The terminal shows colour and NO_COLOR is unset; `mono` never uses it.
    let color: Bool

    init(name: Name = .dark, color: Bool) {
        self.name = name
        self.color = color && name != .mono
    }

    /// Whether to use colour: the terminal has it and NO_COLOR is unset or empty.
    static func wantsColor(terminalHasColors: Bool, environment: [String: String]) -> Bool {
        terminalHasColors && (environment["NO_COLOR"] ?? "").isEmpty
    }

    func look(_ style: Style) -> Look {
        guard color else { return monoLook(style) }
        switch name {
        case .dark, .mono: return colorLook(style)
        case .light: return lightLook(style) ?? colorLook(style)
        case .projector: return projectorLook(style)
        }
    }

    private func colorLook(_ style: Style) -> Look {
        switch style {
        case .normal: return Look()
        case .dim: return Look(attributes: [.dim])
        case .title: return Look(attributes: [.bold])
        case .focusedTitle: return Look(foreground: .cyan, attributes: [.bold])
        case .headerKey: return Look(foreground: .cyan, attributes: [.bold])
        case .running: return Look(foreground: .green, attributes: [.bold])
        case .paused: return Look(foreground: .yellow, attributes: [.bold])
        case .switchOn: return Look(foreground: .green, attributes: [.bold])
        case .switchOff: return Look(attributes: [])
        case .free: return Look(foreground: .green)
        case .anon: return Look(foreground: .magenta)
        case .pageTables: return Look(foreground: .red)
        case .fileClean: return Look(foreground: .blue)
        case .fileDirty: return Look(foreground: .yellow)
        case .writeback: return Look(foreground: .yellow, attributes: [.bold])
        case .slab: return Look(foreground: .cyan)
        case .kernel: return Look(attributes: [.dim])
        case .reservation: return Look(foreground: .white, attributes: [.bold])
        case .watermark: return Look(foreground: .red, attributes: [.bold])
        case .graph: return Look(foreground: .green)
        case .victim: return Look(foreground: .red, attributes: [.bold, .reverse])
        // Black on yellow, not reverse: reverse would put the terminal's own
        // background colour on yellow, unreadable on light screens.
        case .pending: return Look(foreground: .black, background: .yellow, attributes: [.bold])
        case .blocked: return Look(foreground: .yellow, attributes: [.bold])
        case .selected: return Look(attributes: [.reverse])
        case .logKernel: return Look()
        case .logOOM: return Look(foreground: .red, attributes: [.bold])
        case .logOOMLab: return Look(foreground: .magenta, attributes: [.bold])
        case .logUser: return Look(foreground: .cyan)
        case .logWarning: return Look(foreground: .yellow)
        case .error: return Look(foreground: .red, attributes: [.bold, .reverse])
        case .good: return Look(foreground: .green, attributes: [.bold])
        case .keyName: return Look(attributes: [.bold, .reverse])
        case .field: return Look(attributes: [.underline])
        case .fieldFocused: return Look(attributes: [.reverse])
        case .rewound: return Look(foreground: .yellow, attributes: [.bold, .reverse])
        case .marker: return Look(foreground: .magenta, attributes: [.bold])
        case .difference: return Look(foreground: .cyan, attributes: [.bold, .reverse])
        }
    }

    /// Light backgrounds: what dark uses that fades on white (yellow and
    /// white text, cyan text, dim) becomes a darker colour or a background.
    private func lightLook(_ style: Style) -> Look? {
        switch style {
        case .dim, .kernel: return Look()
        case .focusedTitle, .headerKey: return Look(foreground: .blue, attributes: [.bold])
        case .paused, .rewound: return Look(foreground: .black, background: .yellow, attributes: [.bold])
        case .fileDirty: return Look(foreground: .red)
        case .writeback: return Look(foreground: .red, attributes: [.bold])
        case .reservation: return Look(foreground: .blue, attributes: [.bold])
        case .blocked: return Look(foreground: .blue, attributes: [.bold])
        case .logUser: return Look(foreground: .blue)
        case .logWarning: return Look(foreground: .magenta)
        case .difference: return Look(foreground: .white, background: .blue, attributes: [.bold])
        default: return nil
        }
    }

    /// A projector, dark or light: text in the terminal's own foreground,
    /// states as solid backgrounds with a fixed foreground, bold for the rest.
    private func projectorLook(_ style: Style) -> Look {
        switch style {
        case .normal, .dim, .switchOff, .logKernel, .kernel: return Look()
        case .title, .headerKey, .reservation: return Look(attributes: [.bold])
        case .focusedTitle, .selected, .keyName, .fieldFocused: return Look(attributes: [.bold, .reverse])
        case .running, .switchOn, .good: return Look(foreground: .black, background: .green, attributes: [.bold])
        case .paused, .pending, .rewound: return Look(foreground: .black, background: .yellow, attributes: [.bold])
        case .victim, .error: return Look(foreground: .white, background: .red, attributes: [.bold])
        case .blocked, .difference: return Look(foreground: .white, background: .blue, attributes: [.bold])
        case .free, .graph: return Look(foreground: .green, attributes: [.bold])
        case .anon: return Look(foreground: .magenta, attributes: [.bold])
        case .pageTables, .fileDirty, .writeback, .watermark, .logOOM: return Look(foreground: .red, attributes: [.bold])
        // Blue text is too dark on a dark screen: your actions in the log get a background.
        case .fileClean: return Look(foreground: .blue, attributes: [.bold])
        case .logUser: return Look(foreground: .white, background: .blue, attributes: [.bold])
        case .slab: return Look(foreground: .cyan, attributes: [.bold])
        case .logOOMLab, .marker, .logWarning: return Look(foreground: .magenta, attributes: [.bold])
        case .field: return Look(attributes: [.underline])
        }
    }

    private func monoLook(_ style: Style) -> Look {
        switch style {
        case .title, .focusedTitle, .headerKey, .running, .switchOn, .watermark, .logOOM, .logOOMLab, .good,
             .blocked, .writeback, .reservation, .marker:
            return Look(attributes: [.bold])
        case .victim, .error, .selected, .keyName, .fieldFocused, .rewound, .difference:
            return Look(attributes: [.reverse])
        case .paused, .field:
            return Look(attributes: [.underline])
        case .pending:
            return Look(attributes: [.bold, .underline])
        case .dim, .kernel:
            return Look(attributes: [.dim])
        default:
            return Look()
        }
    }
}
