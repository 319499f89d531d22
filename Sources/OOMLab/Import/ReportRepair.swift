/// Undoes what mail clients, forums and terminals do to a kernel log before
/// it is parsed, and says what it undid (`explain-report --verbose`):
///
/// - quoted-printable transfer encoding: `=3D` for "=", `=` at a line end
///   for a soft line break (mail archives keep the encoded body);
/// - mail quoting: `> `, `>> `, `> > ` ... at the start of a line, any depth;
/// - indentation before the log prefix (blog and forum code blocks);
/// - hard wraps at 72-80 columns: the "invoked oom-killer:" line continued
///   on the next line, a "Killed process" line whose fields went to the next
///   line, a task table row split in two. A continuation is joined only when
///   the line before is incomplete and the continuation has no log prefix of
///   its own (a wrapped line loses its timestamp; a new kernel line has one);
/// - Windows and old Mac line ends (noted; `ReportText.lines` splits them).
///
/// What cannot be undone (a line cut at the terminal's width) is left to the
/// parser, which keeps the report and says which line it could not read.
public struct ReportRepair: Sendable {
    /// One logical line: its 1-based line in the file (the first physical
    /// line when lines were joined), the text after undoing the damage, and
    /// the kernel's message (log prefixes removed).
    public struct Line: Sendable {
        public var number: Int
        public var raw: Substring
        public var message: Substring
    }

    public var lines: [Line] = []
    /// What was undone, one sentence each, for --verbose.
    public var repairs: [String] = []

    public init(_ text: String) {
        var physical = ReportText.lines(text)
        // By bytes: Foundation's String.contains bridges the whole text to
        // NSString (4% of a report's reading on the fuzz corpus).
        if text.holds("\r\n") { repairs.append("Windows line ends (CRLF) read as line ends") }
        else if text.utf8.contains(13) { repairs.append("carriage returns (CR) read as line ends") }

        var numbers = Array(1...max(physical.count, 1)).prefix(physical.count).map { $0 }
        if Self.looksQuotedPrintable(physical) {
            (physical, numbers) = Self.decodeQuotedPrintable(physical, numbers: numbers, repairs: &repairs)
        }

        var quoted = 0, deepest = 0, indented = 0
        var cleaned: [Line] = []
        cleaned.reserveCapacity(physical.count)
        for (i, line) in physical.enumerated() {
            var s = line
            var level = 0
            while true {
                let t = ReportText.trimLeft(s)
                guard t.first == ">" else { break }
                s = t.dropFirst()
                if s.first == " " { s = s.dropFirst() }
                level += 1
            }
            if level > 0 { quoted += 1; deepest = max(deepest, level) }
            if let f = s.first, f == " " || f == "\t", !ReportText.trimLeft(s).isEmpty { indented += 1 }
            cleaned.append(Line(number: numbers[i], raw: s, message: ReportText.message(s)))
        }
        if quoted > 0 {
            repairs.append("mail quoting removed from \(quoted) line\(quoted == 1 ? "" : "s") (up to \(deepest) level\(deepest == 1 ? "" : "s") of \">\")")
        }
        if indented > 0 { repairs.append("indentation removed from \(indented) line\(indented == 1 ? "" : "s")") }
        lines = Self.unwrap(cleaned, repairs: &repairs)
    }

    // MARK: - Quoted-printable

    /// An encoded body holds "=3D" (every "gfp_mask=" becomes "gfp_mask=3D")
    /// or soft breaks ("=" ending lines) beside "=20" / "=09" escapes.
    /// Kernel lines never end in "=" and never hold "=3D".
    static func looksQuotedPrintable(_ lines: [Substring]) -> Bool {
        var soft = 0, escapes = 0
        for l in lines {
            if l.holds("=3D") { return true }
            if l.hasSuffix("=") { soft += 1 }
            if l.holds("=20") || l.holds("=09") { escapes += 1 }
        }
        return soft >= 2 && escapes >= 1
    }

    /// Joins soft line breaks and decodes "=XX" (RFC 2045 §6.7).
    static func decodeQuotedPrintable(_ lines: [Substring], numbers: [Int],
                                      repairs: inout [String]) -> ([Substring], [Int]) {
        var out: [Substring] = [], outNumbers: [Int] = []
        var pending = "", pendingNumber: Int?
        var soft = 0, escapes = 0
        for (i, l) in lines.enumerated() {
            if pendingNumber == nil { pendingNumber = numbers[i] }
            if l.hasSuffix("=") {
                pending += l.dropLast()
                soft += 1
                continue
            }
            pending += l
            out.append(Substring(decodeEscapes(pending, count: &escapes)))
            outNumbers.append(pendingNumber ?? numbers[i])
            pending = ""
            pendingNumber = nil
        }
        if let n = pendingNumber {
            out.append(Substring(decodeEscapes(pending, count: &escapes)))
            outNumbers.append(n)
        }
        repairs.append("quoted-printable decoded: \(soft) soft line break\(soft == 1 ? "" : "s") joined, "
                       + "\(escapes) =XX escape\(escapes == 1 ? "" : "s") decoded")
        return (out, outNumbers)
    }

    static func decodeEscapes(_ s: String, count: inout Int) -> String {
        guard s.contains("=") else { return s }
        var bytes: [UInt8] = []
        let u = Array(s.utf8)
        var i = 0
        func hex(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: return c - 48
            case 65...70: return c - 55
            case 97...102: return c - 87
            default: return nil
            }
        }
        while i < u.count {
            if u[i] == 61, i + 2 < u.count, let a = hex(u[i + 1]), let b = hex(u[i + 2]) {
                bytes.append(a << 4 | b)
                count += 1
                i += 3
            } else {
                bytes.append(u[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: - Hard wraps

    /// Words that start the second half of a wrapped "Killed process" line.
    static let killFields = ["total-vm:", "anon-rss:", "file-rss:", "shmem-rss:", "UID:", "pgtables:", "oom_score_adj:"]

    /// Words that start the second half of a wrapped "invoked oom-killer:" line.
    static let invokedFields = ["gfp_mask=", "nodemask=", "order=", "oom_score_adj=", "oom_adj=", "oomkilladj="]

    /// Whether `line` has no log prefix of its own: its message is the line itself.
    static func unprefixed(_ line: Line) -> Bool {
        !line.message.isEmpty && ReportText.trimRight(ReportText.trimLeft(line.raw)) == line.message
    }

    static func unwrap(_ input: [Line], repairs: inout [String]) -> [Line] {
        var out: [Line] = []
        out.reserveCapacity(input.count)
        var joined: [Int] = []
        var tableColumns: Int?
        var i = 0
        while i < input.count {
            var line = input[i]
            i += 1
            while i < input.count, unprefixed(input[i]), let glue = continuation(of: line.message, next: input[i].message,
                                                                               tableColumns: tableColumns) {
                let merged = String(line.message) + glue + String(input[i].message)
                line = Line(number: line.number, raw: Substring(merged), message: Substring(merged))
                joined.append(input[i].number)
                i += 1
            }
            if OOMReportParserSupport.isTableHeader(line.message) {
                tableColumns = OOMReportParserSupport.columnCount(line.message)
            }
            out.append(line)
        }
        if !joined.isEmpty {
            let shown = joined.prefix(8).map(String.init).joined(separator: ", ")
            repairs.append("\(joined.count) hard-wrapped line\(joined.count == 1 ? "" : "s") rejoined to the line before "
                           + "(line\(joined.count == 1 ? "" : "s") \(shown)\(joined.count > 8 ? ", ..." : ""))")
        }
        return out
    }

    /// The text to put between `m` and `next` if `next` continues `m`, else nil.
    static func continuation(of m: Substring, next: Substring, tableColumns: Int?) -> String? {
        if m.holds("invoked oom-killer"),
           !["oom_score_adj=", "oom_adj=", "oomkilladj="].contains(where: { m.holds($0) }) {
            if invokedFields.contains(where: { next.hasPrefix($0) }) || m.hasSuffix("=") { return " " }
            // A gfp name cut in the middle: "...(GFP_HIG" + "HUSER_MOVABLE|...)".
            if m.holds("gfp_mask="), m.filter({ $0 == "(" }).count > m.filter({ $0 == ")" }).count { return "" }
        }
        // A table header cut after "rss": "[ pid ]   uid  tgid total_vm      rss" + "rss_anon ... name".
        if m.first == "[", m.holds("uid"), !m.hasSuffix("name"), next.hasSuffix(" name"),
           let close = m.firstIndex(of: "]"), m[m.index(after: m.startIndex)..<close].filter({ $0 != " " }) == "pid" {
            return " "
        }
        if OOMReportParserSupport.isKillLine(m), killFields.contains(where: { next.hasPrefix($0) }) { return " " }
        // "CPU: 3 PID: 530 Comm: python3 Tainted: G         C O" + "4.14.79-v7+ #1159":
        // the release and build number went to the next line.
        if m.hasPrefix("CPU: "), m.holds("Comm: "), !m.holds(" #"), next.holds(" #"),
           next.first?.isNumber == true, KernelVersion(release: String(next.prefix(while: { $0 != " " }))) != nil {
            return " "
        }
        // "memory+swap: usage 1048556kB, limit" + "9007199254740988kB, failcnt 0".
        if MemcgReport.counterName(m) != nil, !m.holds("failcnt "), let f = next.first,
           f.isNumber || next.hasPrefix("limit ") || next.hasPrefix("failcnt ") {
            return " "
        }
        if m.hasPrefix("Task in "), m.hasSuffix("limit of") || m.hasSuffix("limit"), next.hasPrefix("/") || next.hasPrefix("of ") { return " " }
        if let columns = tableColumns, m.first == "[", OOMReportParserSupport.rowPid(m) != nil, next.first != "[" {
            // A row split in two: fewer than the header's numbers and a name.
            let words = m[m.index(after: m.firstIndex(of: "]")!)...].split(separator: " ")
            let numbers = words.prefix(while: { ReportText.leadingInt($0) != nil && $0.allSatisfy { $0 == "-" || $0.isNumber } }).count
            if numbers < columns - 1 || words.count < columns {
                let nextWords = next.split(separator: " ")
                let nextNumbers = nextWords.prefix(while: { $0.allSatisfy { $0 == "-" || $0.isNumber } }).count
                // The rest must complete the row: the missing numbers, then a name.
                if numbers + nextNumbers == columns - 1 && nextWords.count > nextNumbers { return " " }
                if numbers == columns - 1 && words.count == numbers && nextNumbers == 0 && nextWords.count == 1 { return " " }
            }
        }
        return nil
    }
}
