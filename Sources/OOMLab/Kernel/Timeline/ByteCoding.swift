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

/// The strings and op lists keyframes refer to by number. Append-only, so a
/// number stays valid in every copy of a run (forks share the prefix).
struct KeyframeInterner: Sendable {
    private(set) var strings: [String] = []
    private var stringIndex: [String: Int] = [:]
    private(set) var opLists: [[Op]] = []
    private var opListIndex: [[Op]: Int] = [:]
    /// Buffer address -> number, so a task's program (shared by thousands
    /// of tasks) is hashed once, not once per task per keyframe. Every array
    /// whose address is here is kept alive in `retained`, so an address is
    /// never reused by another array while it is here.
    private var byAddress: [UInt: Int] = [:]
    private var retained: [[Op]] = []

    mutating func string(_ s: String) -> Int {
        if let i = stringIndex[s] { return i }
        strings.append(s)
        stringIndex[s] = strings.count - 1
        return strings.count - 1
    }

    mutating func ops(_ list: [Op]) -> Int {
        let address = list.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        if address != 0, let i = byAddress[address] { return i }
        let i: Int
        if let known = opListIndex[list] {
            i = known
        } else {
            i = opLists.count
            opLists.append(list)
            opListIndex[list] = i
        }
        if address != 0 {
            byAddress[address] = i
            retained.append(list)
        }
        return i
    }
}
