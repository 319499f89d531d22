// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "oomlab",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "oomlab", targets: ["oomlab"]),
        .library(name: "OOMLabKernel", targets: ["OOMLabKernel"]),
        .library(name: "OOMLab", targets: ["OOMLab"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // The only C in the project: a shim over ncursesw. Imported by one Swift file.
        .target(
            name: "CNcurses",
            linkerSettings: [.linkedLibrary("ncursesw")]
        ),
        // The simulated kernel, the scenario it boots from and its timeline (keyframes,
        // seeking, markers): the standard library only, no dependencies.
        .target(
            name: "OOMLabKernel",
            path: "Sources/OOMLab/Kernel"
        ),
        // Around the kernel: scenario files (Yams), presets, sessions on disk, report
        // importers, exports.
        // Never imports CNcurses.
        // YAMLPreScan.swift and YAMLComments.swift `import CYaml`, the libyaml module Yams
        // is built on, for the event and token API Yams does not offer. Yams exports no
        // CYaml product, so it cannot be listed here; the module is visible only because
        // this target depends on Yams. CYamlBoundaryTests fails if the pre-scan stops
        // running the parser Yams runs; if a Yams release hides the module, the build fails.
        .target(
            name: "OOMLab",
            dependencies: ["OOMLabKernel", .product(name: "Yams", package: "Yams")],
            exclude: ["Kernel"]
        ),
        // The interactive interface as a library: app state and its reducer, the key
        // table, views drawing into a Screen grid, the main loop, and Terminal (the one
        // file that imports CNcurses). The executable and the tests use it.
        .target(
            name: "OOMLabTUI",
            dependencies: ["OOMLab", "OOMLabKernel", "CNcurses"],
            path: "Sources/oomlab/TUI"
        ),
        // The executable, kept thin: the commands (swift-argument-parser), their
        // options and one error path. Everything else lives in the libraries.
        .executableTarget(
            name: "oomlab",
            dependencies: [
                "OOMLab",
                "OOMLabKernel",
                "OOMLabTUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/oomlab/CLI"
        ),
        .testTarget(
            name: "OOMLabTests",
            dependencies: ["OOMLab", "OOMLabKernel", .product(name: "Yams", package: "Yams")],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "oomlabTests", dependencies: ["oomlab", "OOMLabTUI", "OOMLab", "OOMLabKernel"], exclude: ["Golden"]),
    ]
)
