import Foundation
import Testing
import TestSupport
@testable import Repo

/// An update prepared under the caller's lock and committed later (rebuild sets): until
/// the commit the database is the old one, a discard leaves it so, a commit (also a
/// second one, as recovery repeats it) makes it the new one.
struct PreparedUpdateTests {
    @Test func preparedArchivesReplaceTheDatabaseOnlyOnCommit() throws {
        setlocale(LC_ALL, "C.UTF-8")
        let directory = NSTemporaryDirectory() + "pacbuild-prepared-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let packages = try FileManager.default.contentsOfDirectory(atPath: TestPaths.tinyZst).filter { $0.hasSuffix(".pkg.tar.zst") }.sorted()
        for name in packages { try FileManager.default.copyItem(atPath: TestPaths.tinyZst + "/" + name, toPath: directory + "/" + name) }
        let writer = try DatabaseWriter(path: directory + "/tiny.db.tar.gz")
        #expect(try writer.add([directory + "/" + packages[0]]).written)
        let before = try SyncDatabase.read(at: writer.path).entries.map(\.name)

        let lock = try RepoLock(path: writer.lockPath)
        let (report, _) = try writer.prepareAdd(packages.map { directory + "/" + $0 }, holding: lock)
        #expect(report.failures.isEmpty)
        #expect(writer.hasPrepared)
        #expect(try SyncDatabase.read(at: writer.path).entries.map(\.name) == before, "prepared is not published")
        #expect(writer.discardPrepared().count == 2)
        #expect(!writer.hasPrepared)
        #expect(try SyncDatabase.read(at: writer.path).entries.map(\.name) == before)

        _ = try writer.prepareAdd(packages.map { directory + "/" + $0 }, holding: lock)
        #expect(try writer.commitPrepared())
        #expect(try !writer.commitPrepared(), "a second commit finds nothing left to do")
        lock.release()
        #expect(try SyncDatabase.read(at: writer.path).entries.count == packages.count)
        #expect(try SyncDatabase.read(at: writer.archivePath(.files)).entries.count == packages.count)
        let pacman = try ThrowAwayPacman(scratch: directory, databases: [("tiny", writer.path, nil)])
        #expect(try pacman.list("tiny").split(separator: "\n").count == packages.count)
    }

    @Test func aPreparationNeedsTheDatabasesOwnLock() throws {
        let directory = NSTemporaryDirectory() + "pacbuild-prepared-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writer = try DatabaseWriter(path: directory + "/a.db.tar.gz")
        let other = try RepoLock(path: directory + "/b.db.tar.gz.lck")
        defer { other.release() }
        #expect(throws: RepoError.self) { try writer.prepareAdd([], holding: other) }
    }
}
