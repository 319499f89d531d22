import Foundation

/// Reading a text file with a size limit and errors worded for people:
/// `cannot read 'x.yaml': No such file or directory`.
enum FileText {
    /// The file's text; refuses files over `limit` bytes (without reading
    /// them whole), directories, and text that is not UTF-8.
    static func contents(of path: String, limit: Int) throws(ScenarioError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw cannotRead(path, errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw cannotRead(path, errno) }
        if info.st_mode & S_IFMT == S_IFDIR {
            throw ScenarioError("cannot read '\(path)': it is a directory")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw cannotRead(path, errno)
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > limit {
                throw ScenarioError("the file is larger than \(limit >> 20) MiB",
                                    at: SourceLocation(file: path, line: 1, column: 1))
            }
        }
        return try text(bytes, file: path)
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

    static func cannotRead(_ path: String, _ code: Int32) -> ScenarioError {
        ScenarioError("cannot read '\(path)': \(String(cString: strerror(code)))")
    }
}
