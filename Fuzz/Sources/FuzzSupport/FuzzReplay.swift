import Foundation

/// Runs a fuzz target over files (or every file of folders) without
/// libFuzzer: how the seed corpus and saved crashes are replayed.
public enum FuzzReplay {
    public static func run(_ paths: some Sequence<String>, _ target: (UnsafePointer<UInt8>, Int) -> Int32) {
        var count = 0
        for path in paths {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { continue }
            let files = isDir.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { path + "/" + $0 }
                : [path]
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                let bytes = [UInt8](data) + [0]
                _ = bytes.withUnsafeBufferPointer { target($0.baseAddress!, data.count) }
                count += 1
            }
        }
        print("replayed \(count) inputs")
    }
}

/// The program's entry: under libFuzzer (built with -DFUZZING) hand the
/// target to libFuzzer's driver (SwiftPM links every executable's own main,
/// so libFuzzer's main is not used); otherwise replay the files given.
public enum FuzzMain {
    public typealias Target = @convention(c) (UnsafePointer<UInt8>, Int) -> Int32

    public static func run(_ target: Target) -> Never {
        #if FUZZING
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, target))
        #else
        FuzzReplay.run(CommandLine.arguments.dropFirst()) { target($0, $1) }
        exit(0)
        #endif
    }
}

#if FUZZING
/// libFuzzer's driver (compiler-rt FuzzerDriver.cpp), for programs with their own main.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: FuzzMain.Target) -> Int32
#endif
