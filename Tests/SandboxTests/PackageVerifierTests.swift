import Foundation
import Repo
@testable import Sandbox
import TestSupport
import Testing

/// What a hostile build can leave in `job/out` (issue 13): each is refused with class
/// `verification` and a reason naming the entry, without a sandbox (the directory is
/// made here as a build could make it). Devices need root, which CI is.
@Suite struct PackageVerifierTests {
    static let expected = [ExpectedPackage(name: "ex-good", version: "1.0-1", arch: "any")]
    static let fileName = "ex-good-1.0-1-any.pkg.tar.zst"

    /// `WORK/` with `job/out/` to fill and `packages/` to be made by the verifier.
    struct Work {
        let directory: String
        var out: String { directory + "/job/out" }
        var packages: String { directory + "/packages" }

        init() throws {
            _ = Self.localeSet
            directory = NSTemporaryDirectory() + "pacbuild-verify-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: directory + "/job/out", withIntermediateDirectories: true)
        }

        static let localeSet: Bool = { setlocale(LC_ALL, "C.UTF-8"); return true }()

        func verify(expected: [ExpectedPackage] = PackageVerifierTests.expected, limit: UInt64 = 1 << 20,
                    build: BuildFailure? = nil) -> (PackageVerifier.Outcome, BuildFailure?) {
            let verifier = PackageVerifier(expected: expected, pkgbase: "ex-good", sizeLimit: limit)
            let outcome = verifier.verify(output: out, into: packages, copying: build == nil)
            return (outcome, outcome.failure(after: build))
        }

        func remove() { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// A real package made with bsdtar, whose `.PKGINFO` has these values.
    static func package(at path: String, name: String = "ex-good", version: String = "1.0-1", arch: String = "any",
                        base: String = "ex-good") throws {
        let tree = NSTemporaryDirectory() + "pacbuild-verify-tree-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: tree) }
        try FileManager.default.createDirectory(atPath: tree + "/usr/share/ex-good", withIntermediateDirectories: true)
        let info = ["pkgname = \(name)", "pkgbase = \(base)", "pkgver = \(version)", "pkgdesc = test", "url = https://example.invalid",
                    "builddate = 1600000000", "packager = test", "size = 6", "arch = \(arch)"]
        try (info.joined(separator: "\n") + "\n").write(toFile: tree + "/.PKGINFO", atomically: true, encoding: .utf8)
        try "hello\n".write(toFile: tree + "/usr/share/ex-good/hello", atomically: true, encoding: .utf8)
        let result = try ProcessRunner.run("/usr/bin/bsdtar", ["-C", tree, "--zstd", "-cf", path, ".PKGINFO", "usr"])
        #expect(result.status == 0, "\(result.stderr)")
    }

    func expectRefused(_ failure: BuildFailure?, _ reason: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(failure?.failureClass == .verification, "\(String(describing: failure))", sourceLocation: sourceLocation)
        #expect(failure?.reason.contains(reason) == true, "\(failure?.reason ?? "no failure")", sourceLocation: sourceLocation)
    }

    @Test func aCorrectPackageIsTakenAsTheHostsCopy() throws {
        let work = try Work()
        defer { work.remove() }
        try Self.package(at: work.out + "/" + Self.fileName)
        try Data([0x88, 0x75, 0x04, 0x00]).write(to: URL(fileURLWithPath: work.out + "/" + Self.fileName + ".sig"))
        let (outcome, failure) = work.verify()
        #expect(failure == nil, "\(String(describing: failure))")
        #expect(outcome.packages == [BuiltPackage(name: "ex-good", version: "1.0-1", arch: "any", path: work.packages + "/" + Self.fileName)])
        var copy = stat(), original = stat()
        #expect(lstat(work.packages + "/" + Self.fileName, &copy) == 0 && lstat(work.out + "/" + Self.fileName, &original) == 0)
        #expect(copy.st_ino != original.st_ino && copy.st_mode & S_IFMT == S_IFREG && copy.st_size == original.st_size)
        #expect(FileManager.default.contents(atPath: work.packages + "/" + Self.fileName + ".sig") == Data([0x88, 0x75, 0x04, 0x00]))
        // what a leftover process does to out/ afterwards changes nothing taken
        try Data("changed".utf8).write(to: URL(fileURLWithPath: work.out + "/" + Self.fileName))
        #expect(try PackageFile.read(at: outcome.packages[0].path).info.name == "ex-good")
    }

    @Test func aSymlinkToAHostFileIsRefused() throws {
        let work = try Work()
        defer { work.remove() }
        try Self.package(at: work.directory + "/host-file.pkg.tar.zst")
        #expect(symlink(work.directory + "/host-file.pkg.tar.zst", work.out + "/" + Self.fileName) == 0)
        let (outcome, failure) = work.verify()
        expectRefused(failure, "out/\(Self.fileName) is a symbolic link, not a regular file")
        #expect(outcome.packages.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: work.packages))
    }

    @Test func aFIFONamedLikeThePackageDoesNotBlock() throws {
        let work = try Work()
        defer { work.remove() }
        #expect(mkfifo(work.out + "/" + Self.fileName, 0o644) == 0)
        let start = ContinuousClock.now
        let (_, failure) = work.verify()
        #expect(start.duration(to: .now) < .seconds(3))
        expectRefused(failure, "out/\(Self.fileName) is a FIFO, not a regular file")
    }

    @Test(.enabled(if: geteuid() == 0, "mknod needs root"))
    func aCharacterDeviceIsRefused() throws {
        let work = try Work()
        defer { work.remove() }
        // the device of /dev/null (1, 3)
        #expect(mknod(work.out + "/" + Self.fileName, S_IFCHR | 0o666, 0x103) == 0)
        expectRefused(work.verify().1, "out/\(Self.fileName) is a character device, not a regular file")
    }

    @Test func aDirectoryIsRefused() throws {
        let work = try Work()
        defer { work.remove() }
        try FileManager.default.createDirectory(atPath: work.out + "/" + Self.fileName, withIntermediateDirectories: false)
        expectRefused(work.verify().1, "out/\(Self.fileName) is a directory, not a regular file")
    }

    @Test func aHardLinkToAHostFileIsRefused() throws {
        let work = try Work()
        defer { work.remove() }
        try Self.package(at: work.directory + "/published.pkg.tar.zst")
        #expect(link(work.directory + "/published.pkg.tar.zst", work.out + "/" + Self.fileName) == 0)
        expectRefused(work.verify().1, "out/\(Self.fileName) is a hard link (2 links)")
    }

    @Test func anUnexpectedExtraFileIsRefused() throws {
        let work = try Work()
        defer { work.remove() }
        try Self.package(at: work.out + "/" + Self.fileName)
        try Data("x".utf8).write(to: URL(fileURLWithPath: work.out + "/notes.txt"))
        let (outcome, failure) = work.verify()
        expectRefused(failure, "out/notes.txt is not a package file of ex-good (expected ex-good-1.0-1-any.pkg.tar[.EXT])")
        #expect(outcome.packages.isEmpty)
    }

    @Test func anOversizedFileIsRefused() throws {
        let work = try Work()
        defer { work.remove() }
        try Self.package(at: work.out + "/" + Self.fileName)
        expectRefused(work.verify(limit: 100).1, "out/\(Self.fileName) is ")
        expectRefused(work.verify(limit: 100).1, "bytes, over the limit of 100 bytes")
    }

    @Test func aPackageNamedDotDotSlashIsRefused() throws {
        let work = try Work()
        defer { work.remove() }
        try Self.package(at: work.out + "/" + Self.fileName, name: "../../evil2")
        let (outcome, failure) = work.verify()
        expectRefused(failure, "out/\(Self.fileName): pkgname '../../evil2' refused: pkgname is not allowed to start with a dot.")
        #expect(outcome.packages.isEmpty)
    }

    @Test func aVersionWithASlashIsRefused() throws {
        let work = try Work()
        defer { work.remove() }
        try Self.package(at: work.out + "/" + Self.fileName, version: "1.0/x-1")
        expectRefused(work.verify().1, "pkgver '1.0/x-1' refused: pkgver is not allowed to contain colons, forward slashes, hyphens or whitespace.")
        // the plan's values are checked before a file name is formed from them
        let (_, planned) = work.verify(expected: [ExpectedPackage(name: "ex-good", version: "1/0-1", arch: "any")])
        expectRefused(planned, "the plan of ex-good: pkgver '1/0-1' refused")
        expectRefused(work.verify(expected: [ExpectedPackage(name: "../../evil2", version: "1.0-1", arch: "any")]).1,
                      "pkgname '../../evil2' refused")
    }

    @Test func aPackageWhoseInfoDisagreesWithItsNameIsRefused() throws {
        let work = try Work()
        defer { work.remove() }
        try Self.package(at: work.out + "/" + Self.fileName, name: "ex-other")
        expectRefused(work.verify().1, ".PKGINFO says ex-other 1.0-1 any, the file name ex-good 1.0-1 any")
    }

    @Test func anOutputDirectoryReplacedByALinkIsRefused() throws {
        let work = try Work()
        defer { work.remove() }
        try FileManager.default.removeItem(atPath: work.out)
        #expect(symlink("/etc", work.out) == 0)
        expectRefused(work.verify().1, "out: cannot be opened as a directory")
    }

    @Test func missingOrOtherVersionsAreClassPackageAndAFailedBuildKeepsItsClass() throws {
        let work = try Work()
        defer { work.remove() }
        try Self.package(at: work.out + "/ex-good-0.9-1-any.pkg.tar.zst", version: "0.9-1")
        let (_, failure) = work.verify(expected: Self.expected + [ExpectedPackage(name: "ex-good-doc", version: "1.0-1", arch: "any")])
        #expect(failure?.failureClass == .package)
        #expect(failure?.reason == "ex-good has version 0.9-1, expected 1.0-1; ex-good-doc was not built")
        let failed = BuildFailure(.build, "makepkg: a failure occurred in build()")
        #expect(work.verify(build: failed).1 == failed)
        // ... but not when it left something unsafe
        #expect(mkfifo(work.out + "/" + Self.fileName, 0o644) == 0)
        expectRefused(work.verify(build: failed).1, "is a FIFO")
        #expect(!FileManager.default.fileExists(atPath: work.packages))
    }
}
