import Foundation
import Scheduler
import Testing

/// Issue 8's acceptance on a copy of the tiny fixture tree (its real packages stand in
/// for built ones: no build root is needed): catchup, build, review with checkbuilds,
/// accept all but one, reject that one; pacman lists exactly the accepted packages,
/// packages.txt matches, and catchup leaves the rejected version alone until its
/// PKGBUILD's version rises.
struct ReviewAcceptanceTests {
    @Test func catchupBuildReviewAcceptRejectCatchup() throws {
        let fixture = try ReviewFixture()
        defer { fixture.remove() }
        let check = RepoCheck(fixture: fixture)
        let catchup = try fixture.pacbuild(["catchup"])
        #expect(catchup.status == 0, "\(catchup.stderr)")
        #expect(catchup.stdout.hasSuffix("8 queued, 0 superseded, 0 already queued, 0 rejected versions skipped\n"), "\(catchup.stdout)")

        let store = try fixture.openStore()
        var accepted: [String] = []
        var rounds = 0
        while let first = try store.claim(worker: "test-waka", arches: ["x86_64"], tags: []) {
            rounds += 1
            var claimed = [first]
            while let next = try store.claim(worker: "test-waka", arches: ["x86_64"], tags: []) { claimed.append(next) }
            for build in claimed { try fixture.report(build, in: store) }
            let review = try fixture.pacbuild(["checkbuilds"])
            for build in claimed {
                #expect(review.stdout.contains("\(build.id) \(build.package) (new) -> \(build.version)"), "\(review.stdout)")
            }
            for build in claimed where build.package.pkgbase == "tiny-meta" {
                #expect(try fixture.pacbuild(["reject", "\(build.id.rawValue)", "--reason", "meta pulls in too much"]).status == 0)
            }
            let accept = try fixture.pacbuild(["accept", "--all", "--repo", "tiny"])
            #expect(accept.status == 0, "\(accept.stderr)")
            accepted += claimed.filter { $0.package.pkgbase != "tiny-meta" }.flatMap { ReviewFixture.files[$0.package.pkgbase]! }
            #expect(try check.problems() == [])
        }
        #expect(rounds >= 4, "the dependency order takes several rounds")
        #expect(try store.builds(state: .rejected, repo: nil, limit: nil).map(\.package.pkgbase) == ["tiny-meta"])
        let listed = try check.pacmanList().split(separator: "\n").map { $0.split(separator: " ").dropFirst().joined(separator: "-") }
        #expect(listed.sorted() == accepted.map { $0.replacingOccurrences(of: "-any.pkg.tar.zst", with: "") }.sorted())
        #expect(!listed.contains { $0.hasPrefix("tiny-meta") })
        #expect(try check.packagesTxtMatches())

        let dry = try fixture.pacbuild(["catchup", "--dry-run"])
        #expect(dry.stdout.hasPrefix("dry run: 0 to queue"), "\(dry.stdout)")
        let again = try fixture.pacbuild(["catchup"])
        #expect(again.stdout.contains("skipped tiny/tiny-meta 1-1: marked rejected\n"), "\(again.stdout)")
        #expect(again.stdout.contains("nothing changed"), "\(again.stdout)")

        let pkgbuild = fixture.root + "/abs/tiny-meta/PKGBUILD"
        let text = try String(contentsOfFile: pkgbuild, encoding: .utf8)
        try text.replacingOccurrences(of: "pkgrel=1", with: "pkgrel=2").write(toFile: pkgbuild, atomically: true, encoding: .utf8)
        let bumped = try fixture.pacbuild(["catchup"])
        #expect(bumped.stdout.contains("tiny/tiny-meta 1-2 (ready)"), "\(bumped.stdout)")
        #expect(try store.marks().isEmpty, "the newer version cleared the mark")
    }
}
