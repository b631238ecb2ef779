import Foundation
import TestSupport
import Repo
import Scheduler

/// What the review tests check about a repo after every step: the real pacman reads its
/// database, every package it lists is in the pool with its checksum, no package file is
/// in the pool that neither the database lists nor a built build made, and the store
/// agrees with the database.
struct RepoCheck {
    let fixture: ReviewFixture

    /// `pacman -Sl tiny` through a private pacman.conf; throws when pacman fails.
    func pacmanList() throws -> String {
        let pacman = try ThrowAwayPacman(scratch: fixture.root, repos: [("tiny", fixture.pool)])
        if FileManager.default.fileExists(atPath: fixture.database) { try pacman.install(database: fixture.database, as: "tiny") }
        do { return try pacman.list("tiny") } catch { throw FixtureError(description: "\(error)") }
    }

    /// The database's entries (none before the first publish).
    func entries() throws -> [DatabaseEntry] {
        FileManager.default.fileExists(atPath: fixture.database) ? try SyncDatabase.read(at: fixture.database).entries : []
    }

    /// Every problem found; empty when the repo and the store are consistent.
    func problems() throws -> [String] {
        var problems: [String] = []
        _ = try pacmanList()
        let entries = try entries()
        let listed = Set(entries.map(\.filename))
        for entry in entries {
            let path = fixture.pool + "/" + entry.filename
            guard FileManager.default.fileExists(atPath: path) else { problems.append("lost: \(entry.filename)"); continue }
            if try FileChecksum.sha256(ofFileAt: path) != entry.sha256sum { problems.append("changed: \(entry.filename)") }
        }
        let store = try fixture.openStore()
        let built = try store.builds(state: .built, repo: nil, limit: nil)
        let builtFiles = Set(built.flatMap(\.artifacts).map { ($0 as NSString).lastPathComponent })
        for name in try FileManager.default.contentsOfDirectory(atPath: fixture.pool) where name.contains(".pkg.tar") {
            if !listed.contains(name) && !builtFiles.contains(name) { problems.append("orphan: \(name)") }
        }
        for build in try store.builds(state: .accepted, repo: nil, limit: nil) {
            for file in build.artifacts where !listed.contains((file as NSString).lastPathComponent) {
                problems.append("accepted \(build.id) but not in the database: \(file)")
            }
        }
        for build in built where build.artifacts.allSatisfy({ listed.contains(($0 as NSString).lastPathComponent) }) {
            problems.append("published but still built: \(build.id)")
        }
        return problems
    }

    /// packages.txt as the hook writes it from the database.
    func packagesTxtMatches() throws -> Bool {
        let expected = try entries().map { "tiny/\($0.filename)" }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let text = (try? String(contentsOfFile: fixture.pool + "/packages.txt", encoding: .utf8)) ?? ""
        return text == expected.map { $0 + "\n" }.joined()
    }
}
