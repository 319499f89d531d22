/// Finding an ASCII word in a report line by its UTF-8 bytes. Every line of
/// a report goes through dozens of `contains` and `firstRange(of:)` checks
/// (which kind of line is this?); Foundation's `contains` bridges each call
/// to NSString and the standard library's `firstRange(of:)` compares
/// Characters, and together they were a third of the time a report took to
/// read (perf on the FuzzReportReader target). Every needle the reader
/// looks for is ASCII, and an ASCII character equals only itself, so a
/// Character-wise match is always a byte match; the byte search finds the
/// same ranges except where a combining mark follows the needle's last
/// character (one Character, not the needle's), which no kernel line holds.
extension Substring {
    /// The first range of `needle`'s bytes, or nil.
    func byteRange(of needle: String) -> Range<Index>? {
        let found: Int?? = utf8.withContiguousStorageIfAvailable { hay in
            var needle = needle
            return needle.withUTF8 { n -> Int? in
                guard let first = n.first, n.count <= hay.count else { return n.isEmpty ? 0 : nil }
                var i = 0
                let last = hay.count - n.count
                while i <= last {
                    if hay[i] == first {
                        var j = 1
                        while j < n.count && hay[i + j] == n[j] { j += 1 }
                        if j == n.count { return i }
                    }
                    i += 1
                }
                return nil
            }
        }
        guard let found else { return firstRange(of: needle) }   // not contiguous: the Character search
        guard let offset = found else { return nil }
        let lower = utf8.index(startIndex, offsetBy: offset)
        return lower..<utf8.index(lower, offsetBy: needle.utf8.count)
    }

    /// Whether `needle`'s bytes occur in the line.
    func holds(_ needle: String) -> Bool { byteRange(of: needle) != nil }
}

extension String {
    /// Whether `needle`'s bytes occur in the text (Substring.byteRange).
    func holds(_ needle: String) -> Bool { self[...].holds(needle) }
}
