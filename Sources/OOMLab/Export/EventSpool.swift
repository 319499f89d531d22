import Foundation

/// The JSON trace's event list while a run goes on. The events array sits in
/// the middle of the one JSON object (`oomlab run --format json`), before
/// fields known only at the end, so the events are rendered as they come and
/// kept here until the footer: the first 256 KiB in memory, the rest in an
/// unnamed temporary file (created and unlinked at once, so nothing is left
/// behind). Peak memory stays flat in run length: a few copies of one chunk
/// (the text, its bytes, the output buffer), so the chunk is kept small.
final class EventSpool {
    /// Rendered text held in memory before it goes to the file, and the
    /// size of the chunks read back (tests make it small to cross chunk ends).
    let memoryLimit: Int

    init(memoryLimit: Int = 1 << 18) { self.memoryLimit = memoryLimit }

    private var pending = ""
    private var file: FileHandle?
    /// Events spooled so far.
    private(set) var count = 0
    /// Bytes spooled so far (the separators included): what the events
    /// array will add to the trace, for `--max-output`.
    private(set) var bytes = 0

    /// Appends one rendered array item (the text of the item at its
    /// indentation, without separators).
    func append(_ item: String) {
        if count > 0 { pending += ",\n"; bytes += 2 }
        pending += item
        bytes += item.utf8.count
        count += 1
        if pending.utf8.count >= memoryLimit { spill() }
    }

    /// Moves what is in memory to the temporary file. If no temporary file
    /// can be made, the text stays in memory: the trace is still whole.
    private func spill() {
        if file == nil { file = EventSpool.unnamedTemporaryFile() }
        guard let file else { return }
        file.write(Data(pending.utf8))
        pending = ""
    }

    /// Hands every spooled byte to `write`, in order, a chunk at a time
    /// (a chunk never ends inside a UTF-8 sequence).
    func drain(_ write: (String) -> Void) {
        if let file {
            file.seek(toFileOffset: 0)
            var carry: [UInt8] = []
            while true {
                let chunk = file.readData(ofLength: memoryLimit)
                if chunk.isEmpty { break }
                var bytes = carry + chunk
                // Keep an unfinished sequence at the end for the next chunk.
                var cut = bytes.count
                while cut > 0 && bytes.count - cut < 4 && bytes[cut - 1] & 0xC0 == 0x80 { cut -= 1 }
                if cut > 0 && bytes[cut - 1] >= 0xC0 { cut -= 1 } else { cut = bytes.count }
                carry = Array(bytes[cut...])
                bytes.removeSubrange(cut...)
                write(String(decoding: bytes, as: UTF8.self))
            }
            write(String(decoding: carry, as: UTF8.self))
        }
        write(pending)
    }

    /// A file in $TMPDIR (or /tmp) opened for reading and writing and
    /// unlinked at once: the kernel frees it when the handle closes.
    static func unnamedTemporaryFile() -> FileHandle? {
        let dir = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((dir + "/oomlab-events-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return nil }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }
}
