import Foundation
import Graph
import Scheduler
import TestSupport
import Testing

/// A staging repo end to end: `current` with `staging = true` and `review = "manual"`,
/// holding only ex-libbase and ex-libfmt (which depends on it). `pacbuild run` builds
/// both with no accept in between, ex-libfmt's sandbox installing ex-libbase from
/// `current-staging`; the real pacman lists both in the staging database and neither in
/// the real one until `pacbuild accept --all` moves them.
@Suite(.enabled(if: RunFixture.canRun, "needs root"), .serialized)
struct StagingRunTests {
    @Test func aChainBuildsInStagingAndMovesToTheRepoOnAccept() throws {
        let fixture = try RunFixture("run-staging")
        try FileManager.default.removeItem(atPath: fixture.directory + "/repos.d/extra-i586.toml")
        for gone in ["ex-buildtool", "ex-testkit", "ex-tzinfo", "ex-tinysh"] {
            try FileManager.default.removeItem(atPath: fixture.directory + "/examples/abs/current/" + gone)
        }
        // ex-libfmt's build() does not run ex-build; without it the chain is two builds.
        try fixture.edit("examples/abs/current/ex-libfmt/PKGBUILD") { $0.replacingOccurrences(of: "makedepends=('ex-buildtool')\n", with: "") }
        try fixture.edit("repos.d/current-i586.toml") {
            $0.replacingOccurrences(of: "review = \"auto\"", with: "review = \"manual\"\nstaging = true")
        }
        let realDirectory = fixture.state + "/repo/current/i586"
        let stagingDirectory = realDirectory + "/staging"

        let (status, events, stderr) = try fixture.run()
        #expect(status == 0, "\(stderr) \(events.suffix(3))")
        #expect(events.filter { $0["event"] as? String == "staged" }.count == 2, "\(events)")
        let store = try fixture.openStore()
        let libbase = try #require(try store.builds(of: PackageBaseID(repo: "current", pkgbase: "ex-libbase")).last)
        let libfmt = try #require(try store.builds(of: PackageBaseID(repo: "current", pkgbase: "ex-libfmt")).last)
        #expect(try store.dependencies(of: libfmt.id) == [libbase.id])
        #expect(libbase.state == .built && libfmt.state == .built, "nothing was accepted")
        let staged = try #require(libbase.stagedAt)
        #expect(try #require(libfmt.startedAt) >= staged, "ex-libfmt started once ex-libbase was staged")
        #expect(libfmt.stagedAt != nil)

        // Its sandbox's pacman.conf had no other repo with ex-libbase: the real one was never written.
        #expect(!FileManager.default.fileExists(atPath: realDirectory + "/current.db.tar.gz"))
        let log = try String(contentsOfFile: try #require(libfmt.log), encoding: .utf8)
        #expect(log.contains("current-staging downloading") && log.contains("installing ex-libbase"),
                "ex-libfmt's sandbox installed ex-libbase from current-staging: \(log.prefix(3000))")

        #expect(try list(fixture, "current-staging", stagingDirectory) == ["current-staging ex-libbase 1.2.0-1",
                                                                             "current-staging ex-libfmt 2.0.1-3",
                                                                             "current-staging ex-libfmt-headers 2.0.1-3"])
        let review = try RunFixture.execute(RunFixture.binary, ["checkbuilds", "--config", fixture.directory])
        #expect(review.1.components(separatedBy: "staged in current-staging").count == 3, "\(review.1)")

        let accept = try RunFixture.execute(RunFixture.binary, ["accept", "--all", "--config", fixture.directory])
        #expect(accept.0 == 0, "\(accept.1) \(accept.2)")
        #expect(try list(fixture, "current", realDirectory) == ["current ex-libbase 1.2.0-1", "current ex-libfmt 2.0.1-3",
                                                                 "current ex-libfmt-headers 2.0.1-3"])
        #expect(try list(fixture, "current-staging", stagingDirectory) == [])
        let left = try FileManager.default.contentsOfDirectory(atPath: stagingDirectory).filter { $0.contains(".pkg.tar") }
        #expect(left.isEmpty, "the staging pool keeps no accepted package: \(left)")
        #expect(try store.build(libfmt.id).state == .accepted && store.build(libfmt.id).stagedAt == nil)
    }

    /// `pacman -Sl` of one repo through a throw-away pacman.
    private func list(_ fixture: RunFixture, _ name: String, _ directory: String) throws -> [String] {
        let pacman = try ThrowAwayPacman(scratch: fixture.directory + "/pacman-\(name)", repos: [(name, directory)])
        try pacman.sync()
        return try pacman.list().split(separator: "\n").map(String.init).sorted()
    }
}
