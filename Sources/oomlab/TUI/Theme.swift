import OOMLabKernel

/// How a semantic style looks on this terminal. Colours use the terminal's
/// default background (-1), so light terminals and projectors work; without
/// colour (NO_COLOR, or a monochrome terminal) meaning is carried by bold,
/// reverse, underline and by the symbols the views always draw.
struct Theme: Sendable {
    enum Color: Int, Sendable {
        case `default` = -1, black = 0, red, green, yellow, blue, magenta, cyan, white
    }
    enum Attribute: Sendable { case bold, reverse, underline, dim }

    struct Look: Sendable {
        var foreground: Color = .default
        var background: Color = .default
        var attributes: [Attribute] = []
    }

    let color: Bool

    /// Whether to use colour: the terminal has it and NO_COLOR is unset or empty.
    static func wantsColor(terminalHasColors: Bool, environment: [String: String]) -> Bool {
        terminalHasColors && (environment["NO_COLOR"] ?? "").isEmpty
    }

    func look(_ style: Style) -> Look {
        color ? colorLook(style) : monoLook(style)
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
