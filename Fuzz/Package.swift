// swift-tools-version:6.0
// Fuzz targets for oomlab's readers, built with libFuzzer and AddressSanitizer
// by scripts/fuzz (not by the main package's `swift build`):
//   swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING
// SwiftPM's own --sanitize flags keep only the last one given, so the
// sanitizers go to swiftc directly. Without -DFUZZING each target is a plain
// program that replays the files given on its command line (the seed corpus).
import PackageDescription

let package = Package(
    name: "oomlab-fuzz",
    dependencies: [.package(name: "oomlab", path: "..")],
    targets: [
        .target(name: "FuzzSupport"),
        .executableTarget(name: "FuzzScenarioLoader", dependencies: ["FuzzSupport", .product(name: "OOMLab", package: "oomlab"), .product(name: "OOMLabKernel", package: "oomlab")]),
        .executableTarget(name: "FuzzSessionLoader", dependencies: ["FuzzSupport", .product(name: "OOMLab", package: "oomlab"), .product(name: "OOMLabKernel", package: "oomlab")]),
        .executableTarget(name: "FuzzReportReader", dependencies: ["FuzzSupport", .product(name: "OOMLab", package: "oomlab"), .product(name: "OOMLabKernel", package: "oomlab")]),
    ]
)
