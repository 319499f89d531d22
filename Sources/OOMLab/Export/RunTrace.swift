import OOMLabKernel

/// The output of `oomlab run` in its three formats. The writer streams: the
/// CLI calls `header`, then `tick` after every step, then `footer`, and
/// prints what each returns, so a long run never holds its whole trace in
/// memory: JSON renders each event as it comes into an `EventSpool` (memory,
/// then a temporary file) and `footer` writes the one object around it.
public struct RunTrace {
    public enum Format: String, CaseIterable, Sendable {
        case text, json, csv
    }

    public let format: Format
    public let scenario: Scenario
    public let ticks: Int
    var spool = EventSpool()

    public init(format: Format, scenario: Scenario, ticks: Int) {
        self.format = format
        self.scenario = scenario
        self.ticks = ticks
    }

    /// The CSV columns after `tick`: every page category, then blocked tasks and PSI.
    public static let csvColumns = ["total", "free", "anon", "page_tables", "file_clean", "file_dirty",
                                    "writeback", "slab_reclaimable", "slab_unreclaimable", "kernel",
                                    "reservation_pool", "swap_used", "blocked", "psi_some", "psi_full"]

    public func header(_ k: Kernel) -> String {
        switch format {
        case .text: return parameterEcho(k)
        case .json: return ""
        case .csv: return (["tick"] + RunTrace.csvColumns).joined(separator: ",") + "\n"
        }
    }

    public mutating func tick(_ k: Kernel, events new: [Event]) -> String {
        switch format {
        case .text:
            return new.map { $0.dmesgLine + "\n" }.joined()
        case .json:
            spoolEvents(new)
            return ""
        case .csv:
            let s = k.history.last
            var row = CSV.NumberRow()
            row.append(k.tick)
            for c in k.memory.categories { row.append(c.pages) }
            row.append(s?.stats.blocked ?? 0)
            // No PSI before 4.20: the columns stay, empty, so every row has the same shape.
            let psi = k.policy.era.hasPSI
            row.append(plain: psi ? RunTrace.percent(s?.psiSome ?? 0) : "")
            row.append(plain: psi ? RunTrace.percent(s?.psiFull ?? 0) : "")
            return row.line()
        }
    }

    /// Bytes of JSON events held for the footer so far (0 in text and CSV,
    /// which print each tick's lines as they come).
    public var spooledBytes: Int { spool.bytes }

    /// Events logged without a step: a session's user actions at tick 0.
    public mutating func log(_ new: [Event]) -> String {
        switch format {
        case .text: return new.map { $0.dmesgLine + "\n" }.joined()
        case .json:
            spoolEvents(new)
            return ""
        case .csv: return ""
        }
    }

    /// Each event as an item of the trace's `events` array, at its depth.
    func spoolEvents(_ new: [Event]) {
        for e in new {
            var item = String(repeating: " ", count: 4)
            JSON.object([("tick", .int(e.tick)), ("text", .string(e.text))]).write(to: &item, indent: 2, level: 2)
            spool.append(item)
        }
    }

    /// The footer in pieces, for output that streams (the JSON events come
    /// out of the spool a chunk at a time).
    public func footer(_ k: Kernel, write: (String) -> Void) {
        guard format == .json else { return write(footer(k)) }
        // JSON.write's pretty layout for the top-level object, with the
        // events array written from the spool.
        let pairs = jsonFields(k)
        write("{\n")
        for (n, (key, value)) in pairs.enumerated() {
            var head = "  " + JSON.quote(key) + ": "
            if key == "events" {
                if spool.count == 0 {
                    head += "[]"
                } else {
                    write(head + "[\n")
                    spool.drain(write)
                    head = "\n  ]"
                }
            } else {
                value.write(to: &head, indent: 2, level: 1)
            }
            write(head + (n < pairs.count - 1 ? "," : "") + "\n")
        }
        write("}\n")
    }

    /// Text and CSV footers; JSON goes through `footer(_:write:)`.
    public func footer(_ k: Kernel) -> String {
        switch format {
        case .text:
            let outcome = OutcomeSummary(k)
            let v = outcome.verdict
            var out = "\n"
            out += "oom kills: \(k.oomKills.count)"
            for kill in k.oomKills {
                out += "\n  tick \(kill.tick): \(kill.name)[\(kill.pid)] points \(kill.points), invoked by \(kill.invokedBy)"
            }
            out += "\noutcome:\n" + outcome.historyLines.joined(separator: "\n")
            out += "\n  " + outcome.totalsLine
            out += "\nverdict: \(v.headline) (tick \(v.tick)): \(v.reason)\n"
            return out
        case .json:
            var out = ""
            footer(k) { out += $0 }
            return out
        case .csv:
            return ""
        }
    }

    /// Every parameter, first, like OSTEP's simulators: what was run is on
    /// the page before what happened.
    func parameterEcho(_ k: Kernel) -> String {
        let m = k.machine
        var lines = ["oomlab run: \(scenario.name)"]
        if !scenario.description.isEmpty { lines.append("  \(scenario.description)") }
        func row(_ key: String, _ value: String) { lines.append("  " + key.padding(33) + value) }
        func pages(_ n: Int) -> String { "\(n) pages (\(RunTrace.size(n)))" }
        row("seed", String(k.seed))
        row("ticks", "\(ticks) (\(RunTrace.seconds(ticks)) s at HZ=\(Units.hz))")
        row("machine.ram", pages(m.ramPages))
        row("machine.kernel", pages(m.kernelPages))
        row("machine.swap", pages(m.swapPages))
        row("machine.swappiness", "\(m.swappiness)")
        row("machine.min_free_kbytes", "\(k.minFreeKbytes)" + (m.minFreeKbytes == nil ? " (era default)" : ""))
        row("machine.watermarks", "min \(k.watermarks.min) low \(k.watermarks.low) high \(k.watermarks.high) pages")
        row("machine.writeback_rate", "\(m.writebackPagesPerTick) pages/tick")
        row("machine.kswapd_rate", "\(m.kswapdPagesPerTick) pages/tick")
        row("machine.page_cache", "clean \(m.fileCleanPages), dirty \(m.fileDirtyPages) pages")
        row("machine.slab", "reclaimable \(m.slabReclaimablePages), unreclaimable \(m.slabUnreclaimablePages) pages")
        for key in PolicyKey.allCases { row("policy.\(key.rawValue)", k.policy.value(of: key)) }
        row("locks", k.locks.isEmpty ? "none" : k.locks.map(\.name).joined(separator: ", "))
        for t in k.tasks {
            row("task \(t.pid)", "\(t.name) uid \(t.uid) oom_score_adj \(t.oomScoreAdj) anon \(t.anon) swap \(t.swapEntries)"
                + (t.kthread ? " kthread" : "") + (t.startTick > 0 ? " starts at tick \(t.startTick)" : ""))
        }
        return lines.joined(separator: "\n") + "\n\n"
    }

    /// The trace object's fields in order; "events" is a placeholder that
    /// `footer` fills from the spool.
    func jsonFields(_ k: Kernel) -> [(String, JSON)] {
        [
            ("schema_version", .int(JSON.schemaVersion)),
            ("scenario", .string(scenario.name)),
            ("seed", .int(Int(truncatingIfNeeded: k.seed))),
            ("ticks", .int(k.tick)),
            ("tick_ms", .int(Units.tickMs)),
            ("policy", k.policy.json),
            ("verdict", OutcomeSummary(k).json),
            ("oom_kills", .array(k.oomKills.map(\.json))),
            ("events", .null),
            ("final", .object(k.memory.categories.map { ($0.name, .int($0.pages)) })),
            ("tasks", .array(k.tasks.map { t in
                .object([("pid", .int(t.pid)), ("name", .string(t.name)), ("state", .string(t.state.rawValue)),
                         ("rss", .int(k.mmRSS(of: t))), ("oom_score", .int(k.oomScore(of: t))),
                         ("waiting_on", .string(k.activity(of: t)))])
            })),
        ]
    }

    static func seconds(_ ticks: Int) -> String { Units.seconds(ms: Units.ms(ticks: ticks)) }

    /// 1234 hundredths -> "12.34".
    static func percent(_ hundredths: Int) -> String {
        let frac = String(hundredths % 100)
        return "\(hundredths / 100)." + (frac.count < 2 ? "0" + frac : frac)
    }

    /// A page count as a size with a binary unit, e.g. "256 MiB".
    public static func size(_ pages: Int) -> String {
        let bytes = pages * Units.pageSize
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var value = bytes
        var unit = 0
        while unit < units.count - 1 && value >= 1024 && value % 1024 == 0 {
            value /= 1024
            unit += 1
        }
        if value >= 10240 && unit < units.count - 1 {
            // Not exact in the next unit: show one decimal of it.
            let tenths = value * 10 / 1024
            return "\(tenths / 10).\(tenths % 10) \(units[unit + 1])"
        }
        return "\(value) \(units[unit])"
    }
}
