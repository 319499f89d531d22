import Yams
import OOMLabKernel

/// A gfp mask as a scenario writes it: `GFP_NOFS|__GFP_NOFAIL` (spaces
/// around `|` allowed), a list of names (`[GFP_NOFS, __GFP_NOFAIL]`), or `0`
/// for no flags. Names are the kernel's (`GFPFlags.acceptedNames`), case
/// ignored. An unknown name is reported at its own column when the mask is
/// written on one line.
struct GFPDecoder {
    let reader: YAMLNodeReader

    func flags(_ node: Node) throws(ScenarioError) -> GFPFlags {
        if case .sequence(let items) = node {
            var flags: GFPFlags = []
            for item in items { flags.formUnion(try named(reader.text(item, for: "gfp"), at: reader.location(item))) }
            return flags
        }
        let text = try reader.text(node, for: "gfp")
        if text.trimmingSpaces == "0" { return [] }
        var flags: GFPFlags = []
        var offset = 0
        for part in text.split(separator: "|", omittingEmptySubsequences: false) {
            let leading = part.prefix(while: { $0 == " " }).count
            var at = reader.location(node)
            if case .scalar(let s) = node, !text.contains("\n") {
                at.column += offset + leading + (s.style == .plain ? 0 : 1)
            }
            flags.formUnion(try named(String(part).trimmingSpaces, at: at))
            offset += part.count + 1
        }
        return flags
    }

    private func named(_ name: String, at: SourceLocation) throws(ScenarioError) -> GFPFlags {
        if let flags = GFPFlags.named(name) { return flags }
        if name.isEmpty { throw ScenarioError("empty gfp flag name", at: at) }
        throw ScenarioError("unknown gfp flag '\(name)'", at: at,
                            suggestion: DidYouMean.suggestion(for: name, in: GFPFlags.acceptedNames))
    }
}

extension String {
    /// Without leading and trailing spaces.
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
