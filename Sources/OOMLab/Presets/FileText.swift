import Foundation
import OOMLabKernel

/// Reading a text file with a size limit and errors worded for people:
/// `cannot read 'x.yaml': No such file or directory`,
/// `cannot read 'p.yaml': it is a FIFO (named pipe), not a regular file`.
///
/// Only regular files are read. The path is opened with O_NONBLOCK, so that
/// opening a FIFO returns at once instead of waiting for a writer, and then
/// checked with fstat (the file opened, not a name that could change under us).
enum FileText {
    enum Failure: Error, Equatable {
        /// The whole message: "cannot read 'x': it is a directory".
        case cannotRead(String)
        /// Larger than the limit; the size when known.
        case tooLarge(bytes: Int)
    }

    /// The file's bytes; refuses what is not a regular file and files over
    /// `limit` bytes (without reading them whole).
    static func bytes(of path: String, limit: Int) throws(Failure) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard fd >= 0 else { throw .cannotRead(cannotRead(path, errno).message) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .cannotRead(cannotRead(path, errno).message) }
        if let kind = kind(of: info.st_mode) { throw .cannotRead("cannot read '\(path)': \(kind)") }
        if Int(info.st_size) > limit { throw .tooLarge(bytes: Int(info.st_size)) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .cannotRead(cannotRead(path, errno).message)
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > limit { throw .tooLarge(bytes: bytes.count) }
        }
        return bytes
    }

    /// The file's text; refuses special files, files over `limit` bytes,
    /// and text that is not UTF-8. A `builtin:` path is read from the compiled-in files, never the disk.
    static func contents(of path: String, limit: Int) throws(ScenarioError) -> String {
        if BuiltinFiles.isBuiltin(path) {
            guard let text = BuiltinFiles.text(at: path) else { throw ScenarioError("no built-in file '\(path)'") }
            return text
        }
        let data: [UInt8]
        do {
            data = try bytes(of: path, limit: limit)
        } catch .cannotRead(let message) {
            throw ScenarioError(message)
        } catch {
            throw ScenarioError("the file is larger than \(limit >> 20) MiB", at: SourceLocation(file: path, line: 1, column: 1))
        }
        return try text(data, file: path)
    }

    /// What a non-regular file is, as an error says it ("it is a directory"),
    /// or nil for a regular file.
    static func kind(of mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "it is a directory"
        case S_IFIFO: return "it is a FIFO (named pipe), not a regular file"
        case S_IFCHR: return "it is a character device, not a regular file"
        case S_IFBLK: return "it is a block device, not a regular file"
        case S_IFSOCK: return "it is a socket, not a regular file"
        case S_IFLNK: return "it is a symbolic link"
        default: return "it is not a regular file"
        }
    }

    /// The bytes as a String, or an error at the first byte that is not UTF-8.
    static func text(_ bytes: [UInt8], file: String) throws(ScenarioError) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var line = 1, column = 1
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s):
                if s == "\n" { line += 1; column = 1 } else { column += 1 }
            case .emptyInput, .error:
                break loop
            }
        }
        throw ScenarioError("the file is not valid UTF-8 text", at: SourceLocation(file: file, line: line, column: column))
    }

    /// The line and column of a Character offset into `text`.
    static func location(characterOffset: Int, in text: String, file: String) -> SourceLocation {
        var line = 1, column = 1
        for c in text.prefix(characterOffset) {
            if c == "\n" || c == "\r\n" { line += 1; column = 1 } else { column += 1 }
        }
        return SourceLocation(file: file, line: line, column: column)
    }

    /// "cannot read 'x': <strerror>", except that a symbolic link whose
    /// target is missing says so and names the target (strerror would say
    /// "No such file or directory" of a link the user can see).
    static func cannotRead(_ path: String, _ code: Int32) -> ScenarioError {
        if code == ENOENT, let target = danglingTarget(path) {
            return ScenarioError("cannot read '\(path)': it is a symbolic link to '\(target)', which does not exist")
        }
        return ScenarioError("cannot read '\(path)': \(String(cString: strerror(code)))")
    }

    /// The target of `path` if it is a symbolic link.
    static func danglingTarget(_ path: String) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { return nil }
        return readLink(path)
    }

    /// What the symbolic link at `path` holds (readlink(2)), nil with errno set.
    static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n >= 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether anything is at `path`, even a symbolic link that leads
    /// nowhere or into a loop (lstat, not stat).
    static func somethingIsAt(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }
}

/// Reading an OOM report file: a regular file of at most
/// `ReportLimits.maxFileBytes`, not empty. Bytes that are not UTF-8 are
/// replaced (a log may hold a stray byte; the report lines are ASCII).
public enum ReportFile {
    public static func text(of path: String) throws(ReportError) -> String {
        let data: [UInt8]
        do {
            data = try FileText.bytes(of: path, limit: ReportLimits.maxFileBytes)
        } catch {
            switch error {
            case .cannotRead(let message):
                throw ReportError(message)
            case .tooLarge(let bytes):
                throw ReportError("the file is larger than \(ReportLimits.maxFileBytes >> 20) MiB (\(bytes) bytes); "
                                  + "cut the report out of the log (from \"invoked oom-killer\" to \"Killed process\")")
            }
        }
        return try text(data, what: "the file")
    }

    /// Standard input to its end (`dmesg | oomlab explain-report -`), with
    /// the same limit and checks as a file.
    public static func standardInput() throws(ReportError) -> String {
        if isatty(0) == 1 {
            throw ReportError("standard input is a terminal; pipe a report in (dmesg | oomlab explain-report -) or name a file")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ReportError("cannot read standard input: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > ReportLimits.maxFileBytes {
                throw ReportError("standard input is larger than \(ReportLimits.maxFileBytes >> 20) MiB; "
                                  + "cut the report out of the log (from \"invoked oom-killer\" to \"Killed process\")")
            }
        }
        return try text(bytes, what: "standard input")
    }

    /// The bytes as text. Empty input, or bytes with NULs (a binary file, a
    /// core dump, a compressed log), is not a report.
    static func text(_ data: [UInt8], what: String) throws(ReportError) -> String {
        if data.isEmpty { throw ReportError("\(what) is empty") }
        if let nul = data.firstIndex(of: 0) {
            let gz = data.count >= 2 && data[0] == 0x1f && data[1] == 0x8b
            throw ReportError("\(what) is not text (a NUL byte at offset \(nul)"
                              + (gz ? "; it is gzip-compressed: zcat it first)" : "; is it a binary or compressed file?)"))
        }
        return String(decoding: data, as: UTF8.self)
    }
}
