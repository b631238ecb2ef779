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

/// The real pacman 6.0.2 reading databases through a throw-away pacman.conf whose
/// DBPath, RootDir and CacheDir sit in a scratch directory.
struct Pacman {
    let root: String
    let conf: String

    /// Installs each database file as `DBPath/sync/REPO.db` (and a files db as `REPO.files`).
    init(scratch: String, repos: [(name: String, db: String, files: String?)]) throws {
        root = scratch + "/pacman"
        let fm = FileManager.default
        for sub in ["db/sync", "root", "cache", "gnupg"] {
            try fm.createDirectory(atPath: root + "/" + sub, withIntermediateDirectories: true)
        }
        var text = """
            [options]
            RootDir = \(root)/root
            DBPath = \(root)/db
            CacheDir = \(root)/cache
            GPGDir = \(root)/gnupg
            LogFile = \(root)/pacman.log
            Architecture = auto
            SigLevel = Never

            """
        for repo in repos {
            try fm.copyItem(atPath: repo.db, toPath: "\(root)/db/sync/\(repo.name).db")
            if let files = repo.files { try fm.copyItem(atPath: files, toPath: "\(root)/db/sync/\(repo.name).files") }
            text += "[\(repo.name)]\nServer = file:///nonexistent\n"
        }
        conf = root + "/pacman.conf"
        try text.write(toFile: conf, atomically: true, encoding: .utf8)
    }

    func run(_ arguments: [String]) throws -> Tools.Result {
        try Tools.run(["pacman", "--config", conf, "--noconfirm", "--color", "never"] + arguments)
    }
}
