import Foundation
import Testing
@testable import Repo

/// Broken, hostile and truncated input: clear errors naming the file and the entry.
@Suite struct BadInputTests {
    init() { _ = Tools.localeSet }

    /// Writes a tar with the given raw entry names (python's tarfile, which takes any bytes).
    static func craftTar(_ path: String, entries: [(name: String, content: String)], compression: String = "gz") throws {
        let script = """
            import sys, tarfile, io, json
            entries = json.load(open(sys.argv[2]))
            with tarfile.open(sys.argv[1], "w:\(compression)", format=tarfile.GNU_FORMAT, encoding="utf-8", errors="surrogateescape") as t:
                for name, content in entries:
                    data = content.encode()
                    info = tarfile.TarInfo(name.encode("latin-1").decode("utf-8", "surrogateescape"))
                    info.size = len(data)
                    t.addfile(info, io.BytesIO(data))
            """
        let json = try JSONSerialization.data(withJSONObject: entries.map { [$0.name, $0.content] })
        let jsonPath = path + ".json"
        try json.write(to: URL(fileURLWithPath: jsonPath))
        defer { try? FileManager.default.removeItem(atPath: jsonPath) }
        let result = try Tools.run(["python3", "-c", script, path, jsonPath])
        #expect(result.status == 0, "\(result.stderr)")
    }

    static let pkginfo = "pkgname = x\npkgbase = x\npkgver = 1-1\npkgdesc = d\nurl = u\nbuilddate = 1\npackager = p\nsize = 1\narch = any\n"

    @Test func incompletePkginfoIsReported() throws {
        // tiny-libc as makepkg built it, without 7 of the keys makepkg writes
        let path = TestPaths.dbs + "/incomplete.pkg.tar.xz"
        let package = try PackageFile.read(at: path)
        #expect(package.info.missingKeys == ["pkgbase", "pkgdesc", "url", "builddate", "packager", "size", "arch"])
        let scratch = try Tools.scratch()
        defer { Tools.cleanUp(scratch) }
        let nameless = scratch + "/nameless.pkg.tar.gz"
        try Self.craftTar(nameless, entries: [(".PKGINFO", "pkgver = 1-1\n")])
        #expect(throws: RepoError.missingField(file: nameless, entry: ".PKGINFO", field: "pkgname")) { try PackageFile.read(at: nameless) }
        let empty = scratch + "/empty.pkg.tar.gz"
        try Self.craftTar(empty, entries: [("usr/x", "x")])
        #expect(throws: RepoError.notAPackage(file: empty)) { try PackageFile.read(at: empty) }
    }

    @Test(arguments: [("/etc/passwd", "the path is absolute"), ("usr/../../etc/x", "the path contains .."),
                      ("usr/\u{00FF}name", "the name is not UTF-8")])
    func unsafeEntryNamesAreRefused(name: String, reason: String) throws {
        let scratch = try Tools.scratch()
        defer { Tools.cleanUp(scratch) }
        let path = scratch + "/bad.pkg.tar.gz"
        try Self.craftTar(path, entries: [(".PKGINFO", Self.pkginfo), (name, "x")])
        do {
            _ = try PackageFile.read(at: path)
            Issue.record("no error for \(name)")
        } catch {
            guard case .unsafeEntryName(let file, _, let why) = error else { Issue.record("\(error)"); return }
            #expect(file == path)
            #expect(why == reason)
            #expect(error.description.contains(path))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch) == ["bad.pkg.tar.gz"])
    }

    @Test func aBadDatabaseEntryLeavesTheOthers() throws {
        let scratch = try Tools.scratch()
        defer { Tools.cleanUp(scratch) }
        let path = scratch + "/r.db.tar.gz"
        let good = "%FILENAME%\na-1-1-any.pkg.tar.zst\n\n%NAME%\na\n\n%VERSION%\n1-1\n\n"
        let wrongName = "%FILENAME%\nb-1-1-any.pkg.tar.zst\n\n%NAME%\nc\n\n%VERSION%\n1-1\n\n"
        try Self.craftTar(path, entries: [("a-1-1/desc", good), ("../evil-1-1/desc", good), ("b-1-1/desc", wrongName),
                                           ("nodash/desc", good)])
        let database = try SyncDatabase.read(at: path)
        #expect(database.entries.map(\.name) == ["a"])
        #expect(database.problems.count == 3)
        #expect(database.problems.allSatisfy { $0.description.hasPrefix(path + ": entry ") })
    }

    @Test func truncatedArchivesNameTheFile() throws {
        try Self.truncatedArchivesNameTheFile([TestPaths.dbs + "/large.db.tar.gz", TestPaths.dbs + "/tiny/xz/tiny-app-0.9.r12.gabcdef0-1-any.pkg.tar.xz"])
    }

    /// Each of `sources` cut in half: reading it fails naming the file.
    static func truncatedArchivesNameTheFile(_ sources: [String]) throws {
        let scratch = try Tools.scratch()
        defer { Tools.cleanUp(scratch) }
        for source in sources {
            let data = try Data(contentsOf: URL(fileURLWithPath: source))
            let truncated = scratch + "/" + (source as NSString).lastPathComponent
            try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: truncated))
            do {
                if source.contains(".db") { _ = try SyncDatabase.read(at: truncated) } else { _ = try PackageFile.read(at: truncated) }
                Issue.record("no error for truncated \(source)")
            } catch {
                guard case .archive(let file, _, let message) = error else { Issue.record("\(error)"); continue }
                #expect(file == truncated)
                #expect(!message.isEmpty)
            }
        }
    }

    @Test func zipBombsStopAtTheLimit() throws {
        let scratch = try Tools.scratch()
        defer { Tools.cleanUp(scratch) }
        let path = scratch + "/bomb.pkg.tar.gz"
        // 32 MiB of zeros compress to about 32 KiB.
        try Self.craftTar(path, entries: [(".PKGINFO", Self.pkginfo), ("usr/zeros", String(repeating: "\0", count: 32 << 20))])
        let limits = ReadLimits(maxMetadataBytes: 1 << 20, maxUnpackedBytes: 4 << 20)
        #expect(throws: RepoError.tooLarge(file: path, entry: "usr/zeros", size: 32 << 20, limit: 4 << 20)) {
            try PackageFile.read(at: path, limits: limits)
        }
        let huge = scratch + "/huge.db.tar.gz"
        try Self.craftTar(huge, entries: [("a-1-1/desc", String(repeating: "x", count: 2 << 20))])
        #expect(throws: RepoError.tooLarge(file: huge, entry: "a-1-1/desc", size: 2 << 20, limit: 1 << 20)) {
            try SyncDatabase.read(at: huge, limits: limits)
        }
        #expect(try PackageFile.read(at: path).files == ["usr/zeros"])
    }
}
