// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for pacbuild's readers, a package of its own so that the main
// package's build never sees `-sanitize=fuzzer`. Built and run by `scripts/fuzz`:
//
//     swift build -c release -Xswiftc -sanitize=fuzzer,address
//
// Each target defines `LLVMFuzzerTestOneInput`; its main.swift hands it to libFuzzer's driver
// (FuzzSupport's runFuzzer says why not libFuzzer's own `main`).
let package = Package(
    name: "pacbuild-fuzz",
    dependencies: [
        .package(name: "pacbuild", path: ".."),
    ],
    targets: [
        // What the targets share: the call into libFuzzer's driver, the scratch file the Repo targets read their input from.
        .target(name: "FuzzSupport"),
        // The PKGBUILD reader (bash-subset evaluator and SrcInfoExtractor), input as PKGBUILD text, CARCH=i586.
        .executableTarget(name: "fuzz-pkgbuild", dependencies: ["FuzzSupport", .product(name: "PacbuildGraph", package: "pacbuild")]),
        // The `.SRCINFO` parser, input as `.SRCINFO` text.
        .executableTarget(name: "fuzz-srcinfo", dependencies: ["FuzzSupport", .product(name: "PacbuildGraph", package: "pacbuild")]),
        // SyncDatabase.read, input as a sync or files database archive.
        .executableTarget(name: "fuzz-database", dependencies: ["FuzzSupport", .product(name: "PacbuildRepo", package: "pacbuild")]),
        // PackageFile.read and databaseEntry(), input as a package file.
        .executableTarget(name: "fuzz-package", dependencies: ["FuzzSupport", .product(name: "PacbuildRepo", package: "pacbuild")]),
    ],
    swiftLanguageModes: [.v6]
)
