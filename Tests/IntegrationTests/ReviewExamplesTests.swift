import Foundation
import Testing

/// Issue 8's acceptance on the shipped examples, with real sandbox builds: build with
/// manual review, review with checkbuilds, accept some and reject one; pacman lists
/// exactly the accepted packages, packages.txt matches the database, and catchup skips
/// the rejected version until its PKGBUILD's version rises.
@Suite(.enabled(if: RunFixture.canRun, "needs root"), .serialized)
struct ReviewExamplesTests {
    func pacbuild(_ fixture: RunFixture, _ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let (status, out, err) = try RunFixture.execute(RunFixture.binary, [arguments[0], "--config", fixture.directory] + arguments.dropFirst())
        return (status, out, err)
    }

    @Test func buildReviewAcceptRejectAndCatchUp() throws {
        let fixture = try RunFixture("review-examples")
        for repo in ["repos.d/current-i586.toml", "repos.d/extra-i586.toml"] {
            try fixture.edit(repo) { $0.replacingOccurrences(of: "review = \"auto\"", with: "review = \"manual\"") }
        }
        // manual review: only what needs nothing unaccepted builds (wave 0 of current)
        let run = try fixture.run()
        #expect(run.status == 0, "\(run.stderr) \(run.events.suffix(2))")
        let review = try pacbuild(fixture, ["checkbuilds", "--json"])
        #expect(review.status == 0, "\(review.err)")
        let reviews = try #require(try JSONSerialization.jsonObject(with: Data(review.out.utf8)) as? [[String: Any]])
        let names = reviews.compactMap { ($0["package"] as? [String: Any])?["pkgbase"] as? String }
        #expect(Set(names) == ["ex-tinysh", "ex-libbase", "ex-tzinfo"], "\(review.out.prefix(600))")
        let text = try pacbuild(fixture, ["checkbuilds"])
        #expect(text.out.contains("current/ex-libbase"))

        let accept = try pacbuild(fixture, ["accept", "ex-tinysh", "ex-libbase"])
        #expect(accept.status == 0, "\(accept.err)")
        let reject = try pacbuild(fixture, ["reject", "ex-tzinfo", "--reason", "wrong zone data"])
        #expect(reject.status == 0, "\(reject.err)")

        // nothing was accepted into extra: it has no database yet, so pacman reads current only
        let listing = try fixture.pacmanList(extra: FileManager.default.fileExists(atPath: fixture.state + "/repo/extra/i586/extra.db"))
        #expect(listing == ["current ex-libbase 1.2.0-1", "current ex-tinysh 0.9.3-1"], "\(listing)")
        let pool = fixture.state + "/repo/current/i586"
        let packagesTxt = try String(contentsOfFile: pool + "/packages.txt", encoding: .utf8)
        let files = try FileManager.default.contentsOfDirectory(atPath: pool).filter { $0.contains(".pkg.tar.") && !$0.hasSuffix(".sig") }
        #expect(packagesTxt == files.sorted().map { "current/\($0)\n" }.joined(), "\(packagesTxt) vs \(files)")

        // the plan reads the databases pacbuild wrote: the accepted are current
        let plan = try pacbuild(fixture, ["plan", "--format", "json"])
        let entries = (try JSONSerialization.jsonObject(with: Data(plan.out.utf8)) as? [String: Any])?["entries"] as? [[String: Any]] ?? []
        let status = Dictionary(entries.compactMap { e in (e["pkgbase"] as? String).map { ($0, e["status"] as? String ?? "") } }) { a, _ in a }
        #expect(status["ex-tinysh"] == "current" && status["ex-libbase"] == "current", "\(status)")
        #expect(status["ex-tzinfo"] == "new" && status["ex-hello"] == "new", "\(status)")
        // the rejected version is never queued again ...
        let dry = try pacbuild(fixture, ["catchup", "--dry-run"])
        #expect(!dry.out.contains("would queue current/ex-tzinfo"), "\(dry.out)")
        let why = try pacbuild(fixture, ["why", "ex-tzinfo"])
        #expect(why.out.contains("rejected: 1:1.0-2: wrong zone data"), "\(why.out)")
        // ... until its PKGBUILD's version rises
        try fixture.edit("examples/abs/current/ex-tzinfo/PKGBUILD") { $0.replacingOccurrences(of: "pkgrel=2", with: "pkgrel=3") }
        let again = try pacbuild(fixture, ["catchup", "--dry-run"])
        #expect(again.out.contains("would queue current/ex-tzinfo 1:1.0-3"), "\(again.out)")
    }
}
