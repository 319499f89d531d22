/// When running stops by itself, for workshops: at each narration cue, at
/// each OOM kill or reap, at each change of the verdict. The TUI's `z` key
/// and `oomlab tui --pause-at cues,kills,verdicts` set it; the markers
/// (Marker.swift) and the outcome say when.
public struct AutoPause: OptionSet, Equatable, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let cues = AutoPause(rawValue: 1)
    /// OOM kills and reaps.
    public static let kills = AutoPause(rawValue: 2)
    public static let verdicts = AutoPause(rawValue: 4)
    public static let all: AutoPause = [.cues, .kills, .verdicts]

    /// The words `--pause-at` takes, in order.
    public static let words: [(word: String, option: AutoPause)] = [("cues", .cues), ("kills", .kills), ("verdicts", .verdicts)]

    /// "cues,kills" -> [.cues, .kills]; "all" and "none" too. Nil for an unknown word.
    public init?(words text: String) {
        var set: AutoPause = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let word = String(part.filter { $0 != " " })
            if word == "all" { set.formUnion(.all); continue }
            if word == "none" { continue }
            guard let found = AutoPause.words.first(where: { $0.word == word }) else { return nil }
            set.insert(found.option)
        }
        self = set
    }

    /// "cues,kills,verdicts", "none".
    public var words: String {
        let on = AutoPause.words.filter { contains($0.option) }.map(\.word)
        return on.isEmpty ? "none" : on.joined(separator: ",")
    }

    /// Why running should stop after stepping to `kernel.tick`, or nil:
    /// `markers` are the kernel's markers of that tick, `before` the verdict
    /// kind before the step. Says what happened in the kernel's words.
    public func reason(markers: [Marker], verdictBefore before: Verdict.Kind, kernel: Kernel) -> String? {
        var said: [String] = []
        func name(_ pid: Int?) -> String {
            guard let pid else { return "" }
            return kernel.task(pid: pid).map { " \($0.name)[\(pid)]" } ?? " pid \(pid)"
        }
        if contains(.kills) {
            for m in markers where m.kind == .oomKill { said.append("the OOM killer killed" + name(m.pid)) }
            for m in markers where m.kind == .reap { said.append("the OOM reaper reaped" + name(m.pid)) }
        }
        if contains(.cues), markers.contains(where: { $0.kind == .cue }) { said.append("a narration cue") }
        if contains(.verdicts), kernel.outcome.kind != before {
            said.append("the verdict changed: \(before.rawValue) -> \(kernel.outcome.kind.rawValue)")
        }
        return said.isEmpty ? nil : said.joined(separator: "; ")
    }
}
