import Foundation
import Repo
import Scheduler
import Testing
import TestSupport

/// `pacbuild recover` on a repo with `staging = true`: built builds that a crash left
/// unstaged are staged (their dependents could never become ready otherwise), and
/// staging entries of builds no longer built are removed.
@Suite struct RecoverStagingTests {
    @Test func recoverStagesWhatACrashLeftAndRemovesWhatLeftStaging() throws {
        let fixture = try ReviewFixture(staging: true)
        defer { fixture.remove() }
        // Reported built but never staged: what a waka killed between its report and
        // its staging leaves.
        let ids = try fixture.built(["tiny-libc", "tiny-zlib"])
        let store = try fixture.openStore()
        #expect(try ids.values.allSatisfy { try store.build($0).stagedAt == nil })
        #expect(!FileManager.default.fileExists(atPath: fixture.stagingDatabase))

        let first = try fixture.pacbuild(["recover"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.components(separatedBy: " again").count == 3, "\(first.stdout)")
        #expect(try ids.values.allSatisfy { try store.build($0).stagedAt != nil })
        #expect(try list(fixture) == ["tiny-staging tiny-libc 2.0-1", "tiny-staging tiny-zlib 1:1.3-2"])

        // tiny-libc accepted in the store with the clean-up of staging lost (a crash):
        // recover takes it out of the staging database, pool file included.
        let libc = try #require(ids["tiny-libc"])
        try store.accept(libc)
        let second = try fixture.pacbuild(["recover"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("tiny-libc-2.0-1-any.pkg.tar.zst and its staging database entry"), "\(second.stdout)")
        #expect(try list(fixture) == ["tiny-staging tiny-zlib 1:1.3-2"])
        #expect(!FileManager.default.fileExists(atPath: fixture.root + "/repo/staging/tiny-libc-2.0-1-any.pkg.tar.zst"))

        let third = try fixture.pacbuild(["recover"])
        #expect(third.stdout.contains("nothing to recover"), "\(third.stdout)")
    }

    /// `pacman -Sl` of the staging repo, fetched afresh.
    private func list(_ fixture: ReviewFixture) throws -> [String] {
        let pacman = try ThrowAwayPacman(scratch: fixture.root + "/pacman-" + UUID().uuidString,
                                         repos: [("tiny-staging", fixture.root + "/repo/staging")])
        try pacman.sync()
        return try pacman.list().split(separator: "\n").map(String.init).sorted()
    }
}
