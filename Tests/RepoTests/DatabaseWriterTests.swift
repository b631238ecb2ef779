import Foundation
import Testing
import TestSupport
@testable import Repo

/// `repo add`/`repo remove` against the real repo-add/repo-remove 6.0.2, step by step on
/// identical copies of the same packages.
@Suite struct DatabaseWriterTests {
    init() { _ = Tools.localeSet }

    /// Two directories with the same packages: one for repo-add, one for us.
    struct Twin {
        let scratch: String
        var ours: String { scratch + "/ours" }
        var theirs: String { scratch + "/theirs" }

        init(packages: [String]) throws {
            scratch = try Tools.scratch()
            for dir in [ours, theirs] {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                for package in packages { try copy(package, into: dir) }
            }
        }

        func copy(_ package: String, into dir: String) throws {
            let target = dir + "/" + (package as NSString).lastPathComponent
            try? FileManager.default.removeItem(atPath: target)
            try FileManager.default.copyItem(atPath: package, toPath: target)
        }

        /// Runs the same update with repo-add (or repo-remove) and with our writer; returns both successes.
        func both(_ tool: String, _ flags: [String], _ arguments: [String],
                  options: RepoUpdateOptions = RepoUpdateOptions()) throws -> (ours: Bool, theirs: Bool) {
            let reference = try Tools.run([tool, "-q"] + flags + ["tiny.db.tar.gz"] + arguments, in: theirs)
            let writer = try DatabaseWriter(path: ours + "/tiny.db.tar.gz")
            let paths = arguments.map { ours + "/" + $0 }
            let report = tool == "repo-add" ? try writer.add(paths, options: options) : try writer.remove(arguments, options: options)
            return (report.failures.isEmpty, reference.status == 0)
        }

        /// Both databases' entries, file by file.
        func contents(_ kind: DatabaseKind) throws -> (ours: [String: [String: [UInt8]]], theirs: [String: [String: [UInt8]]]) {
            let name = "tiny.\(kind.rawValue).tar.gz"
            return (try DatabaseArchive(reading: ours + "/" + name).directories,
                    try DatabaseArchive(reading: theirs + "/" + name).directories)
        }

        func expectSameDatabases(_ step: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            for kind in DatabaseKind.allCases {
                let (ours, theirs) = try contents(kind)
                #expect(ours.keys.sorted() == theirs.keys.sorted(), "\(step) \(kind)", sourceLocation: sourceLocation)
                for (directory, files) in theirs {
                    for (file, content) in files {
                        #expect(ours[directory]?[file].map { String(decoding: $0, as: UTF8.self) } == String(decoding: content, as: UTF8.self),
                                "\(step) \(kind) \(directory)/\(file)", sourceLocation: sourceLocation)
                    }
                }
            }
            for link in ["tiny.db", "tiny.files"] {
                let target = try? FileManager.default.destinationOfSymbolicLink(atPath: ours + "/" + link)
                #expect(target == (try? FileManager.default.destinationOfSymbolicLink(atPath: theirs + "/" + link)), "\(step) \(link)",
                        sourceLocation: sourceLocation)
            }
        }

        func files(in dir: String) -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { !$0.hasSuffix(".old") }.sorted()
        }
    }

    static var tinyPackages: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: TestPaths.tinyZst)) ?? [])
            .filter { $0.hasSuffix(".pkg.tar.zst") }.sorted().map { TestPaths.tinyZst + "/" + $0 }
    }

    @Test func tinyRepoEqualsRepoAddForPacman() throws {
        let packages = Self.tinyPackages
        #expect(packages.count == 9)
        let twin = try Twin(packages: packages)
        defer { Tools.cleanUp(twin.scratch) }
        let names = packages.map { ($0 as NSString).lastPathComponent }
        let result = try twin.both("repo-add", [], names)
        #expect(result.ours && result.theirs)
        try twin.expectSameDatabases("add all")
        #expect(twin.files(in: twin.ours) == twin.files(in: twin.theirs))

        // What pacman shows from each, entry by entry.
        let ours = try ThrowAwayPacman(scratch: twin.scratch + "/p1", databases: [("tiny", twin.ours + "/tiny.db.tar.gz", twin.ours + "/tiny.files.tar.gz")])
        let theirs = try ThrowAwayPacman(scratch: twin.scratch + "/p2", databases: [("tiny", twin.theirs + "/tiny.db.tar.gz", twin.theirs + "/tiny.files.tar.gz")])
        let listed = try ours.run(["-Sl", "tiny"])
        #expect(listed.status == 0)
        #expect(listed.stdout == (try theirs.run(["-Sl", "tiny"])).stdout)
        #expect(listed.stdout.split(separator: "\n").count == 9)
        let packageNames = listed.stdout.split(separator: "\n").map { String($0.split(separator: " ")[1]) }
        for name in packageNames {
            for query in [["-Si", "tiny/" + name], ["-Fl", name]] {
                let a = try ours.run(query), b = try theirs.run(query)
                #expect(a.status == 0 && b.status == 0, "\(query)")
                #expect(a.stdout == b.stdout, "\(query)")
            }
        }
    }

    /// A copy of tiny-libc with another pkgver, built with bsdtar from the original's files.
    static func rebuiltLibc(version: String, in scratch: String) throws -> String {
        let source = TestPaths.tinyZst + "/tiny-libc-2.0-1-any.pkg.tar.zst"
        let tree = scratch + "/libc-\(version)"
        try FileManager.default.createDirectory(atPath: tree, withIntermediateDirectories: true)
        #expect(try Tools.run(["bsdtar", "-xf", source, "-C", tree]).status == 0)
        let info = try String(contentsOfFile: tree + "/.PKGINFO", encoding: .utf8)
        try info.replacingOccurrences(of: "pkgver = 2.0-1", with: "pkgver = \(version)")
            .write(toFile: tree + "/.PKGINFO", atomically: true, encoding: .utf8)
        let output = scratch + "/tiny-libc-\(version)-any.pkg.tar.zst"
        #expect(try Tools.run(["bsdtar", "--zstd", "-cf", output, ".PKGINFO", ".BUILDINFO", "usr"], in: tree).status == 0)
        return output
    }

    @Test func updatesFollowRepoAddStepByStep() throws {
        let zlib = TestPaths.tinyZst + "/tiny-zlib-1:1.3-2-any.pkg.tar.zst"
        let old = TestPaths.tinyZst + "/tiny-libc-2.0-1-any.pkg.tar.zst"
        let twin = try Twin(packages: [zlib, old])
        defer { Tools.cleanUp(twin.scratch) }
        let newer = try Self.rebuiltLibc(version: "2.1-1", in: twin.scratch)
        for dir in [twin.ours, twin.theirs] { try twin.copy(newer, into: dir) }
        let oldName = (old as NSString).lastPathComponent, newName = (newer as NSString).lastPathComponent
        let zlibName = (zlib as NSString).lastPathComponent

        var result = try twin.both("repo-add", [], [oldName, zlibName])
        #expect(result.ours && result.theirs)
        try twin.expectSameDatabases("add")

        result = try twin.both("repo-add", ["-R"], [newName], options: RepoUpdateOptions(removeOld: true))
        #expect(result.ours && result.theirs)
        try twin.expectSameDatabases("re-add newer with --remove")
        #expect(!FileManager.default.fileExists(atPath: twin.ours + "/" + oldName))
        #expect(twin.files(in: twin.ours) == twin.files(in: twin.theirs))

        for dir in [twin.ours, twin.theirs] { try twin.copy(old, into: dir) }
        result = try twin.both("repo-add", ["-p"], [oldName], options: RepoUpdateOptions(preventDowngrade: true))
        #expect(result.ours == result.theirs)
        try twin.expectSameDatabases("--prevent-downgrade keeps the newer")
        #expect(try SyncDatabase.read(at: twin.ours + "/tiny.db.tar.gz").entries.first { $0.name == "tiny-libc" }?.version.description == "2.1-1")

        result = try twin.both("repo-add", ["-n"], [newName], options: RepoUpdateOptions(onlyAddNew: true))
        #expect(result.ours == result.theirs)
        try twin.expectSameDatabases("--new with the same version")

        result = try twin.both("repo-add", [], [oldName])
        #expect(result.ours && result.theirs)
        try twin.expectSameDatabases("downgrade without --prevent-downgrade")

        result = try twin.both("repo-remove", [], ["tiny-zlib"])
        #expect(result.ours && result.theirs)
        try twin.expectSameDatabases("remove")

        result = try twin.both("repo-remove", [], ["no-such-package"])
        #expect(!result.ours && !result.theirs)
        try twin.expectSameDatabases("remove a missing name")

        result = try twin.both("repo-remove", [], ["tiny-libc"])
        #expect(result.ours && result.theirs)
        try twin.expectSameDatabases("remove the last package")
        #expect(try SyncDatabase.read(at: twin.ours + "/tiny.db.tar.gz").entries.isEmpty)
        #expect(twin.files(in: twin.ours).filter { $0.hasPrefix(".tmp") }.isEmpty)
    }

    @Test func aFailingPackageWritesNothing() throws {
        let good = TestPaths.tinyZst + "/tiny-ca-20240101-1-any.pkg.tar.zst"
        let scratch = try Tools.scratch()
        defer { Tools.cleanUp(scratch) }
        let bogus = scratch + "/bogus.pkg.tar.zst"
        try Data("not an archive".utf8).write(to: URL(fileURLWithPath: bogus))
        let report = try DatabaseWriter(path: scratch + "/r.db.tar.gz").add([good, bogus])
        #expect(!report.written)
        #expect(report.failures.count == 1)
        #expect(report.failures.first?.description.contains("bogus.pkg.tar.zst") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch) == ["bogus.pkg.tar.zst"])
    }

    @Test func aHeldLockRefusesTheUpdate() throws {
        let scratch = try Tools.scratch()
        defer { Tools.cleanUp(scratch) }
        try Data("4242\n".utf8).write(to: URL(fileURLWithPath: scratch + "/r.db.tar.gz.lck"))
        #expect(throws: RepoError.locked(lockFile: scratch + "/r.db.tar.gz.lck", holder: "4242")) {
            try DatabaseWriter(path: scratch + "/r.db.tar.gz").add([TestPaths.tinyZst + "/tiny-ca-20240101-1-any.pkg.tar.zst"])
        }
        #expect(!FileManager.default.fileExists(atPath: scratch + "/r.db.tar.gz"))
        #expect(FileManager.default.fileExists(atPath: scratch + "/r.db.tar.gz.lck"))
    }

    @Test(arguments: ["tar.xz", "tar.zst", "tar.bz2", "tar"])
    func otherCompressionsReadBackAndPacmanReadsThem(suffix: String) throws {
        let scratch = try Tools.scratch()
        defer { Tools.cleanUp(scratch) }
        let path = scratch + "/tiny.db.\(suffix)"
        let report = try DatabaseWriter(path: path).add(Self.tinyPackages)
        #expect(report.written)
        let database = try SyncDatabase.read(at: scratch + "/tiny.db")
        #expect(database.entries.count == 9)
        let pacman = try ThrowAwayPacman(scratch: scratch, databases: [("tiny", path, nil)])
        #expect(try pacman.run(["-Sl", "tiny"]).stdout.split(separator: "\n").count == 9)
    }

    @Test func badDatabaseNamesAreRefusedLikeRepoAdd() {
        #expect(throws: RepoError.badDatabaseName(file: "/tmp/core.db")) { try DatabaseWriter(path: "/tmp/core.db") }
        #expect(throws: RepoError.badDatabaseName(file: "core.db.tar.rar")) { try DatabaseWriter(path: "core.db.tar.rar") }
        #expect((try? DatabaseWriter(path: "core.db.tar.zst"))?.name == "core")
    }
}
