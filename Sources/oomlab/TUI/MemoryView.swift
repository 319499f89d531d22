import OOMLab
import OOMLabKernel

/// The memory panel: a stacked bar of the page categories with the
/// watermarks marked beneath it, a legend in MiB, and free pages against
/// min/low/high in pages.
enum MemoryView {
    struct Segment {
        var label: String
        var pages: Int
        var style: Style
        var glyph: Unicode.Scalar
        var asciiGlyph: Unicode.Scalar
    }

    /// The categories in bar order; free last, so the watermarks sit at the right end.
    static func segments(_ m: MemoryCounters) -> [Segment] {
        [
            Segment(label: "anon", pages: m.anon, style: .anon, glyph: "█", asciiGlyph: "A"),
            Segment(label: "ptes", pages: m.pageTables, style: .pageTables, glyph: "█", asciiGlyph: "P"),
            Segment(label: "clean", pages: m.fileClean, style: .fileClean, glyph: "▓", asciiGlyph: "c"),
            Segment(label: "dirty", pages: m.fileDirty, style: .fileDirty, glyph: "▓", asciiGlyph: "d"),
            Segment(label: "wback", pages: m.writeback, style: .writeback, glyph: "▓", asciiGlyph: "w"),
            Segment(label: "slab", pages: m.slabReclaimable + m.slabUnreclaimable, style: .slab, glyph: "▒", asciiGlyph: "s"),
            Segment(label: "kernel", pages: m.kernel, style: .kernel, glyph: "▒", asciiGlyph: "K"),
            Segment(label: "resv", pages: m.reservationPool, style: .reservation, glyph: "▒", asciiGlyph: "R"),
            Segment(label: "free", pages: m.free, style: .free, glyph: "░", asciiGlyph: "."),
        ]
    }

    /// Cell counts for each segment that add up to `width`: largest remainder,
    /// and every non-empty category gets at least one cell when it can.
    static func cells(for pages: [Int], width: Int) -> [Int] {
        let total = pages.reduce(0, +)
        guard total > 0, width > 0 else { return pages.map { _ in 0 } }
        var counts = pages.map { $0 * width / total }
        var order = pages.indices.sorted { (pages[$0] * width % total, $1) > (pages[$1] * width % total, $0) }
        var left = width - counts.reduce(0, +)
        for i in order where left > 0 { counts[i] += 1; left -= 1 }
        // Make tiny categories visible, taking a cell from the largest.
        order = pages.indices.sorted { counts[$0] > counts[$1] }
        for i in pages.indices where pages[i] > 0 && counts[i] == 0 {
            if let donor = order.first(where: { counts[$0] > 1 }) { counts[donor] -= 1; counts[i] += 1 }
        }
        return counts
    }

    static func draw(_ state: AppState, in r: Rect, on s: inout Screen) {
        let k = state.kernel
        let m = k.memory
        let psi = k.history.last
        var right = "kswapd0 \(k.kswapd.state.rawValue)"
        if let p = psi, k.policy.era.hasPSI { right += "  psi some \(Format.percent(hundredths: p.psiSome)) full \(Format.percent(hundredths: p.psiFull))" }
        var title = "Memory \(Format.size(pages: m.total))"
        if m.swapTotal > 0 {
            title += "  swap \(Format.size(pages: m.swapUsed))/\(Format.size(pages: m.swapTotal)) swappiness \(k.machine.swappiness)"
        }
        s.titleBar(Rect(x: r.x, y: r.y, width: r.width, height: 1), title,
                   right: right, focused: false)
        let segs = segments(m)
        let barX = r.x + 1
        let barW = r.width - 2
        let counts = cells(for: segs.map(\.pages), width: barW)
        var x = barX
        for (seg, n) in zip(segs, counts) {
            for _ in 0..<n {
                s.put(x, r.y + 1, s.glyphs.blocks ? seg.glyph : seg.asciiGlyph, seg.style)
                x += 1
            }
        }
        // Watermarks on the bar, measured from its right end, where free pages sit.
        let w = k.watermarks
        for (pages, mark) in [(w.high, "h"), (w.low, "l"), (w.min, "m")] as [(Int, Unicode.Scalar)] {
            let offset = m.total > 0 ? pages * barW / m.total : 0
            s.put(barX + barW - 1 - Swift.min(offset, barW - 1), r.y + 1, mark, .watermark)
        }
        let rows = drawLegend(segs, y: r.y + 2, x: barX, maxX: r.maxX - 1, on: &s)
        if rows == 1 {
            s.write(barX, r.y + 3, "bar: used from the left, free at the right end; m l h = watermarks", .dim, limit: barW)
        }
        drawFree(k, y: r.y + 4, x: barX, maxX: r.maxX - 1, on: &s)
    }

    /// The legend over one row, or two when one is too narrow; returns the rows used.
    @discardableResult
    static func drawLegend(_ segs: [Segment], y: Int, x x0: Int, maxX: Int, on s: inout Screen) -> Int {
        let items = segs.filter { $0.label != "free" }
        let texts = items.map { "\($0.label) \(Format.size(pages: $0.pages))" }
        let oneRow = texts.reduce(0) { $0 + $1.count + 4 } <= maxX - x0
        var x = x0, row = 0
        for (seg, text) in zip(items, texts) {
            if !oneRow && row == 0 && x + text.count + 2 > maxX - 0 || (!oneRow && row == 0 && seg.label == "slab") {
                row = 1
                x = x0
            }
            s.put(x, y + row, s.glyphs.blocks ? seg.glyph : seg.asciiGlyph, seg.style)
            x = s.write(x + 2, y + row, text, .normal) + 2
        }
        return row + 1
    }

    /// "free 506 pages (2.0M)  [████m██l█h·····]  min 506 low 632 high 759"
    static func drawFree(_ k: Kernel, y: Int, x x0: Int, maxX: Int, on s: inout Screen) {
        let m = k.memory, w = k.watermarks
        s.put(x0, y, s.glyphs.blocks ? "░" : ".", .free)
        var x = s.write(x0 + 2, y, "free \(m.free) pages (\(Format.size(pages: m.free)))", m.free <= w.min ? .watermark : .normal)
        let marks = "min \(w.min) low \(w.low) high \(w.high)"
        let swap = m.swapTotal > 0 ? "  swap \(Format.size(pages: m.swapUsed))/\(Format.size(pages: m.swapTotal))" : ""
        let tail = marks + swap
        let gaugeW = Swift.max(0, Swift.min(40, maxX - x - tail.count - 6))
        if gaugeW >= 10 {
            x += 2
            s.put(x, y, "[", .dim)
            let scale = Swift.max(1, w.high * 2)
            let filled = Swift.min(gaugeW, m.free * gaugeW / scale)
            for i in 0..<gaugeW {
                let style: Style = i < filled ? .free : .dim
                s.put(x + 1 + i, y, i < filled ? (s.glyphs.unicode ? "█" : "#") : (s.glyphs.unicode ? "·" : "."), style)
            }
            for (pages, mark) in [(w.high, "h"), (w.low, "l"), (w.min, "m")] as [(Int, Unicode.Scalar)] {
                s.put(x + 1 + Swift.min(gaugeW - 1, pages * gaugeW / scale), y, mark, .watermark)
            }
            s.put(x + gaugeW + 1, y, "]", .dim)
            x += gaugeW + 2
        }
        s.write(x + 2, y, tail, .dim, limit: maxX - x - 2)
    }
}

/// Free pages over time (braille dots, or ASCII), with the watermarks as
/// lines, and a row of reclaim activity underneath.
enum GraphView {
    static func draw(_ state: AppState, in r: Rect, on s: inout Screen) {
        let k = state.kernel
        guard r.height >= 2, r.width > 12 else { return }
        let samples = k.history.samples
        let axisW = 6
        let showReclaim = r.height >= 5
        let plot = Rect(x: r.x + axisW + 1, y: r.y + 1, width: r.width - axisW - 2, height: r.height - (showReclaim ? 2 : 1))
        s.titleBar(Rect(x: r.x, y: r.y, width: r.width, height: 1), "Free pages over time",
                   right: GraphMarks.legend(state, unicode: s.glyphs.unicode, room: r.width - 26), focused: false)
        guard plot.width > 2, plot.height > 0 else { return }
        let unicode = s.glyphs.unicode
        let dotCols = unicode ? plot.width * 2 : plot.width
        let dotRows = unicode ? plot.height * 4 : plot.height
        let w = k.watermarks
        // Buckets of ticks per dot column, so the whole history fits.
        let per = Swift.max(1, (samples.count + dotCols - 1) / dotCols)
        var mins: [Int] = []
        var reclaim: [Int] = []
        var i = samples.count % per == 0 ? 0 : -(per - samples.count % per)
        while i < samples.count {
            let bucket = samples[Swift.max(0, i)..<Swift.min(samples.count, i + per)]
            mins.append(bucket.map(\.memory.free).min() ?? 0)
            reclaim.append(bucket.reduce(0) { $0 + $1.stats.reclaimedKswapd + $1.stats.reclaimedDirect })
            i += per
        }
        let top = Swift.max(w.high * 2, mins.max() ?? 0, 1)
        func row(_ pages: Int) -> Int { dotRows - 1 - Swift.min(dotRows - 1, pages * (dotRows - 1) / top) }
        // Axis labels.
        s.write(r.x, plot.y, Format.right(Format.size(pages: top), axisW), .dim)
        s.write(r.x, plot.maxY - 1, Format.right("0", axisW), .dim)
        // Watermark lines.
        for (pages, label) in [(w.high, "h"), (w.low, "l"), (w.min, "m")] {
            let cellRow = plot.y + row(pages) / (unicode ? 4 : 1)
            for xx in plot.x..<plot.maxX { s.put(xx, cellRow, unicode ? "┄" : "-", .dim) }
            s.write(plot.maxX, cellRow, label, .watermark)
        }
        // The free-pages line: dots from the value down to... a single dot per column.
        let start = Swift.max(0, mins.count - dotCols)
        let shown = Array(mins[start...])
        if unicode {
            var bits = [UInt32](repeating: 0, count: plot.width * plot.height)
            for (c, v) in shown.enumerated() {
                let dy = row(v)
                let cell = (dy / 4) * plot.width + c / 2
                bits[cell] |= brailleBit(column: c % 2, row: dy % 4)
            }
            for (idx, b) in bits.enumerated() where b != 0 {
                if let scalar = Unicode.Scalar(0x2800 + b) {
                    s.put(plot.x + idx % plot.width, plot.y + idx / plot.width, scalar, .graph)
                }
            }
        } else {
            for (c, v) in shown.enumerated() { s.put(plot.x + c, plot.y + row(v), "*", .graph) }
        }
        let firstBucket = samples.count % per == 0 ? 0 : -(per - samples.count % per)
        GraphMarks.draw(state, samples: samples, column: { j in ((j - firstBucket) / per - start) / (unicode ? 2 : 1) },
                        in: plot, on: &s)
        // Reclaim activity: pages reclaimed per bucket, as bars.
        guard showReclaim else { return }
        let bars: [Unicode.Scalar] = unicode ? ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"] : [".", ".", ":", ":", "|", "|", "#", "#"]
        let ry = r.maxY - 1
        s.write(r.x, ry, Format.right("rcl", axisW), .dim)
        let step = unicode ? 2 : 1
        let rcl = Array(reclaim[start...])
        let peak = Swift.max(1, rcl.max() ?? 1)
        var cx = 0
        while cx * step < rcl.count && cx < plot.width {
            let v = rcl[(cx * step)..<Swift.min(rcl.count, cx * step + step)].max() ?? 0
            if v > 0 { s.put(plot.x + cx, ry, bars[Swift.min(7, v * 8 / (peak + 1))], .slab) }
            cx += 1
        }
    }

    /// The bit of a braille cell for a dot (column 0-1, row 0-3).
    static func brailleBit(column: Int, row: Int) -> UInt32 {
        let left: [UInt32] = [0x01, 0x02, 0x04, 0x40]
        let right: [UInt32] = [0x08, 0x10, 0x20, 0x80]
        return column == 0 ? left[row] : right[row]
    }
}

/// The locks: name, how held (w write, r read), holder, waiters (a read
/// waiter's pid ends in r). The holder column holds a 7-digit pid (pid_max
/// is at most 4194304); several readers show as the first and +N.
enum LockView {
    static func draw(_ state: AppState, in r: Rect, on s: inout Screen) {
        let focused = state.focus == .locks && state.overlay == .none
        s.titleBar(Rect(x: r.x, y: r.y, width: r.width, height: 1), "Locks", right: "\(state.kernel.locks.count)", focused: focused)
        guard r.height > 1 else { return }
        s.write(r.x, r.y + 1, Format.left("lock", 9) + "m " + Format.left("owner", 8) + "waiters", .dim)
        let locks = state.kernel.locks
        let rows = r.height - 2
        guard rows > 0 else { return }
        let first = clamp(state.selectedLock - rows + 1, 0, Swift.max(0, locks.count - rows))
        for (n, lock) in locks.dropFirst(first).prefix(rows).enumerated() {
            let y = r.y + 2 + n
            let index = first + n
            let holders = lock.holders
            let owner = holders.first.map { String($0) + (holders.count > 1 ? "+\(holders.count - 1)" : "") } ?? "-"
            let mode = lock.heldMode.map { $0 == .write ? "w" : "r" } ?? "-"
            let waiters = lock.waiters.isEmpty ? "-" : lock.waiters.map { pid in
                String(pid) + (state.kernel.task(pid: pid)?.wait?.lockWanted?.mode == .read ? "r" : "")
            }.joined(separator: " ")
            let line = Format.left(lock.name, 8) + " " + mode + " " + Format.left(owner, 7) + " " + waiters
            let style: Style = lock.waiters.isEmpty ? .normal : .blocked
            s.write(r.x, y, line, style, limit: r.width)
            if focused && index == state.selectedLock { s.restyle(Rect(x: r.x, y: y, width: r.width, height: 1), .selected) }
        }
        if locks.isEmpty { s.write(r.x, r.y + 2, "none; l adds one", .dim) }
    }
}
