import Foundation
import TestSupport

/// The real tools the tests compare against (pacman, repo-add, bsdtar) and scratch space.
enum Tools {
    /// libarchive crashes on non-ASCII names in the C locale; the CLI sets this in main.
    static let localeSet: Bool = { setlocale(LC_ALL, "C.UTF-8"); return true }()

    typealias Result = ProcessRunner.Output

    /// Runs a command (looked up on PATH) and waits for it.
    @discardableResult
    static func run(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) throws -> Result {
        try ProcessRunner.run("/usr/bin/env", arguments, in: directory, environment: environment.merging(["LC_ALL": "C.UTF-8"]) { mine, _ in mine })
    }

    /// The built `pacbuild` executable, for tests that must run (and kill) a real process:
    /// `$PACBUILD_BIN`, else the newest `debug/pacbuild` under a `.build*` scratch
    /// directory of the package (`swift test --scratch-path .build-x` builds it there).
    static let pacbuild: String? = {
        let fm = FileManager.default
        if let path = ProcessInfo.processInfo.environment["PACBUILD_BIN"], fm.isExecutableFile(atPath: path) { return path }
        let candidates = ((try? fm.contentsOfDirectory(atPath: TestPaths.packageRoot)) ?? [])
            .filter { $0.hasPrefix(".build") }
            .map { TestPaths.packageRoot + "/" + $0 + "/debug/pacbuild" }
            .filter { fm.isExecutableFile(atPath: $0) }
        func modified(_ path: String) -> Date {
            ((try? fm.attributesOfItem(atPath: path))?[.modificationDate] as? Date) ?? .distantPast
        }
        return candidates.max { modified($0) < modified($1) }
    }()

    /// A fresh temporary directory, removed by the caller with `cleanUp`.
    static func scratch() throws -> String {
        let path = NSTemporaryDirectory() + "pacbuild-repo-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func cleanUp(_ path: String) { try? FileManager.default.removeItem(atPath: path) }
}

