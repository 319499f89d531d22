import Foundation
import Testing
import OOMLabKernel

/// Paths that are not regular files: every command that reads a scenario or
/// a report says what the path is instead of hanging on a FIFO or reading a
/// device; a save never writes through onto one. Each run has a timeout, so
/// a hang fails the test.
@Suite("Special files: FIFOs, directories, devices, symlinks, empty and huge files", .slow)
struct SpecialFileTests {
    let dir: URL
    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("oomlab-special-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func fifo(_ name: String) throws -> String {
        let p = path(name)
        #expect(mkfifo(p, 0o644) == 0)
        return p
    }

    func run(_ args: [String], environment: [String: String] = [:]) throws -> Binary.Result {
        let r = try Binary.run(args, in: dir, environment: environment, timeout: 60)
        #expect(!r.timedOut, "oomlab \(args.joined(separator: " ")) hung")
        return r
    }

    static let fifoMessage = "it is a FIFO (named pipe), not a regular file"

    @Test("run, check and compare on a FIFO say what it is", arguments: ["run", "check", "compare"])
    func scenarioFIFO(_ command: String) throws {
        _ = try fifo("p.yaml")
        let r = try run([command, "p.yaml"])
        #expect(r.status == 1)
        if command == "check" {   // check reports each scenario on stdout
            #expect(r.stdout == "FAIL p.yaml: error: cannot read 'p.yaml': \(Self.fifoMessage)\n0 passed, 1 failed\n")
        } else {
            #expect(r.stderr == "oomlab: error: cannot read 'p.yaml': \(Self.fifoMessage)\n")
        }
    }

    @Test("scenario paths: a directory, a symlink loop and a dangling symlink say what they are (exit 1); a missing file is a usage error",
          arguments: ["run", "check"])
    func scenarioPaths(_ command: String) throws {
        try FileManager.default.createDirectory(atPath: path("d"), withIntermediateDirectories: true)
        #expect(symlink("loop-b", path("loop-a")) == 0 && symlink("loop-a", path("loop-b")) == 0)
        #expect(symlink("gone.yaml", path("dangling.yaml")) == 0)
        let cases: [(String, Int32, String)] = [
            ("d", 1, "cannot read 'd': it is a directory"),
            ("d/", 1, "cannot read 'd/': it is a directory"),
            ("loop-a", 1, "cannot read 'loop-a': Too many levels of symbolic links"),
            ("dangling.yaml", 1, "cannot read 'dangling.yaml': it is a symbolic link to 'gone.yaml', which does not exist"),
            ("none.yaml", 64, "no such file 'none.yaml'"),
        ]
        for (file, status, message) in cases {
            let r = try run([command, file])
            // check reports every scenario it could not check on its own line, exit 1.
            #expect(r.status == (command == "check" ? 1 : status), "\(command) \(file)")
            if command == "check" {
                #expect(r.stdout == "FAIL \(file): error: \(message)\n0 passed, 1 failed\n")
            } else {
                #expect(r.stderr.hasPrefix("oomlab: error: \(message)"), "\(command) \(file): \(r.stderr)")
            }
        }
    }

    @Test("a FIFO in the presets folder: presets lists it as not loading, check fails on it, neither hangs")
    func presetsFolderFIFO() throws {
        let presets = dir.appendingPathComponent("presets")
        try FileManager.default.createDirectory(at: presets, withIntermediateDirectories: true)
        #expect(mkfifo(presets.appendingPathComponent("stuck.yaml").path, 0o644) == 0)
        try "machine: {ram: 64MiB}\ntasks: []\n".write(to: presets.appendingPathComponent("fine.yaml"), atomically: true, encoding: .utf8)
        let list = try run(["presets"], environment: ["OOMLAB_PRESETS": presets.path])
        #expect(list.stdout.contains("stuck"))
        #expect(list.stdout.contains(Self.fifoMessage) || list.stderr.contains(Self.fifoMessage))
        let check = try run(["check"], environment: ["OOMLAB_PRESETS": presets.path])
        #expect(check.status == 1)
        #expect((check.stdout + check.stderr).contains("cannot read '\(presets.path)/stuck.yaml': \(Self.fifoMessage)"))
    }

    @Test("report commands: a FIFO, a directory, an empty file, a missing file, a symlink loop",
          arguments: ["explain-report", "import-report"])
    func reportPaths(_ command: String) throws {
        _ = try fifo("r.txt")
        try FileManager.default.createDirectory(atPath: path("d"), withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: path("empty.txt"), contents: Data()))
        #expect(symlink("loop-b", path("loop-a")) == 0 && symlink("loop-a", path("loop-b")) == 0)
        let cases: [(String, String)] = [
            ("r.txt", "oomlab: r.txt: cannot read 'r.txt': \(Self.fifoMessage)\n"),
            ("d", "oomlab: d: cannot read 'd': it is a directory\n"),
            ("empty.txt", "oomlab: empty.txt: the file is empty\n"),
            ("none.txt", "oomlab: none.txt: cannot read 'none.txt': No such file or directory\n"),
            ("loop-a", "oomlab: loop-a: cannot read 'loop-a': Too many levels of symbolic links\n"),
        ]
        for (file, expected) in cases {
            let r = try run([command, file])
            #expect(r.status == 1)
            #expect(r.stderr == expected)
        }
        if getuid() != 0 {
            try "x".write(toFile: path("secret.txt"), atomically: true, encoding: .utf8)
            chmod(path("secret.txt"), 0)
            let r = try run([command, "secret.txt"])
            #expect(r.stderr == "oomlab: secret.txt: cannot read 'secret.txt': Permission denied\n")
        }
    }

    @Test("a report over 64 MiB is refused unread, naming the limit")
    func hugeReport() throws {
        let p = path("huge.txt")
        #expect(FileManager.default.createFile(atPath: p, contents: Data()))
        #expect(truncate(p, (64 << 20) + 1) == 0)
        let r = try run(["explain-report", "huge.txt"])
        #expect(r.status == 1)
        #expect(r.stderr == "oomlab: huge.txt: the file is larger than 64 MiB (67108865 bytes); "
                + "cut the report out of the log (from \"invoked oom-killer\" to \"Killed process\")\n")
    }

    @Test("--save-as onto a FIFO or a device is refused, with or without --force", arguments: [false, true])
    func saveOntoSpecial(force: Bool) throws {
        let f = try fifo("out.yaml")
        let extra = force ? ["--force"] : []
        let r = try run(["run", "--ticks", "1", "--save-as", "out.yaml"] + extra)
        #expect(r.status == 1)
        #expect(r.stderr == "oomlab: error: cannot save 'out.yaml': \(Self.fifoMessage)\n")
        var info = stat()
        #expect(lstat(f, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
        // A device node of our own (never /dev/null itself: a regression
        // would replace the machine's), when we may make one.
        if mknod(path("null.yaml"), S_IFCHR | 0o666, dev_t(0x103)) == 0 {   // makedev(1, 3): what /dev/null is
            let dev = try run(["run", "--ticks", "1", "--save-as", "null.yaml"] + extra)
            #expect(dev.status == 1)
            #expect(dev.stderr == "oomlab: error: cannot save 'null.yaml': it is a character device, not a regular file\n")
            #expect(lstat(path("null.yaml"), &info) == 0 && info.st_mode & S_IFMT == S_IFCHR)
        }
        // What /dev/stdout is: a link to this process's descriptor.
        #expect(symlink("/proc/self/fd/1", path("stdout.yaml")) == 0)
        let fd = try run(["run", "--ticks", "1", "--save-as", "stdout.yaml"] + extra)
        #expect(fd.status == 1)
        #expect(fd.stderr == "oomlab: error: cannot save 'stdout.yaml': it leads to '/proc/self/fd/1', a process's file, not a regular file\n")
    }

    @Test("--force onto a symlink replaces the file it points to, keeps the link and the file's mode")
    func saveThroughSymlink() throws {
        let first = try run(["run", "--ticks", "1", "--save-as", "target.yaml"])
        #expect(first.status == 0)
        #expect(chmod(path("target.yaml"), 0o640) == 0)
        #expect(symlink("target.yaml", path("link.yaml")) == 0)
        let r = try run(["run", "--ticks", "7", "--save-as", "link.yaml", "--force"])
        #expect(r.status == 0, "\(r.stderr)")
        var info = stat()
        #expect(lstat(path("link.yaml"), &info) == 0 && info.st_mode & S_IFMT == S_IFLNK)
        #expect(stat(path("target.yaml"), &info) == 0 && info.st_mode & 0o777 == 0o640)
        let text = try String(contentsOfFile: path("target.yaml"), encoding: .utf8)
        #expect(text.contains("ticks: 7\n"))
        // A link to nothing is refused rather than guessed at.
        #expect(symlink("missing/nothing.yaml", path("dangling.yaml")) == 0)
        let d = try run(["run", "--ticks", "1", "--save-as", "dangling.yaml", "--force"])
        #expect(d.status == 1)
        #expect(d.stderr == "oomlab: error: cannot save 'dangling.yaml': it is a symbolic link to 'missing/nothing.yaml', which does not exist\n")
    }
}
