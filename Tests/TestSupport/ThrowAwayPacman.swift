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
        try "[options]\nDBPath = \(root)/db\nRootDir = \(root)/root\nCacheDir = \(root)/cache\nSigLevel = Never\n\(servers)"
            .write(toFile: conf, atomically: true, encoding: .utf8)
    }

    /// `pacman -Syy`: fetches every repo's database from its server, also when the copy
    /// here looks as new (a database rewritten within the same second as the last fetch).
    public func sync() throws {
        let sync = try ProcessRunner.run("/usr/bin/pacman", ["--config", conf, "-Syy"])
        guard sync.status == 0 else { throw Failure(message: "pacman -Syy: \(sync.stderr)") }
    }

    /// Puts a database file in place as repo `name`'s sync database, as `-Sy` would.
    public func install(database: String, as name: String) throws {
        let target = root + "/db/sync/\(name).db"
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

    public struct Failure: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }
}
