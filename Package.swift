// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "pacbuild",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "pacbuild", targets: ["CLI"]),
        // The readers as libraries, for the fuzz targets in Fuzz/ (a package of their own).
        .library(name: "PacbuildGraph", targets: ["Graph"]),
        .library(name: "PacbuildRepo", targets: ["Repo"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
    ],
    targets: [
        // Pure model: versions, dependencies, PKGBUILD/.SRCINFO reading, the multi-repo graph and its algorithms. No C, no I/O beyond reading text.
        .target(name: "Graph", exclude: ["README.md"]),
        // pacman's file formats (sync/files databases, package files) through libarchive.
        .target(name: "Repo", dependencies: ["Graph", "CArchive", "CCrypto"], exclude: ["README.md"]),
        // Isolated build backends (User Mode Linux, namespaces + overlayfs, host), build roots, and builds with makepkg; reads the packages it built through Repo.
        .target(name: "Sandbox", dependencies: ["Graph", "Repo", "CLinux"], exclude: ["README.md"]),
        // The application: configuration, plans, the build store and queue, wakas, review and publishing.
        .target(name: "Scheduler", dependencies: [
            "Graph", "Repo", "Sandbox", "CLibPQ", "CSQLite",
            .product(name: "TOMLKit", package: "TOMLKit"),
            .product(name: "Logging", package: "swift-log"),
        ], exclude: ["README.md"]),
        // The web face (`pacbuild serve`): read-only HTML pages (mustache templates), the JSON API and Prometheus metrics over the store, on Hummingbird.
        .target(name: "Web", dependencies: [
            "Graph", "Repo", "Scheduler",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
        ], exclude: ["README.md"]),
        // The `pacbuild` executable: argument parsing and output only.
        .executableTarget(name: "CLI", dependencies: [
            "Graph", "Repo", "Scheduler", "Sandbox", "Web", "CMimalloc",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], exclude: ["README.md"]),
        // C shims: libarchive (package files, databases), libcrypto (package checksums), libpq (PostgreSQL store), sqlite3 (embedded store).
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        // Linux's prctl (no_new_privs, seccomp filters) for the sandbox's confinement; kernel headers only.
        .systemLibrary(name: "CLinux"),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // mimalloc as the executable's allocator (linked ahead of libc, it serves every malloc of the process).
        .systemLibrary(name: "CMimalloc", providers: [.apt(["libmimalloc-dev"])]),

        .testTarget(name: "GraphTests", dependencies: ["Graph", "TestSupport"], exclude: ["Fixtures"]),
        // Helpers the test targets share (running the real tools and pacbuild).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "RepoTests", dependencies: ["Repo", "Graph", "TestSupport"]),
        // The lifecycle machine, configuration, planning and publishing, and the store conformance suite run against SQLite and a throw-away PostgreSQL.
        .testTarget(name: "SchedulerTests", dependencies: ["Scheduler", "Sandbox", "Graph", "Repo", "TestSupport"]),
        // Runs the built `pacbuild` executable (depending on CLI makes SwiftPM build it); review tests set up stores and repos through Scheduler and Repo.
        .testTarget(name: "CLITests", dependencies: ["CLI", "Graph", "TestSupport", "Scheduler", "Repo"]),
        // The web face over a real SQLite store filled through Scheduler: pages, API, metrics, the log stream (HummingbirdTesting).
        .testTarget(name: "WebTests", dependencies: [
            "Web", "CLI", "Scheduler", "Graph", "TestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        // Real sandboxes and builds: needs root, a debootstrap'ed build root (made once, reused) and user-mode-linux.
        .testTarget(name: "SandboxTests", dependencies: ["Sandbox", "Repo", "Graph", "TestSupport"]),
        // `pacbuild run` end to end (catchup, wakas, namespace sandboxes, publishing, the real pacman): needs root and the sandbox tests' cached root.
        .testTarget(name: "IntegrationTests", dependencies: ["CLI", "Scheduler", "Sandbox", "Graph", "Repo", "TestSupport"]),
        // Issue 13's attacks as real builds (root, the sandbox tests' cached root, gcc for the attack program): each ends contained, on the namespace backend and on UML.
        .testTarget(name: "ContainmentTests", dependencies: ["Sandbox", "Repo", "Graph", "TestSupport", "Scheduler"]),
        // The vm backend (issue 18): real builds in QEMU machines (KVM, or TCG where there is none), root and the sandbox tests' cached root.
        .testTarget(name: "VMSandboxTests", dependencies: ["Sandbox", "Repo", "Graph", "TestSupport", "CLI"]),
    ],
    swiftLanguageModes: [.v6]
)
