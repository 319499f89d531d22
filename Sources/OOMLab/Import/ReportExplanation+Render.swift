import OOMLabKernel

/// The two forms `oomlab explain-report` prints: a text page for people and
/// a JSON object with the keys era, constraint, memcg, total_pages,
/// kernel_choice, model_choice, agree and ranking.
extension ReportExplanation {
    /// What was undone before reading, and every warning (--verbose).
    public func repairsText() -> String {
        var out = report.repairs.isEmpty ? ["undone before reading: nothing (no pasting damage found)"]
            : ["undone before reading:"] + report.repairs.map { "  - " + $0 }
        if !report.warnings.isEmpty { out += ["warnings:"] + report.warnings.map { "  - " + $0 } }
        return out.map(\.escapingControlCharacters).joined(separator: "\n") + "\n"
    }

    public func text(reportCount: Int = 1) -> String {
        var out: [String] = []
        let r = report
        var head = "report \(r.index) of \(reportCount) (lines \(r.firstLine)-\(r.lastLine))"
        if let inv = r.invoking {
            let pid = inv.pid.map { " (pid \($0))" } ?? ""
            let names = inv.gfpNames.isEmpty ? "" : "(" + inv.gfpNames.joined(separator: "|") + ")"
            head += ": \(inv.comm)\(pid) invoked the OOM killer, gfp_mask=0x\(String(inv.gfpMask, radix: 16))\(names), "
                + "order=\(inv.order), oom_score_adj=\(inv.oomScoreAdj)"
        }
        out.append(head)
        out.append("era: \(era.label) rules (\(era.source)): \(rulesText)")
        var constraint = "constraint: \(self.constraint.rawValue)"
        if let path = r.memcg?.path { constraint += " (\(path))" }
        out.append(constraint)
        out += memcgText().map(\.escapingControlCharacters)
        let ps = r.pageSize % 1024 == 0 ? "\(r.pageSize / 1024) KiB" : "\(r.pageSize) B"
        out.append("total pages: \(totalPages.map(String.init) ?? "unknown") (\(totalPagesSource); "
                   + "page size \(ps), \(r.pageSize == 4096 && r.pageSizeSource == .assumed ? "assumed" : "from the " + r.pageSizeSource.rawValue))")
        var kernelLine = "kernel's choice: " + (kernelChoice.map(\.shown) ?? "none")
        if let p = printedScore { kernelLine += ", score \(p)" }
        if let k = kernelKilled { kernelLine += "; killed child \(k.shown)" }
        out.append(kernelLine)
        if outcome != .kill { out.append("outcome: \(outcome.rawValue)") }
        var modelLine = "model's choice:  " + (modelChoice.map(\.shown) ?? "none")
        if let m = modelScore { modelLine += ", score \(m)" }
        out.append(modelLine)
        if let why = notComparedBecause {
            out.append("agree: not compared (\(why))")
        } else {
            out.append("agree: \(agree ? "yes" : "no")")
        }
        for reason in reasons { out.append("  - " + reason) }
        out.append("")
        out.append(table())
        return out.joined(separator: "\n") + "\n"
    }

    var rulesText: String {
        var parts: [String] = []
        switch era.rules.rootDiscount {
        case .none: parts.append("no root discount")
        case .threePercent: parts.append("root loses 3% of points")
        case .adjMinus30: parts.append("root gets oom_score_adj - 30")
        case .legacyNormalized: parts.append("points normalised to 0..1000, root -30")
        }
        parts.append(era.rules.clampToOne ? "badness at least 1" : "badness may be negative")
        parts.append(era.rules.laterTieWins ? "a later equal score wins" : "the first of equal scores wins")
        if era.sacrificesChild { parts.append("a child may be sacrificed") }
        return parts.joined(separator: ", ")
    }

    /// The ranking as a fixed-width table.
    func table() -> String {
        let header = ["rank", "pid", "name", "points", "rss", "swapents", "pgtables", "adj", "adj term", "root -", ""]
        var rows: [[String]] = []
        var rank = 0
        for t in ranking {
            var mark: [String] = []
            if t.pid == kernelChoice?.pid { mark.append("kernel") }
            if t.pid == modelChoice?.pid { mark.append("model") }
            var note = mark.isEmpty ? "" : "<- " + mark.joined(separator: ", ")
            if let why = t.excluded { note = "never chosen: " + why }
            if t.points != nil { rank += 1 }
            rows.append([t.points == nil ? "-" : String(rank), String(t.pid), t.name,
                         t.points.map(String.init) ?? "-", String(t.rss), String(t.swapents), String(t.pgtables),
                         String(t.oomScoreAdj), String(t.adjTerm), String(t.rootDiscount), note])
        }
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            var s = ""
            for (i, cell) in cells.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                if i == 2 || i == cells.count - 1 { s += cell + pad } else { s += pad + cell }
                if i < cells.count - 1 { s += "  " }
            }
            return ReportText.trimRight(Substring(s)).description
        }
        if ranking.isEmpty { return "(no tasks in the table)" }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }

    /// The JSON object, keys in the documented order.
    public func json() -> String {
        func choice(_ c: Choice?) -> String {
            guard let c else { return "null" }
            return "{\"pid\": \(c.pid), \"name\": \(JSON.quote(c.name))}"
        }
        var out = "{\n"
        out += "  \"schema_version\": \(JSON.schemaVersion),\n"
        out += "  \"era\": \(JSON.quote(era.label)),\n"
        // How the era was decided, and the format clues when no release was printed.
        out += "  \"era_source\": \(JSON.quote(era.source)),\n"
        out += "  \"era_clues\": [" + era.clues.map { JSON.quote($0) }.joined(separator: ", ") + "],\n"
        out += "  \"constraint\": \(JSON.quote(constraint.rawValue)),\n"
        out += "  \"memcg\": \(memcgJSON()),\n"
        out += "  \"total_pages\": \(totalPages.map(String.init) ?? "null"),\n"
        out += "  \"kernel_choice\": \(choice(kernelChoice)),\n"
        out += "  \"model_choice\": \(choice(modelChoice)),\n"
        out += "  \"agree\": \(compared ? String(agree) : "null"),\n"
        out += "  \"ranking\": ["
        let items = ranking.map { t in
            "\n    {\"pid\": \(t.pid), \"name\": \(JSON.quote(t.name)), \"points\": \(t.points.map(String.init) ?? "null"), "
                + "\"rss\": \(t.rss), \"swapents\": \(t.swapents), \"pgtables\": \(t.pgtables), "
                + "\"oom_score_adj\": \(t.oomScoreAdj)}"
        }
        out += items.joined(separator: ",")
        out += items.isEmpty ? "]\n" : "\n  ]\n"
        out += "}\n"
        return out
    }
}
