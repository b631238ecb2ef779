import Foundation
import Repo
import Scheduler
import Testing

/// checkbuilds, show, log, accept, reject and unreject on real fixture packages, checked
/// with the real pacman.
struct ReviewCommandTests {
    /// The repo's tiny-libc before the build: another file list and soname.
    static let oldLibc = FakePackage(name: "tiny-libc", version: "1.0-1", files: ["usr/share/tiny/old-file"],
                                     depends: ["tiny-base"], provides: ["libc.so=5-64"], size: 4)

    @Test func checkbuildsShowsWhatChanged() throws {
        let fixture = try ReviewFixture()
        defer { fixture.remove() }
        let old = try Self.oldLibc.write(into: fixture.pool)
        #expect(try DatabaseWriter(path: fixture.database).add([old]).written)
        let ids = try fixture.built(["tiny-libc", "tiny-zlib"], warnings: 2)

        let text = try fixture.pacbuild(["checkbuilds"])
        #expect(text.status == 0, "\(text.stderr)")
        let libc = "\(ids["tiny-libc"]!) tiny/tiny-libc 1.0-1 -> 2.0-1"
        #expect(text.stdout.contains(libc), "\(text.stdout)")
        #expect(text.stdout.contains("on test-waka, 2 warnings\n"))
        #expect(text.stdout.contains("  tiny-libc "))
        #expect(text.stdout.contains("installed 14 B (+10 B)"))
        for line in ["files +usr/share/tiny/tiny-libc", "files -usr/share/tiny/old-file", "depends -tiny-base",
                     "provides +libc.so=6-64  [soname]", "provides -libc.so=5-64  [soname]", "provides +tiny-c-runtime"] {
            #expect(text.stdout.contains("    \(line)\n"), "\(line) in \(text.stdout)")
        }
        #expect(text.stdout.contains("\(ids["tiny-zlib"]!) tiny/tiny-zlib (new) -> 1:1.3-2"))
        #expect(text.stdout.contains(", new package"))

        let json = try fixture.pacbuild(["checkbuilds", "--json", "--repo", "tiny"])
        let reviews = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        #expect(reviews?.count == 2)
        let first = try #require(reviews?.first)
        #expect(first["oldVersion"] as? String == "1.0-1" && first["warnings"] as? Int == 2)
        let package = try #require((first["packages"] as? [[String: Any]])?.first)
        #expect(package["providesRemoved"] as? [String] == ["libc.so=5-64"])
        #expect(package["filesRemoved"] as? [String] == ["usr/share/tiny/old-file"])
        #expect((package["size"] as? Int ?? 0) > 0)
    }

    @Test func acceptPublishesAndRejectMarks() throws {
        let fixture = try ReviewFixture()
        defer { fixture.remove() }
        let old = try Self.oldLibc.write(into: fixture.pool)
        _ = try DatabaseWriter(path: fixture.database).add([old])
        let ids = try fixture.built(["tiny-libc", "tiny-zlib", "tiny-ssl"])
        let check = RepoCheck(fixture: fixture)

        let accepted = try fixture.pacbuild(["accept", "tiny-libc", "#\(ids["tiny-ssl"]!.rawValue)"])
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(accepted.stdout.contains("\(ids["tiny-libc"]!) tiny/tiny-libc 2.0-1: accepted\n  added tiny-libc-2.0-1-any.pkg.tar.zst\n  removed tiny-libc-1.0-1-any.pkg.tar.zst\n"))
        #expect(try check.pacmanList() == "tiny tiny-libc 2.0-1\ntiny tiny-ssl 3.1.0-1\n")
        #expect(!FileManager.default.fileExists(atPath: old))
        #expect(try check.packagesTxtMatches())
        #expect(try check.problems() == [])
        let again = try fixture.pacbuild(["accept", "tiny-libc"])
        #expect(again.stdout.contains("already accepted"))

        let rejected = try fixture.pacbuild(["reject", "tiny-zlib", "--reason", "links the wrong libc"])
        #expect(rejected.status == 0, "\(rejected.stderr)")
        let store = try fixture.openStore()
        #expect(try store.build(ids["tiny-zlib"]!).state == .rejected)
        let show = try fixture.pacbuild(["show", "tiny-zlib", "--json"])
        let shown = try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any]
        #expect((shown?["mark"] as? [String: Any])?["reason"] as? String == "links the wrong libc")
        #expect((shown?["artifactSHA256"] as? [String: String])?.count == 1)
        let showText = try fixture.pacbuild(["show", "\(ids["tiny-zlib"]!.rawValue)"])
        #expect(showText.stdout.contains("state          rejected\n") && showText.stdout.contains("reason         links the wrong libc\n"))
        let log = try fixture.pacbuild(["log", "tiny-zlib"])
        #expect(log.stdout.hasPrefix("==> Making package: tiny-zlib 1:1.3-2\n"))

        #expect(try fixture.pacbuild(["unreject", "tiny-zlib"]).status == 0)
        #expect(try store.build(ids["tiny-zlib"]!).state == .ready)
        #expect(try store.marks().isEmpty)
        #expect(try fixture.pacbuild(["accept", "--all"]).stdout == "no builds await review\n")
    }

    @Test func aPackageChangedAfterTheBuildIsRefused() throws {
        let fixture = try ReviewFixture()
        defer { fixture.remove() }
        let ids = try fixture.built(["tiny-ca"])
        let artifact = try fixture.openStore().build(ids["tiny-ca"]!).artifacts[0]
        // the same package, recompressed: it reads fine but is not the file that was built
        let recompressed = try PacbuildBinary.run(["-c", "bsdtar -xOf \(artifact) >/dev/null && cd $(mktemp -d) && bsdtar -xf \(artifact) && bsdtar --zstd --options zstd:compression-level=1 -cf \(artifact) .PKGINFO .BUILDINFO .MTREE usr"],
                                                  executable: "/bin/sh")
        #expect(recompressed.status == 0, "\(recompressed.stderr)")
        let result = try fixture.pacbuild(["accept", "tiny-ca"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("but the build recorded"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: fixture.database))
        #expect(try fixture.openStore().build(ids["tiny-ca"]!).state == .built)
    }

    @Test func aBuildOlderThanTheRepoIsNotPublished() throws {
        let fixture = try ReviewFixture()
        defer { fixture.remove() }
        let newer = try FakePackage(name: "tiny-libc", version: "3.0-1", files: ["usr/share/tiny/tiny-libc"]).write(into: fixture.pool)
        _ = try DatabaseWriter(path: fixture.database).add([newer])
        try fixture.built(["tiny-libc"])
        let result = try fixture.pacbuild(["accept", "--all"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("the repo already has tiny-libc 3.0-1, which is newer"), "\(result.stderr)")
        #expect(try RepoCheck(fixture: fixture).pacmanList() == "tiny tiny-libc 3.0-1\n")
    }
}
