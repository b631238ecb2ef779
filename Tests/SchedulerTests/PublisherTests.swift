import Foundation
import Repo
import TestSupport
import Testing
@testable import Scheduler

/// Publishing the tiny fixture's packages (built by real makepkg, TestSupport's
/// ``Fixtures``) into a fresh repo, read back by the real pacman, with the shipped
/// packages-txt hook.
struct PublisherTests {
    static var packages: String { Fixtures.tinyZst }

    func target(_ dir: String, hooks: [String] = [], timeout: Int = 30) -> PublishTarget {
        PublishTarget(repoName: "tiny", arch: "x86_64", database: dir + "/repo/tiny.db.tar.gz", pool: dir + "/repo",
                      hooks: RepoHooks(postUpdate: hooks, timeout: timeout, workingDirectory: ConfigFixture.packageRoot))
    }

    static func scratch() throws -> String {
        setlocale(LC_ALL, "C.UTF-8")
        let dir = NSTemporaryDirectory() + "pacbuild-publish-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func pacmanList(_ db: String, scratch: String) throws -> String {
        let pacman = try ThrowAwayPacman(scratch: scratch, repos: [("tiny", scratch + "/repo")])
        try pacman.install(database: db, as: "tiny")
        return try pacman.list("tiny")
    }

    @Test func publishesIntoPoolDatabaseAndRunsTheHook() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let publisher = Publisher(target: target(dir, hooks: ["hooks/packages-txt"]))
        let libc = Self.packages + "/tiny-libc-2.0-1-any.pkg.tar.zst"
        let zlib = Self.packages + "/tiny-zlib-1:1.3-2-any.pkg.tar.zst"
        let sha = try PackageFile.read(at: libc).checksums.sha256sum
        let result = try publisher.publish([(libc, sha), (zlib, nil)])
        #expect(result.added == [dir + "/repo/tiny-libc-2.0-1-any.pkg.tar.zst", dir + "/repo/tiny-zlib-1:1.3-2-any.pkg.tar.zst"])
        #expect(result.hooks.count == 1 && result.hooks[0].succeeded, "\(result.hooks)")
        #expect(try Self.pacmanList(dir + "/repo/tiny.db.tar.gz", scratch: dir) == "tiny tiny-libc 2.0-1\ntiny tiny-zlib 1:1.3-2\n")
        #expect(try String(contentsOfFile: dir + "/repo/packages.txt", encoding: .utf8)
            == "tiny/tiny-libc-2.0-1-any.pkg.tar.zst\ntiny/tiny-zlib-1:1.3-2-any.pkg.tar.zst\n")
        // a re-run after a crash finds the files in place and completes
        let again = try publisher.publish([(libc, sha)])
        #expect(again.added == [dir + "/repo/tiny-libc-2.0-1-any.pkg.tar.zst"])
        #expect(try Self.pacmanList(dir + "/repo/tiny.db.tar.gz", scratch: dir) == "tiny tiny-libc 2.0-1\ntiny tiny-zlib 1:1.3-2\n")
    }

    @Test func aChangedFileIsRefused() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let libc = Self.packages + "/tiny-libc-2.0-1-any.pkg.tar.zst"
        #expect(throws: SchedulerError.self) {
            try Publisher(target: target(dir)).publish([(libc, String(repeating: "0", count: 64))])
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/repo/tiny-libc-2.0-1-any.pkg.tar.zst"))
        // a different file under the same name in the pool is never replaced
        try FileManager.default.createDirectory(atPath: dir + "/repo", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.packages + "/../xz/tiny-libc-2.0-1-any.pkg.tar.xz",
                                         toPath: dir + "/repo/tiny-libc-2.0-1-any.pkg.tar.zst")
        do {
            _ = try Publisher(target: target(dir)).publish([(libc, nil)])
            Issue.record("a conflicting pool file was replaced")
        } catch {
            #expect(error == .poolConflict(path: dir + "/repo/tiny-libc-2.0-1-any.pkg.tar.zst"))
        }
    }

    @Test func aFailingOrHangingHookIsReportedNotFatal() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let publisher = Publisher(target: target(dir, hooks: ["echo added: $ADDED; exit 3", "sleep 30", "echo $REPO_NAME $REPO_ARCH"], timeout: 1))
        let result = try publisher.publish([(Self.packages + "/tiny-ca-20240101-1-any.pkg.tar.zst", nil)])
        #expect(result.hooks.map(\.status) == [3, 124, 0])
        #expect(result.hooks[0].output == "added: \(dir)/repo/tiny-ca-20240101-1-any.pkg.tar.zst\n")
        #expect(result.hooks[1].timedOut)
        #expect(result.hooks[2].output == "tiny x86_64\n")
        #expect(try Self.pacmanList(dir + "/repo/tiny.db.tar.gz", scratch: dir) == "tiny tiny-ca 20240101-1\n")
    }
}
