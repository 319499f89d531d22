import OOMLab
import OOMLabKernel

/// The Cgroups panel, shown where the scenario has memory cgroups: one row
/// per cgroup below the root (the tree's order, children indented), its
/// memory.current as a bar against memory.max with memory.high (`H`) and
/// memory.low (`L`) marked on it, and, with room, a row of its
/// memory.events and memory.pressure. `*` marks the cgroup of the last OOM victim. Its cost is
/// the rows shown, not the tasks. memory_current_read, memory_max_show,
/// memory_events_show, mm/memcontrol.c (docs/memcg.md §9, §12).
enum CgroupView {
    static func draw(_ state: AppState, in r: Rect, on s: inout Screen) {
        let k = state.kernel
        let tree = k.memcg.tree
        let rows = r.height - 1
        let count = tree.count - 1
        // When not all fit, how many do, in place of the `*` legend (the
        // task table's title has it too): written over the title, the count
        // cut the title's own words at 80x24.
        let legend = count > rows && rows > 0 ? "\(rows)/\(count)" : "* victim"
        s.titleBar(Rect(x: r.x, y: r.y, width: r.width, height: 1), "Cgroups",
                   right: "\(k.memcg.version.rawValue)  " + legend, focused: false)
        guard rows > 0, count > 0 else { return }
        // Two rows a cgroup (the bar, then its events) when they all fit.
        let withEvents = rows >= 2 * count
        let victim = victimCgroup(k)
        var y = r.y + 1
        for id in 1..<tree.count {
            guard y < r.maxY else { break }
            let c = tree[id]
            s.write(r.x, y, line(c, victim: id == victim, width: r.width, ram: k.memory.managed, glyphs: s.glyphs),
                    id == victim ? .victim : .normal, limit: r.width)
            drawBar(c, at: r.x + barX(width: r.width), y, width: barWidth(width: r.width), ram: k.memory.managed, on: &s)
            y += 1
            if withEvents, y < r.maxY {
                s.write(r.x, y, "   " + events(c.events) + pressure(k, id), .dim, limit: r.width)
                y += 1
            }
        }
    }

    /// The cgroup of the last OOM kill's victim, if it is still known.
    static func victimCgroup(_ k: Kernel) -> CgroupID? {
        guard let last = k.oomKills.last, let t = k.task(pid: last.pid) else { return nil }
        return t.cgroup == CgroupTree.rootID ? nil : t.cgroup
    }

    /// A third of the panel, less where the bar (4 at least) and the size
    /// column would not fit beside it: the size is never cut.
    static func nameWidth(width: Int) -> Int { Swift.max(6, Swift.min(width / 3, width - 4 - sizeWidth - 4)) }
    static let sizeWidth = 11
    static func barX(width: Int) -> Int { 2 + nameWidth(width: width) + 1 }
    static func barWidth(width: Int) -> Int { Swift.max(4, width - barX(width: width) - sizeWidth - 1) }

    /// "* /pod-a ...bar... 512M/1.0G": the flag, the indented name, room for
    /// the bar, usage over the limit ("max" when there is none).
    static func line(_ c: Cgroup, victim: Bool, width: Int, ram: Int, glyphs: Glyphs) -> String {
        let depth = c.path.components.count - 1
        let nameW = nameWidth(width: width)
        var name = String(repeating: " ", count: Swift.min(depth, 4)) + c.path.name
        if name.count > nameW { name = String(name.prefix(nameW - 1)) + (glyphs.unicode ? "…" : "~") }
        let limit = c.memory.limit == PageCounter.max ? "max" : Format.size(pages: c.memory.limit)
        let size = Format.right(Format.size(pages: c.memory.usage) + "/" + limit, sizeWidth)
        return (victim ? "* " : "  ") + Format.left(name, nameW) + " "
            + String(repeating: " ", count: barWidth(width: width)) + " " + size
    }

    /// The bar: usage filled against memory.max (against RAM when unlimited),
    /// `H` at memory.high and `L` at memory.low when they are set.
    static func drawBar(_ c: Cgroup, at x: Int, _ y: Int, width w: Int, ram: Int, on s: inout Screen) {
        let scale = Swift.max(1, c.memory.limit == PageCounter.max ? ram : c.memory.limit)
        func cell(_ pages: Int) -> Int { Swift.min(w - 1, Int(Swift.min(pages, scale)) * w / scale) }
        let filled = Swift.min(w, c.memory.usage * w / scale)
        for i in 0..<w {
            s.put(x + i, y, i < filled ? (s.glyphs.unicode ? "█" : "#") : (s.glyphs.unicode ? "·" : "."),
                  i < filled ? .anon : .free)
        }
        if c.memory.low > 0 { s.put(x + cell(c.memory.low), y, "L", .watermark) }
        if c.memory.high != PageCounter.max { s.put(x + cell(c.memory.high), y, "H", .watermark) }
    }

    /// "  psi some 12.3% full 0.0%": memory.pressure's avg10s, where the
    /// era has PSI (4.20+) and the cgroup has stalled; "" otherwise.
    static func pressure(_ k: Kernel, _ id: CgroupID) -> String {
        guard k.policy.era.hasPSI, let p = k.memcg.pressure(id), p.someAvg10 > 0 || p.fullAvg10 > 0 else { return "" }
        return "  psi some \(Format.percent(hundredths: p.someAvg10)) full \(Format.percent(hundredths: p.fullAvg10))"
    }

    /// "max 3  oom 1  oom_kill 1" (the non-zero memory.events), or "no events".
    static func events(_ e: MemoryEvents) -> String {
        let shown = MemcgEvent.allCases.compactMap { ev in e[ev] > 0 ? "\(ev.rawValue) \(e[ev])" : nil }
        return shown.isEmpty ? "no events" : shown.joined(separator: "  ")
    }
}
