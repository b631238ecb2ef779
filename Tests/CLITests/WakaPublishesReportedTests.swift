import Foundation
import Scheduler
import TestSupport
import Testing

/// A remote waka connected as a worker role reports its builds `built` but cannot
/// publish them; a waka that can (the master's) stages and auto-accepts them when it has
/// nothing to claim. Here the builds are reported by "test-waka" through the store, as a
/// remote waka's reports arrive, and a `pacbuild waka` on the master publishes them.
@Suite(.serialized) struct WakaPublishesReportedTests {
    /// A fixture whose configuration names a root that opens but never has to build
    /// (nothing is ready: every build is already reported).
    static func fixture(review: String, staging: Bool) throws -> ReviewFixture {
        let fixture = try ReviewFixture(review: review, staging: staging)
        try FileManager.default.createDirectory(atPath: fixture.root + "/fakeroot/root", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: fixture.root + "/fakeroot/stamp.json", contents: Data("{}".utf8))
        let toml = fixture.root + "/pacbuild.toml"
        let text = try String(contentsOfFile: toml, encoding: .utf8)
        try (text + "build_root = \"\(fixture.root)/fakeroot\"\n").write(toFile: toml, atomically: true, encoding: .utf8)
        return fixture
    }

    /// Runs the master's waka until `done` holds (at most 60 s), then stops it.
    static func master(_ fixture: ReviewFixture, until done: () throws -> Bool) throws -> (Bool, String) {
        let waka = try Subprocess([PacbuildBinary.path, "waka", "--config", fixture.root, "--name", "master", "--jobs", "1",
                                   "--grace", "0"], outputPath: fixture.root + "/master.out")
        let reached = try WakaOptionsTests.eventually(60, done)
        waka.kill(SIGTERM)
        #expect(waka.wait() == 0, "\(waka.output)")
        return (reached, waka.output)
    }

    static func list(_ name: String, _ directory: String, scratch: String) throws -> [String] {
        let pacman = try ThrowAwayPacman(scratch: scratch + "/pacman-" + UUID().uuidString, repos: [(name, directory)])
        try pacman.sync()
        return try pacman.list().split(separator: "\n").map(String.init).sorted()
    }

    @Test func anAutoReviewRepoIsAcceptedByTheMastersWaka() throws {
        let fixture = try Self.fixture(review: "auto", staging: false)
        defer { fixture.remove() }
        let ids = try fixture.built(["tiny-libc", "tiny-zlib"])
        let store = try fixture.openStore()
        let (accepted, output) = try Self.master(fixture) { try ids.values.allSatisfy { try store.build($0).state == .accepted } }
        #expect(accepted, "\(output)")
        for (pkgbase, id) in ids {
            #expect(output.contains("accepted \(id) tiny/\(pkgbase) "), "\(output)")
        }
        #expect(try Self.list("tiny", fixture.pool, scratch: fixture.root) == ["tiny tiny-libc 2.0-1", "tiny tiny-zlib 1:1.3-2"])
    }

    @Test func aStagingRepoIsStagedByTheMastersWaka() throws {
        let fixture = try Self.fixture(review: "manual", staging: true)
        defer { fixture.remove() }
        let ids = try fixture.built(["tiny-libc", "tiny-zlib"])
        let store = try fixture.openStore()
        let (staged, output) = try Self.master(fixture) { try ids.values.allSatisfy { try store.build($0).stagedAt != nil } }
        #expect(staged, "\(output)")
        #expect(try ids.values.allSatisfy { try store.build($0).state == .built }, "staged, still awaiting review")
        #expect(try Self.list("tiny-staging", fixture.root + "/repo/staging", scratch: fixture.root)
                == ["tiny-staging tiny-libc 2.0-1", "tiny-staging tiny-zlib 1:1.3-2"])
    }
}
