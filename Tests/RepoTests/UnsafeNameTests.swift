import Foundation
import Testing
import TestSupport
@testable import Repo

/// Names a build chose never become paths or database entries (issue 13: a package with
/// `pkgname=../../evil2` was added, after which every update of that repo failed).
@Suite struct UnsafeNameTests {
    init() { _ = Tools.localeSet }

    /// A package made with bsdtar whose `.PKGINFO` says `name` and `version`.
    static func package(named name: String, version: String = "1.0-1", file: String, in directory: String) throws -> String {
        let tree = directory + "/tree-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: tree + "/usr/share/x", withIntermediateDirectories: true)
        let info = "pkgname = \(name)\npkgbase = x\npkgver = \(version)\npkgdesc = x\nbuilddate = 1\npackager = x\nsize = 1\narch = any\n"
        try info.write(toFile: tree + "/.PKGINFO", atomically: true, encoding: .utf8)
        try "x\n".write(toFile: tree + "/usr/share/x/x", atomically: true, encoding: .utf8)
        let path = directory + "/" + file
        #expect(try Tools.run(["bsdtar", "--zstd", "-cf", path, ".PKGINFO", "usr"], in: tree).status == 0)
        try FileManager.default.removeItem(atPath: tree)
        return path
    }

    static func contents(_ directory: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
            files[name] = FileManager.default.contents(atPath: directory + "/" + name)
        }
        return files
    }

    @Test(arguments: [("../../x", "1.0-1", "pkgname '../../x' refused: pkgname is not allowed to start with a dot."),
                      ("a/b", "1.0-1", "pkgname 'a/b' refused: pkgname contains invalid characters: '/'"),
                      ("x", "1.0/2-1", "pkgver '1.0/2-1' refused: pkgver is not allowed to contain colons, forward slashes, hyphens or whitespace.")])
    func aPackageWithAnUnsafeNameOrVersionIsRefusedAndTheDatabaseIsUnchanged(name: String, version: String, reason: String) throws {
        let scratch = try Tools.scratch()
        defer { Tools.cleanUp(scratch) }
        let writer = try DatabaseWriter(path: scratch + "/r.db.tar.gz")
        let good = scratch + "/tiny-ca-20240101-1-any.pkg.tar.zst"
        try FileManager.default.copyItem(atPath: TestPaths.tinyZst + "/tiny-ca-20240101-1-any.pkg.tar.zst", toPath: good)
        #expect(try writer.add([good]).written)
        let evil = try Self.package(named: name, version: version, file: "evil-1.0-1-any.pkg.tar.zst", in: scratch)
        let before = try Self.contents(scratch)
        let report = try writer.add([evil], options: RepoUpdateOptions(removeOld: true))
        #expect(!report.written)
        #expect(report.failures.map(\.description) == ["\(evil): \(reason)"])
        #expect(try Self.contents(scratch) == before)
        #expect(try SyncDatabase.read(at: scratch + "/r.db").entries.map(\.name) == ["tiny-ca"])
    }

    @Test func aDatabaseHoldingAnUnsafeEntryIsMendedByTheNextUpdate() throws {
        let scratch = try Tools.scratch()
        defer { Tools.cleanUp(scratch) }
        // what an update before the checks wrote: `../../evil2-1-1/desc` beside a good entry
        let script = """
            import io, sys, tarfile
            with tarfile.open(sys.argv[1], "w:gz") as t:
                for name, text in [("tiny-ca-20240101-1/desc", "%FILENAME%\\ntiny-ca-20240101-1-any.pkg.tar.zst\\n\\n%NAME%\\ntiny-ca\\n\\n%VERSION%\\n20240101-1\\n\\n"),
                                   ("../../evil2-1-1/desc", "%FILENAME%\\n../../evil2-1-1-any.pkg.tar.zst\\n\\n%NAME%\\n../../evil2\\n\\n%VERSION%\\n1-1\\n\\n")]:
                    data = text.encode()
                    info = tarfile.TarInfo(name)
                    info.size = len(data)
                    t.addfile(info, io.BytesIO(data))
            """
        #expect(try Tools.run(["python3", "-c", script, scratch + "/r.db.tar.gz"]).status == 0)
        #expect(symlink("r.db.tar.gz", scratch + "/r.db") == 0)
        let report = try DatabaseWriter(path: scratch + "/r.db.tar.gz").add([TestPaths.tinyZst + "/tiny-zlib-1:1.3-2-any.pkg.tar.zst"])
        #expect(report.written, "\(report.failures)")
        #expect(report.warnings.contains("left out the unsafe entry ../../evil2-1-1/desc"), "\(report.warnings)")
        let listed = try Tools.run(["bsdtar", "-tf", scratch + "/r.db.tar.gz"]).stdout
        #expect(!listed.contains("evil2"))
        #expect(try SyncDatabase.read(at: scratch + "/r.db").entries.map(\.name) == ["tiny-ca", "tiny-zlib"])
    }

    @Test func packageFileNamesAreParsedWithMakepkgsRules() {
        #expect(PackageFileName.parse("tiny-zlib-1:1.3-2-any.pkg.tar.zst")! == ("tiny-zlib", "1:1.3-2", "any"))
        #expect(PackageFileName.parse("a-1-1-x86_64.pkg.tar")! == ("a", "1-1", "x86_64"))
        #expect(PackageFileName.parse("a-1-1-x86_64.pkg.tar.rar") == nil)
        #expect(PackageFileName.parse(".a-1-1-any.pkg.tar.zst") == nil)
        #expect(PackageFileName.parse("a-1-x-any.pkg.tar.zst") == nil, "pkgrel must be a number")
        #expect(PackageFileName.parse("notes.txt") == nil)
        #expect(PackageFileName.parse("a-1-1-any.pkg.tar.lz")! == ("a", "1-1", "any"))
        #expect(PackageFileName.parse("a-1-1-any.pkg.tar.zst.sig") == nil)
        #expect(PackageFileName.problem("../x") == "the file name contains '/'")
        #expect(PackageFileName.problem("..") == "the file name starts with '.'")
        #expect(PackageFileName.problem("") == "the file name is empty")
        #expect(PackageFileName.problem("a-1-1-any.pkg.tar.zst") == nil)
    }
}
