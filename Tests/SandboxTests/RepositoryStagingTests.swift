import Foundation
import Repo
@testable import Sandbox
import Testing

/// The repositories a build installs from, as staged in its job directory: nothing of
/// the pool is writable through it (issue 13: a scriptlet overwrote a published
/// package through a hard link and corrupted the database).
@Suite struct RepositoryStagingTests {
    /// A pool with a database of one package, its `.sig`, and things never to be linked.
    struct Pool {
        let directory: String
        var pool: String { directory + "/pool" }
        var database: String { pool + "/current.db.tar.gz" }
        static let package = "ex-good-1.0-1-any.pkg.tar.zst"

        init() throws {
            _ = PackageVerifierTests.Work.localeSet
            directory = NSTemporaryDirectory() + "pacbuild-stage-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: directory + "/pool", withIntermediateDirectories: true)
            try PackageVerifierTests.package(at: pool + "/" + Self.package)
            try Data([0x88, 0x75]).write(to: URL(fileURLWithPath: pool + "/" + Self.package + ".sig"))
            #expect(try DatabaseWriter(path: database).add([pool + "/" + Self.package]).written)
            try Data("x".utf8).write(to: URL(fileURLWithPath: pool + "/notes.txt"))
            #expect(symlink("/etc/passwd", pool + "/ex-link-1.0-1-any.pkg.tar.zst") == 0)
        }

        func remove() { try? FileManager.default.removeItem(atPath: directory) }
    }

    @Test func theDatabaseIsAReadOnlyCopyAndPackagesAreLinksIntoTheReadOnlyPool() throws {
        let pool = try Pool()
        defer { pool.remove() }
        let workspace = try BuildWorkspace.make(at: pool.directory + "/work")
        let staged = try workspace.stageRepositories([LocalRepository(name: "current", database: pool.pool + "/current.db")])
        let target = workspace.job + "/repos/current"
        #expect(staged.repositories == [LocalRepository(name: "current", database: target + "/current.db")])
        let realPool = try #require(BuildWorkspace.realPath(pool.pool))
        #expect(staged.binds == [ReadOnlyBind(host: realPool, inside: "/pacbuild/.pools/current")])

        var database = stat(), source = stat()
        #expect(lstat(target + "/current.db", &database) == 0 && stat(pool.database, &source) == 0)
        #expect(database.st_mode & S_IFMT == S_IFREG && database.st_mode & 0o7777 == 0o444)
        #expect(database.st_ino != source.st_ino && database.st_nlink == 1)
        #expect(try SyncDatabase.read(at: target + "/current.db").entries.map(\.name) == ["ex-good"])

        let entries = try FileManager.default.contentsOfDirectory(atPath: target).sorted()
        #expect(entries == ["current.db", Pool.package, Pool.package + ".sig"])
        let poolInodes = Set(try FileManager.default.contentsOfDirectory(atPath: pool.pool).map { name -> ino_t in
            var info = stat()
            _ = lstat(pool.pool + "/" + name, &info)
            return info.st_ino
        })
        for name in entries {
            var info = stat()
            #expect(lstat(target + "/" + name, &info) == 0)
            #expect(!poolInodes.contains(info.st_ino), "\(name) is a hard link of a pool file")
            #expect(info.st_mode & S_IFMT == S_IFREG ? info.st_nlink == 1 : true)
        }
        for name in [Pool.package, Pool.package + ".sig"] {
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: target + "/" + name) == "/pacbuild/.pools/current/" + name)
        }
        var mountPoint = stat()
        #expect(lstat(workspace.job + "/.pools/current", &mountPoint) == 0 && mountPoint.st_mode & S_IFMT == S_IFDIR)
    }

    @Test func aBackendWithoutBindsGetsCopiesNeverLinks() throws {
        let pool = try Pool()
        defer { pool.remove() }
        let workspace = try BuildWorkspace.make(at: pool.directory + "/work")
        let staged = try workspace.stageRepositories([LocalRepository(name: "current", database: pool.database)])
        try ReadOnlyPools.copy(staged.binds, into: workspace.job)
        let copies = workspace.job + "/.pools/current"
        #expect(try FileManager.default.contentsOfDirectory(atPath: copies).sorted() == [Pool.package, Pool.package + ".sig"])
        var copy = stat(), original = stat()
        #expect(lstat(copies + "/" + Pool.package, &copy) == 0 && lstat(pool.pool + "/" + Pool.package, &original) == 0)
        #expect(copy.st_ino != original.st_ino && copy.st_nlink == 1 && copy.st_mode & 0o7777 == 0o444)
        // the staged link resolves to the copy on the host side as inside
        #expect(FileManager.default.contents(atPath: copies + "/" + Pool.package) == FileManager.default.contents(atPath: pool.pool + "/" + Pool.package))
    }

    @Test func poolsInsideTheJobOrHoldingTheWorkDirectoryAndBadNamesAreRefused() throws {
        let pool = try Pool()
        defer { pool.remove() }
        // the pool holds the work directory: its read-only view would show the workspace
        let nested = try BuildWorkspace.make(at: pool.pool + "/work")
        #expect(throws: SandboxError.self) { try nested.stageRepositories([LocalRepository(name: "current", database: pool.database)]) }
        let workspace = try BuildWorkspace.make(at: pool.directory + "/work")
        try FileManager.default.createDirectory(atPath: workspace.job + "/src/pool", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: pool.database, toPath: workspace.job + "/src/pool/current.db.tar.gz")
        #expect(throws: SandboxError.self) {
            try workspace.stageRepositories([LocalRepository(name: "current", database: workspace.job + "/src/pool/current.db.tar.gz")])
        }
        for name in ["../current", "cur]\n[options", ".hidden"] {
            #expect(throws: SandboxError.self) { try workspace.stageRepositories([LocalRepository(name: name, database: pool.database)]) }
        }
    }
}
