/// Integers as zigzag varints in a byte array: what keyframes and the sample
/// log store instead of whole structs (a tick count or a page count that
/// changed a little costs one or two bytes, not eight).
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func int(_ v: Int) { SampleLog.writeVarint(zigzag(v), to: &bytes) }
    mutating func bool(_ b: Bool) { bytes.append(b ? 1 : 0) }
    /// nil as 0, a value as itself plus one (zigzagged).
    mutating func optional(_ v: Int?) {
        bool(v != nil)
        if let v { int(v) }
    }
}

struct ByteReader {
    let bytes: [UInt8]
    var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func int() -> Int { unzigzag(SampleLog.readVarint(bytes, &offset)) }
    mutating func bool() -> Bool {
        defer { offset += 1 }
        return bytes[offset] != 0
    }
    mutating func optional() -> Int? { bool() ? int() : nil }
}

/// The strings keyframes refer to by number (programs are numbered by
/// the kernel itself, `Kernel.programs`). Append-only, so a
/// number stays valid in every copy of a run (forks share the prefix).
struct KeyframeInterner: Sendable {
    private(set) var strings: [String] = []
    private var stringIndex: [String: Int] = [:]
    mutating func string(_ s: String) -> Int {
        if let i = stringIndex[s] { return i }
        strings.append(s)
        stringIndex[s] = strings.count - 1
        return strings.count - 1
    }
}
