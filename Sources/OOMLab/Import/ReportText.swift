import OOMLabKernel

/// Small text helpers for reading kernel log lines: the prefixes that dmesg,
/// journalctl and syslog put before a kernel message, and "key=value" /
/// "key:NkB" lookups. Plain Substring scanning, no regular expressions, so a
/// 100,000-line log reads in milliseconds.
enum ReportText {
    /// The lines of a log, ending at "\n", "\r\n" (Windows) or a lone "\r"
    /// (old Macs, some serial consoles). Swift reads "\r\n" as one Character,
    /// so splitting at "\n" alone would leave a CRLF file as one line.
    ///
    /// Split by bytes: a line end is always a Character boundary (Unicode's
    /// grapheme rules GB4 and GB5 break before and after CR and LF), so the
    /// pieces are those a Character split would give, without decoding
    /// every Character of the text (the largest cost of reading a report).
    static func lines(_ text: String) -> [Substring] {
        let utf8 = text.utf8
        var out: [Substring] = []
        var start = utf8.startIndex
        var i = start
        while i != utf8.endIndex {
            let b = utf8[i]
            guard b == 10 || b == 13 else {
                utf8.formIndex(after: &i)
                continue
            }
            out.append(text[start..<i])
            utf8.formIndex(after: &i)
            if b == 13, i != utf8.endIndex, utf8[i] == 10 { utf8.formIndex(after: &i) }
            start = i
        }
        out.append(text[start..<utf8.endIndex])
        return out
    }

    /// The lines of a /proc file: only "\n" ends one (a "\r" is part of a
    /// task's name), split by Unicode scalar so that "\r\n" is not one piece.
    static func procLines(_ text: String) -> [String] {
        text.unicodeScalars.split(separator: "\n").map { String(String.UnicodeScalarView($0)) }
    }

    /// The kernel's message with every log prefix removed: leading spaces,
    /// "<4>" levels, "Mon DD HH:MM:SS host kernel: " (syslog, journalctl),
    /// ISO-8601 syslog stamps, "kern  :warn  : " (dmesg -x), "[ 123.456789]"
    /// (dmesg), "[Sat Apr 27 22:56:09 2019]" (dmesg -T) and "[T123]" callers.
    static func message(_ raw: Substring) -> Substring {
        var s = raw
        for _ in 0..<8 {
            // Each step only drops a prefix, so an unchanged start means
            // nothing was stripped (comparing the text itself cost a pass
            // over every line).
            let before = s.startIndex
            s = trimLeft(s)
            s = stripLevel(s)
            s = stripKmsg(s)
            s = stripSyslog(s)
            s = stripFacility(s)
            s = stripBracketStamp(s)
            s = stripGuestLog(s)
            if s.startIndex == before { break }
        }
        return trimRight(s)
    }

    static func trimLeft(_ s: Substring) -> Substring {
        guard let i = s.firstIndex(where: { $0 != " " && $0 != "\t" }) else { return s[s.endIndex...] }
        return s[i...]
    }

    static func trimRight(_ s: Substring) -> Substring {
        guard let i = s.lastIndex(where: { $0 != " " && $0 != "\t" && $0 != "\r" }) else { return s[s.startIndex..<s.startIndex] }
        return s[...i]
    }

    /// "<4>" printk level.
    private static func stripLevel(_ s: Substring) -> Substring {
        guard s.first == "<", let close = s.firstIndex(of: ">"),
              s.distance(from: s.startIndex, to: close) <= 4,
              s[s.index(after: s.startIndex)..<close].allSatisfy(\.isNumber),
              close > s.index(after: s.startIndex)
        else { return s }
        return s[s.index(after: close)...]
    }

    /// /dev/kmsg records as `cat /dev/kmsg` prints them:
    /// "4,19685342,241227987454,-;" or "4,1968,2412,-,caller=T12845;"
    /// (level, sequence, microseconds, flags, optional caller; then ";").
    /// printk_get_next_message / devkmsg_read, kernel/printk/printk.c.
    private static func stripKmsg(_ s: Substring) -> Substring {
        // The record's prefix is at most 64 characters: look no further
        // (a search of the whole line ran on every pass over every line).
        guard let first = s.utf8.first, first >= 48 && first <= 57,
              let semi = s.prefix(65).firstIndex(of: ";") else { return s }
        let fields = s[..<semi].split(separator: ",", omittingEmptySubsequences: false)
        guard fields.count >= 4, fields.prefix(3).allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }),
              fields[3].count == 1, fields.dropFirst(4).allSatisfy({ $0.hasPrefix("caller=") })
        else { return s }
        return s[s.index(after: semi)...]
    }

    /// "Jun 23 04:09:18 www kernel: ", "2023-10-12T19:00:20.1+00:00 host kernel: ",
    /// "kernel: " alone, or "kernel[123]: ". The part before "kernel" must hold a
    /// clock time, so a message that merely mentions "kernel: " is left alone.
    private static func stripSyslog(_ s: Substring) -> Substring {
        if s.hasPrefix("kernel: ") { return s.dropFirst(8) }
        guard let k = s.byteRange(of: " kernel") else { return s }
        var rest = s[k.upperBound...]
        if rest.first == "[" {
            guard let close = rest.firstIndex(of: "]") else { return s }
            rest = rest[rest.index(after: close)...]
        }
        guard rest.hasPrefix(":") else { return s }
        let head = s[..<k.lowerBound]
        // journalctl -o short-monotonic leaves "host kernel: " after the
        // "[ 123.456]" already stripped: a lone host name is a prefix too.
        let lone = !head.isEmpty && head.count <= 64 && !head.holds(" ") && !head.holds(":")
        guard head.count <= 80, containsClock(head) || lone else { return s }
        return rest.dropFirst().drop(while: { $0 == " " })
    }

    /// A hypervisor's copy of the guest's console: VMware's vmware.log
    /// writes "2023-12-04T10:49:30.125Z In(05) vcpu-5 - Guest: " before each
    /// guest line (the printk level and uptime follow). The part before
    /// "Guest: " must hold a clock time.
    private static func stripGuestLog(_ s: Substring) -> Substring {
        guard let g = s.byteRange(of: " Guest: ") else { return s }
        let head = s[..<g.lowerBound]
        guard head.count <= 80, containsClock(head) else { return s }
        return s[g.upperBound...]
    }

    /// "kern  :warn  : " from dmesg -x.
    private static func stripFacility(_ s: Substring) -> Substring {
        let facilities = ["kern", "user", "daemon", "syslog"]
        guard let f = facilities.first(where: { s.hasPrefix($0) }) else { return s }
        var rest = trimLeft(s.dropFirst(f.count))
        guard rest.first == ":" else { return s }
        rest = trimLeft(rest.dropFirst())
        let level = rest.prefix(while: { $0.isLetter })
        guard !level.isEmpty else { return s }
        rest = trimLeft(rest.dropFirst(level.count))
        guard rest.first == ":" else { return s }
        return rest.dropFirst()
    }

    /// "[ 123.456789]", "[Sat Apr 27 22:56:09 2019]", "[    T123]", "[  C1]",
    /// and dmesg -H's "[Dec10 12:34]" and "[  +0.002367]" (--reltime).
    private static func stripBracketStamp(_ s: Substring) -> Substring {
        guard s.first == "[", let close = s.firstIndex(of: "]") else { return s }
        let inner = trimRight(trimLeft(s[s.index(after: s.startIndex)..<close]))
        guard !inner.isEmpty else { return s }
        // Tried in order of how common they are, each only if the one before failed.
        func isSeconds() -> Bool {
            let seconds = inner.first == "+" ? inner.dropFirst() : inner
            guard let dot = seconds.firstIndex(of: ".") else { return false }
            let a = seconds[..<dot], b = seconds[seconds.index(after: dot)...]
            return !a.isEmpty && !b.isEmpty && a.allSatisfy(\.isNumber) && b.allSatisfy(\.isNumber)
        }
        func isCaller() -> Bool {
            inner.count >= 2 && (inner.first == "T" || inner.first == "C") && inner.dropFirst().allSatisfy(\.isNumber)
        }
        // dmesg -T in any locale: "Sat Apr 27 22:56:09 2019", "ven. nov. 28
        // 07:26:44 2025", "2019年4月27日 22:56:09": a clock inside.
        func isDate() -> Bool { (12...48).contains(inner.count) && containsClock(inner) }
        // dmesg -H: "Dec10 12:34" (month, day, hours and minutes).
        func isHuman() -> Bool {
            let parts = inner.split(separator: " ")
            guard parts.count == 2, parts[0].count >= 4, parts[0].prefix(3).allSatisfy(\.isLetter),
                  parts[0].dropFirst(3).allSatisfy(\.isNumber) else { return false }
            let hm = parts[1].split(separator: ":")
            return hm.count == 2 && hm.allSatisfy { $0.count == 2 && $0.allSatisfy(\.isNumber) }
        }
        guard isSeconds() || isCaller() || isDate() || isHuman() else { return s }
        return s[s.index(after: close)...]
    }

    /// Whether the text holds "HH:MM:SS".
    static func containsClock(_ s: Substring) -> Bool {
        let c = Array(s.utf8)
        guard c.count >= 8 else { return false }
        func digit(_ x: UInt8) -> Bool { x >= 48 && x <= 57 }
        for i in 0...(c.count - 8) where digit(c[i]) && digit(c[i + 1]) && c[i + 2] == 58
            && digit(c[i + 3]) && digit(c[i + 4]) && c[i + 5] == 58 && digit(c[i + 6]) && digit(c[i + 7]) {
            return true
        }
        return false
    }

    /// Reads a signed decimal integer at the start of `s` (after spaces);
    /// returns it and the rest.
    static func leadingInt(_ s: Substring) -> (Int, Substring)? {
        var t = trimLeft(s)
        var negative = false
        if t.first == "-" { negative = true; t = t.dropFirst() } else if t.first == "+" { t = t.dropFirst() }
        let digits = t.prefix(while: { $0.isASCII && $0.isNumber })
        guard !digits.isEmpty, digits.count <= 18, let n = Int(digits) else { return nil }
        return (negative ? -n : n, t.dropFirst(digits.count))
    }

    /// The integer right after `key` ("order=" -> 0), or nil.
    static func int(after key: String, in s: Substring) -> Int? {
        guard let r = s.byteRange(of: key) else { return nil }
        return leadingInt(s[r.upperBound...])?.0
    }

    /// The number of kB after `key`, as in "min:3948kB" or "usage 102400kB".
    static func kb(after key: String, in s: Substring) -> Int? {
        guard let r = s.byteRange(of: key), let (n, rest) = leadingInt(s[r.upperBound...]),
              rest.hasPrefix("kB") || rest.hasPrefix("KB") else { return nil }
        return n
    }

    /// "0x201da" -> 0x201da.
    static func hex(_ s: Substring) -> (UInt64, Substring)? {
        guard s.hasPrefix("0x") || s.hasPrefix("0X") else { return nil }
        let digits = s.dropFirst(2).prefix(while: { $0.isHexDigit })
        guard !digits.isEmpty, digits.count <= 16, let v = UInt64(digits, radix: 16) else { return nil }
        return (v, s.dropFirst(2 + digits.count))
    }

    /// "pid (comm)" at the start of `s`, where comm may itself hold spaces and
    /// parentheses ("(sd-pam)"): the name ends at the last ")" before `stop`
    /// (or the last ")" of the text).
    static func pidAndComm(_ s: Substring, stops: [String]) -> (pid: Int, comm: String, rest: Substring)? {
        guard let (pid, afterPid) = leadingInt(s) else { return nil }
        var t = afterPid
        // RHEL6: "Killed process 31995, UID 500, (java) total-vm:..."
        if t.hasPrefix(","), let open = t.firstIndex(of: "(") { t = t[open...] }
        t = trimLeft(t)
        guard t.first == "(" else { return (pid, "", t) }
        var end: Substring.Index?
        for stop in stops {
            if let r = t.byteRange(of: ")" + stop) { end = r.lowerBound; break }
        }
        if end == nil { end = t.lastIndex(of: ")") }
        // "Killed process 946 (" and nothing after: the paste was cut inside
        // the name; the pid is still the kernel's word. An empty name says so.
        if end == nil { return (pid, "", t[t.endIndex...]) }
        guard let e = end, e > t.startIndex else { return nil }
        let comm = String(t[t.index(after: t.startIndex)..<e])
        return (pid, comm, t[t.index(after: e)...])
    }
}
