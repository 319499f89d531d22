import Foundation
import OOMLabKernel

/// Writing a file so that it holds either its old content or the whole new
/// content, never a mix, whatever fails and whenever the power goes:
/// write a temporary file in the same folder, fsync it, then move it into
/// place with one atomic system call, and fsync the folder. On any failure the
/// temporary file is removed and the old file is untouched.
enum AtomicFile {
    /// Writes `text` to `path`. Unless `replacing`, an existing file is never
    /// touched: the new file is put in place with link(2), which fails if the
    /// name exists, so no check-then-write race can clobber a file either.
    ///
    /// Only a regular file is ever replaced: a FIFO, a device, a socket or a
    /// directory at `path` is refused (a rename over /dev/null as root would
    /// replace the device). A symbolic link is followed on purpose: the file
    /// it points to is replaced (in its own folder) and the link stays; a
    /// link to nothing, or into /proc (/dev/stdout is /proc/self/fd/1), is
    /// refused. The replaced file keeps its mode, and its owner and group
    /// where the kernel lets us (fchown works for root, or for a group the
    /// user is in).
    static func write(_ text: String, to path: String, replacing: Bool) throws(ScenarioError) {
        let target = try saveTarget(path)
        let folder = parentFolder(of: target)
        var existing = stat()
        let exists = lstat(target, &existing) == 0
        if exists && !replacing { throw alreadyExists(path) }

        let temp = try createTemporary(in: folder, for: target)
        var placed = false
        defer { if !placed { unlink(temp.path) } }
        try SaveSignals.removing(temp.path) { () throws(ScenarioError) in
            do {
                defer { close(temp.fd) }
                if exists {
                    if fchmod(temp.fd, existing.st_mode & 0o7777) != 0 { throw cannotSave(path, errno) }
                    _ = fchown(temp.fd, existing.st_uid, existing.st_gid)   // EPERM: keep ours
                }
                try writeAll(Array(text.utf8), to: temp.fd, path: path)
                if fsync(temp.fd) != 0 { throw cannotSave(path, errno) }
            }
            faultBeforePlacing?()
            if replacing {
                if rename(temp.path, target) != 0 { throw cannotSave(path, errno) }
                placed = true
            } else {
                try link(temp.path, to: target, named: path)
            }
        }
        syncFolder(folder)
    }

    /// Fault injection for tests of interrupted saves: the binary sets it
    /// from OOMLAB_TEST_SIGNAL_DURING_SAVE (a signal number) so a test can
    /// deliver a signal at the worst moment, the file written, not yet placed.
    nonisolated(unsafe) static var faultBeforePlacing: (() -> Void)?

    /// The path a save to `path` writes: `path` itself if nothing or a
    /// regular file is there, the regular file a symbolic link leads to, or
    /// an error saying what is there instead.
    static func saveTarget(_ path: String) throws(ScenarioError) -> String {
        var current = path
        for _ in 0..<40 {   // MAXSYMLINKS
            if current.hasPrefix("/proc/") {
                throw ScenarioError("cannot save '\(path)': it leads to '\(current)', a process's file, not a regular file")
            }
            var info = stat()
            guard lstat(current, &info) == 0 else {
                let code = errno
                if code == ENOENT, current != path {
                    throw ScenarioError("cannot save '\(path)': it is a symbolic link to '\(current)', which does not exist")
                }
                if code == ENOENT { return current }
                throw cannotSave(path, code)
            }
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                return current
            case S_IFLNK:
                guard let link = FileText.readLink(current) else { throw cannotSave(path, errno) }
                let base = parentFolder(of: current)
                current = link.hasPrefix("/") || base == "." ? link : base + "/" + link
            default:
                throw ScenarioError("cannot save '\(path)': \(FileText.kind(of: info.st_mode) ?? "it is not a regular file")")
            }
        }
        throw cannotSave(path, ELOOP)
    }

    /// Puts the temporary file at `path` only if nothing is there. Filesystems
    /// without hard links get a check and rename instead.
    private static func link(_ temp: String, to path: String, named name: String) throws(ScenarioError) {
        if Foundation.link(temp, path) == 0 {
            unlink(temp)
            return
        }
        let code = errno
        if code == EEXIST { throw alreadyExists(name) }
        guard code == EPERM || code == ENOSYS || code == EOPNOTSUPP else { throw cannotSave(name, code) }
        var info = stat()
        if lstat(path, &info) == 0 { throw alreadyExists(name) }
        if rename(temp, path) != 0 { throw cannotSave(name, errno) }
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
