import OOMLabKernel

/// "Did you mean ...?" for misspelt keys, keywords, flag, lock and preset names.
public enum DidYouMean {
    /// The candidate closest to `word`, if it is close enough to be a likely
    /// typo: at most one edit for words of up to four characters, two up to
    /// eight, three beyond. Case is ignored; ties go to the earlier candidate.
    public static func suggestion(for word: String, in candidates: [String]) -> String? {
        let lowered = Array(word.lowercased())
        guard !lowered.isEmpty, lowered.count <= 64 else { return nil }
        let budget = lowered.count <= 4 ? 1 : (lowered.count <= 8 ? 2 : 3)
        var best: (name: String, distance: Int)?
        for candidate in candidates where candidate.count <= 64 {
            let d = distance(lowered, Array(candidate.lowercased()))
            if d <= budget, d < (best?.distance ?? Int.max) { best = (candidate, d) }
        }
        return best?.name
    }

    /// Optimal string alignment distance (Levenshtein plus transposition of
    /// two adjacent characters, the commonest typo: "gpf" for "gfp").
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var before = [Int](repeating: 0, count: b.count + 1)   // row i-2
        var previous = Array(0...b.count)                      // row i-1
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var d = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d = min(d, before[j - 2] + 1)
                }
                current[j] = d
            }
            (before, previous, current) = (previous, current, before)
        }
        return previous[b.count]
    }
}
