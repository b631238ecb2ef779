import Foundation
import Graph
import Repo
import Scheduler
import Testing

/// A two-package dependency cycle through `pacbuild run` with real sandboxes: ex-cyca and
/// ex-cycb makedepend on each other, `bootstrap = ["ex-cyca"]` lets ex-cyca build first
/// (its makedepend on the not yet built ex-cycb is assumed installed, and its PKGBUILD
/// records what it found). Pass 2 rebuilds both against pass 1, and the repo ends with
/// each once, at its version, pass 2's file.
@Suite(.enabled(if: RunFixture.canRun, "needs root"), .serialized)
struct CycleRunTests {
    static func pkgbuild(_ name: String, needs other: String) -> String {
        """
        pkgname=\(name)
        pkgver=1.0
        pkgrel=1
        pkgdesc='Half of a dependency cycle made for a test'
        arch=('any')
        license=('CC0-1.0')
        makedepends=('\(other)')

        package() {
          install -d "$pkgdir/usr/share/$pkgname"
          if [ -e /usr/share/\(other)/built-with ]; then
            printf '%s against %s\\n' "$pkgver" "$(cat /usr/share/\(other)/built-with)" > "$pkgdir/usr/share/$pkgname/built-with"
          else
            printf '%s against nothing\\n' "$pkgver" > "$pkgdir/usr/share/$pkgname/built-with"
          fi
        }

        """
    }

    @Test func aCycleIsBuiltTwiceAndItsRepoListsEachMemberOnce() throws {
        let fixture = try RunFixture("run-cycle")
        let manager = FileManager.default
        for tree in ["current", "extra"] {
            let dir = fixture.directory + "/examples/abs/" + tree
            for item in try manager.contentsOfDirectory(atPath: dir) { try manager.removeItem(atPath: dir + "/" + item) }
        }
        for (name, other) in [("ex-cyca", "ex-cycb"), ("ex-cycb", "ex-cyca")] {
            let dir = fixture.directory + "/examples/abs/current/" + name
            try manager.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try Self.pkgbuild(name, needs: other).write(toFile: dir + "/PKGBUILD", atomically: true, encoding: .utf8)
        }
        // ex-cycuser, outside the cycle, needs ex-cyca: it waits for pass 2 and is
        // published once the cycle's set is
        let user = fixture.directory + "/examples/abs/current/ex-cycuser"
        try manager.createDirectory(atPath: user, withIntermediateDirectories: true)
        try Self.pkgbuild("ex-cycuser", needs: "ex-cyca").replacingOccurrences(of: "makedepends=", with: "depends=")
            .write(toFile: user + "/PKGBUILD", atomically: true, encoding: .utf8)
        try fixture.edit("repos.d/current-i586.toml") {
            $0.replacingOccurrences(of: "depends_on = []", with: "depends_on = []\nbootstrap = [\"ex-cyca\"]")
        }


        let (status, events, stderr) = try fixture.run()
        #expect(status == 0, "\(stderr) \(events.suffix(3))")
        let summary = events.last?["summary"] as? [String: Any]
        #expect((summary?["accepted"] as? [Any])?.count == 5, "\(events.last ?? [:])")

        let store = try fixture.openStore()
        let a = try store.builds(of: PackageBaseID(repo: "current", pkgbase: "ex-cyca"))
        let b = try store.builds(of: PackageBaseID(repo: "current", pkgbase: "ex-cycb"))
        #expect(a.map(\.pass) == [1, 2] && b.map(\.pass) == [1, 2])
        #expect((a + b).allSatisfy { $0.state == .accepted && $0.version == "1.0-1" })
        let (a1, a2, b1, b2) = (a[0], a[1], b[0], b[1])
        // both passes are one rebuild set: pass 1 is held (not published) for pass 2, and
        // the four are published together once pass 2 is built
        for second in [a2, b2] {
            for first in [a1, b1] {
                #expect(try #require(second.startedAt) >= (try #require(first.finishedAt)), "pass 2 starts after pass 1 is built (and held)")
                #expect(try #require(first.reviewedAt) >= (try #require(second.finishedAt)), "pass 1 is published with pass 2")
            }
        }
        let sets = try store.rebuildSets(openOnly: false)
        #expect(sets.count == 1 && sets[0].state == .published && Set(sets[0].members.map(\.build)) == [a1.id, a2.id, b1.id, b2.id], "\(sets)")
        #expect(events.filter { $0["event"] as? String == "set-published" }.count == 1)
        let accepted = events.filter { $0["event"] as? String == "accepted" }
        #expect(accepted.count == 1 && "\(accepted)".contains("ex-cycuser") && !"\(accepted)".contains("ex-cyca\""),
                "no pass is published alone; ex-cycuser, refused while ex-cyca was held, after the set: \(accepted)")
        let users = try store.builds(of: PackageBaseID(repo: "current", pkgbase: "ex-cycuser"))
        let userStarted = try #require(users.first?.startedAt), cycleDone = try #require(a2.finishedAt)
        #expect(users.count == 1 && users[0].state == .accepted && userStarted >= cycleDone, "\(users)")
        let log = { (build: BuildRecord) in try String(contentsOfFile: try #require(build.log), encoding: .utf8) }
        #expect(!(try log(a1)).contains("installing ex-cycb"), "ex-cyca's pass 1 has no ex-cycb to install")
        #expect(try log(b1).contains("installing ex-cyca"))
        #expect(try log(a2).contains("installing ex-cycb"), "pass 2 installs the other's pass 1")
        #expect(try log(b2).contains("installing ex-cyca"))

        #expect(try fixture.pacmanList(extra: false) == ["current ex-cyca 1.0-1", "current ex-cycb 1.0-1", "current ex-cycuser 1.0-1"])
        let show = try RunFixture.execute(RunFixture.binary, ["show", "--config", fixture.directory, "\(a2.id.rawValue)"])
        #expect(show.0 == 0 && show.1.contains("current/ex-cyca 1.0-1 (pass 2 of a cycle)"), "\(show)")
        let why = try RunFixture.execute(RunFixture.binary, ["why", "--config", fixture.directory, "ex-cyca"])
        #expect(why.1.contains("store: \(a1.id) 1.0-1 accepted") && why.1.contains("store: \(a2.id) 1.0-1 (pass 2 of a cycle) accepted"),
                "\(why)")
        for second in [a2, b2] {
            let artifact = try #require(second.artifacts.first)
            #expect(artifact.hasSuffix("/\(second.package.pkgbase)-1.0-1-any.pkg.tar.gz"), "\(second.artifacts)")
            let pooled = fixture.state + "/repo/current/i586/" + (artifact as NSString).lastPathComponent
            let recorded = try store.artifactChecksums(of: second.id)[artifact]
            #expect(try FileChecksum.sha256(ofFileAt: pooled) == recorded, "the pool holds \(second.package.pkgbase)'s pass 2")
            let first = try store.artifactChecksums(of: (second.id == a2.id ? a1 : b1).id)[artifact]
            #expect(recorded != nil && recorded != first, "pass 2 made a different file than pass 1")
        }

    }
}
