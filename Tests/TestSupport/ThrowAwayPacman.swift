import Foundation

/// The real pacman reading repos through a pacman.conf of its own: DBPath, RootDir and
/// CacheDir in a scratch directory, no signature checks, each repo a `file://` server.
/// What the tests compare pacbuild's databases against.
public struct ThrowAwayPacman {
    public let conf: String
    let root: String

    /// Writes the configuration under `scratch/pacman`; `repos` are (name, directory of
    /// NAME.db) in pacman.conf order.
    public init(scratch: String, repos: [(name: String, directory: String)]) throws {
        root = scratch + "/pacman"
        for sub in ["db", "root", "cache"] {
            try FileManager.default.createDirectory(atPath: root + "/" + sub, withIntermediateDirectories: true)
        }
        conf = root + "/pacman.conf"
        let servers = repos.map { "[\($0.name)]\nServer = file://\($0.directory)\n" }.joined()
        try ("[options]\nDBPath = \(root)/db\nRootDir = \(root)/root\nCacheDir = \(root)/cache\nGPGDir = \(root)/gnupg\n"
             + "LogFile = \(root)/pacman.log\nArchitecture = auto\nSigLevel = Never\n\(servers)")
            .write(toFile: conf, atomically: true, encoding: .utf8)
    }

    /// A pacman whose repos are the given database files, put in place as `-Sy` and
    /// `-Fy` would (sync `REPO.db`, files `REPO.files`); no server is ever reached.
    public init(scratch: String, databases: [(name: String, db: String, files: String?)]) throws {
        try self.init(scratch: scratch, repos: databases.map { ($0.name, "/nonexistent") })
        for repo in databases {
            try install(database: repo.db, as: repo.name)
            if let files = repo.files { try install(database: files, as: repo.name, suffix: ".files") }
        }
    }

    /// `pacman -Syy`: fetches every repo's database from its server, also when the copy
    /// here looks as new (a database rewritten within the same second as the last fetch).
    public func sync() throws {
        let sync = try ProcessRunner.run("/usr/bin/pacman", ["--config", conf, "-Syy"])
        guard sync.status == 0 else { throw Failure(message: "pacman -Syy: \(sync.stderr)") }
    }

    /// Puts a database file in place as repo `name`'s sync database (or, with `.files`,
    /// its files database), as `-Sy` would.
    public func install(database: String, as name: String, suffix: String = ".db") throws {
        let target = root + "/db/sync/\(name)\(suffix)"
        try FileManager.default.createDirectory(atPath: root + "/db/sync", withIntermediateDirectories: true)
        try? FileManager.default.removeItem(atPath: target)
        try FileManager.default.copyItem(atPath: database, toPath: target)
    }

    /// `pacman -Sl [REPO]`: pacman's output, a `repo name version` line a package.
    /// Throws with pacman's message when it fails (an unreadable or missing database).
    public func list(_ repo: String? = nil) throws -> String {
        let listing = try ProcessRunner.run("/usr/bin/pacman", ["--config", conf, "-Sl"] + (repo.map { [$0] } ?? []))
        guard listing.status == 0 else { throw Failure(message: "pacman -Sl: \(listing.stderr)") }
        return listing.stdout
    }

    /// Runs pacman with this configuration (`--noconfirm`, no colour) and `arguments`.
    public func run(_ arguments: [String]) throws -> ProcessRunner.Output {
        try ProcessRunner.run("/usr/bin/pacman", ["--config", conf, "--noconfirm", "--color", "never"] + arguments)
    }

    public struct Failure: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }
}
