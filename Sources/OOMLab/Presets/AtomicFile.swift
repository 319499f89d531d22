import Foundation

/// Writing a file so that it holds either its old content or the whole new
/// content, never a mix, whatever fails and whenever the power goes:
/// write a temporary file in the same folder, fsync it, then move it into
/// place with one atomic system call, and fsync the folder. On any failure the
/// temporary file is removed and the old file is untouched.
enum AtomicFile {
    /// Writes `text` to `path`. Unless `replacing`, an existing file is never
    /// touched: the new file is put in place with link(2), which fails if the
    /// name exists, so no check-then-write race can clobber a file either.
    static func write(_ text: String, to path: String, replacing: Bool) throws(ScenarioError) {
        let folder = parentFolder(of: path)
        var existing = stat()
        let exists = stat(path, &existing) == 0
        if exists && !replacing { throw alreadyExists(path) }

        let temp = try createTemporary(in: folder, for: path)
        var placed = false
        defer { if !placed { unlink(temp.path) } }
        do {
            defer { close(temp.fd) }
            if exists, fchmod(temp.fd, existing.st_mode & 0o7777) != 0 { throw cannotSave(path, errno) }
            try writeAll(Array(text.utf8), to: temp.fd, path: path)
            if fsync(temp.fd) != 0 { throw cannotSave(path, errno) }
        }
        if replacing {
            if rename(temp.path, path) != 0 { throw cannotSave(path, errno) }
            placed = true
        } else {
            try link(temp.path, to: path)
        }
        syncFolder(folder)
    }

    /// Puts the temporary file at `path` only if nothing is there. Filesystems
    /// without hard links get a check and rename instead.
    private static func link(_ temp: String, to path: String) throws(ScenarioError) {
        if Foundation.link(temp, path) == 0 {
            unlink(temp)
            return
        }
        let code = errno
        if code == EEXIST { throw alreadyExists(path) }
        guard code == EPERM || code == ENOSYS || code == EOPNOTSUPP else { throw cannotSave(path, code) }
        var info = stat()
        if stat(path, &info) == 0 { throw alreadyExists(path) }
        if rename(temp, path) != 0 { throw cannotSave(path, errno) }
    }

    private static func createTemporary(in folder: String, for path: String) throws(ScenarioError) -> (fd: Int32, path: String) {
        let base = path.split(separator: "/").last.map(String.init) ?? "scenario"
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<16 {
            let suffix = String(generator.next() & 0xFFFF_FFFF, radix: 36)
            let candidate = folder + "/." + base + "." + suffix + ".tmp"
            let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if fd >= 0 { return (fd, candidate) }
            if errno != EEXIST { throw cannotSave(path, errno) }
        }
        throw cannotSave(path, EEXIST)
    }

    private static func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) throws(ScenarioError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw cannotSave(path, errno)
            }
            offset += n
        }
    }

    /// Makes the rename itself durable; a folder that cannot be opened
    /// (some network filesystems) is not worth failing a save for.
    private static func syncFolder(_ folder: String) {
        let fd = open(folder, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    static func parentFolder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func alreadyExists(_ path: String) -> ScenarioError {
        ScenarioError("'\(path)' already exists; not overwriting it")
    }

    static func cannotSave(_ path: String, _ code: Int32) -> ScenarioError {
        ScenarioError("cannot save '\(path)': \(String(cString: strerror(code)))")
    }
}
