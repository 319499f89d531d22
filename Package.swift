// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "oomlab",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "oomlab", targets: ["oomlab"]),
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
        // The simulated kernel, scenarios, presets, importers. Never imports CNcurses.
        .target(
            name: "OOMLab",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        // The command line and the TUI.
        .executableTarget(
            name: "oomlab",
            dependencies: [
                "OOMLab",
                "CNcurses",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "OOMLabTests", dependencies: ["OOMLab"], resources: [.copy("Fixtures")]),
        .testTarget(name: "oomlabTests", dependencies: ["oomlab", "OOMLab"], exclude: ["Golden"]),
    ]
)
