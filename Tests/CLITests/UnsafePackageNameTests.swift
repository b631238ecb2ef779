import Foundation
import Graph
import Repo
import Scheduler
import Testing
import TestSupport

/// A store written before names were checked may hold a built build whose package says
/// `pkgname = ../../evil2` (issue 13). Accept refuses it naming makepkg's reason, and
/// recover reports it and goes on with the rest instead of being stuck on it.
@Suite struct UnsafePackageNameTests {
    /// Reports `claimed` built with one package file named like tiny-ca's whose
    /// `.PKGINFO` says `pkgname = ../../evil2`.
    func reportEvil(_ claimed: BuildRecord, fixture: ReviewFixture, store: any BuildStore) throws -> String {
        let out = fixture.root + "/out/\(claimed.id.rawValue)"
        let tree = out + "/tree"
        try FileManager.default.createDirectory(atPath: tree + "/usr/share/evil", withIntermediateDirectories: true)
        try """
            pkgname = ../../evil2
            pkgbase = tiny-ca
            pkgver = 20240101-1
            pkgdesc = evil
            builddate = 1
            packager = x
            size = 1
            arch = any

            """.write(toFile: tree + "/.PKGINFO", atomically: true, encoding: .utf8)
        try "x\n".write(toFile: tree + "/usr/share/evil/x", atomically: true, encoding: .utf8)
        let package = out + "/tiny-ca-20240101-1-any.pkg.tar.zst"
        let made = try ProcessRunner.run("/usr/bin/bsdtar", ["-C", tree, "--zstd", "-cf", package, ".PKGINFO", "usr"])
        #expect(made.status == 0, "\(made.stderr)")
        _ = try store.report(claimed.id, worker: "test-waka", result: .built(log: nil, artifacts: [package], facts: []))
        return package
    }

    @Test func acceptRefusesItAndRecoverReportsItAndStagesTheRest() throws {
        let fixture = try ReviewFixture(staging: true)
        defer { fixture.remove() }
        let store = try fixture.openStore()
        _ = try store.enqueue([PlannedBuild(PackageBaseID(repo: "tiny", pkgbase: "tiny-ca"), version: "20240101-1")])
        let claimed = try #require(try store.claim(worker: "test-waka", arches: ["x86_64"], tags: []))
        _ = try reportEvil(claimed, fixture: fixture, store: store)
        let good = try fixture.built(["tiny-zlib"])

        let recover = try fixture.pacbuild(["recover"])
        #expect(recover.status == 1)
        #expect(recover.stderr.contains("pkgname '../../evil2' refused: pkgname is not allowed to start with a dot."), "\(recover.stderr)")
        #expect(recover.stdout.contains("staged \(try #require(good["tiny-zlib"])) again"), "\(recover.stdout)")
        #expect(try store.build(claimed.id).stagedAt == nil)
        #expect(try SyncDatabase.read(at: fixture.stagingDatabase).entries.map(\.name) == ["tiny-zlib"])

        let accept = try fixture.pacbuild(["accept", "\(claimed.id.rawValue)"])
        #expect(accept.status != 0)
        #expect(accept.stderr.contains("pkgname '../../evil2' refused"), "\(accept.stderr)")
        #expect(try store.build(claimed.id).state == .built)
        #expect(!FileManager.default.fileExists(atPath: fixture.pool + "/tiny-ca-20240101-1-any.pkg.tar.zst"))
        let files = try FileManager.default.contentsOfDirectory(atPath: fixture.root)
        #expect(!files.contains("evil2-20240101-1"), "nothing was written beside the repo")
    }
}
