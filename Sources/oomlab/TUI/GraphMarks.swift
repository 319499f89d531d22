import OOMLab
import OOMLabKernel

/// The run's markers on the free-pages graph (a mark on the plot's top row
/// over each marker tick) and, when rewound, the position as a line at the
/// graph's right end: the graph shows the history up to the position, which
/// `Run.seek` rebuilds from the run's per-tick samples.
enum GraphMarks {
    /// The marks the graph can show: the run's markers at or before the position.
    static func visible(_ state: AppState, from first: Int) -> [Marker] {
        state.run.markers.filter { $0.tick >= first && $0.tick <= state.run.position }
    }

    /// The title's right side: the marker glyph's meaning, and the position
    /// when rewound; the longest wording that fits in `room` columns.
    static func legend(_ state: AppState, unicode: Bool, room: Int) -> String {
        let run = state.run
        let count = run.markers.filter { $0.tick <= run.position }.count
        let mark = unicode ? "▾" : "v", line = unicode ? "│" : "|"
        let plural = count == 1 ? "" : "s"
        let rewound = run.position < run.frontier
        let forms = [
            (count > 0 ? "\(mark) \(count) marker\(plural) ([ ])" : "") + (rewound ? "  \(line) now (computed to \(run.frontier))" : ""),
            (count > 0 ? "\(mark) \(count) marker\(plural)" : "") + (rewound ? "  \(line) now" : ""),
            (count > 0 ? "\(mark)\(count)" : "") + (rewound ? " \(line)now" : ""),
        ].map { $0.hasPrefix("  ") || $0.hasPrefix(" ") ? String($0.drop { $0 == " " }) : $0 }
        return forms.first { $0.count <= room } ?? ""
    }

    /// Draws the marks; `column` maps a sample's index to the plot's cell column.
    static func draw(_ state: AppState, samples: [MetricsSample], column: (Int) -> Int, in plot: Rect,
                     on s: inout Screen) {
        guard let first = samples.first?.tick else { return }
        let unicode = s.glyphs.unicode
        for m in visible(state, from: first) {
            let j = m.tick - first
            guard j >= 0 && j < samples.count else { continue }
            let x = plot.x + column(j)
            guard x >= plot.x && x < plot.maxX else { continue }
            if s[x, plot.y].char == " " { s.put(x, plot.y, unicode ? "▾" : "v", .marker) } else { s.restyle(Rect(x: x, y: plot.y, width: 1, height: 1), .marker) }
        }
        guard state.run.position < state.run.frontier, !samples.isEmpty else { return }
        let x = plot.x + column(samples.count - 1)
        guard x >= plot.x && x < plot.maxX else { return }
        for y in plot.y..<plot.maxY where s[x, y].char == " " || s[x, y].char == "┄" || s[x, y].char == "-" {
            s.put(x, y, unicode ? "│" : "|", .marker)
        }
    }
}
