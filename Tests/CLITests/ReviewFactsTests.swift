import Foundation
import Repo
import Scheduler
import Testing

/// `show` and `checkbuilds` on the `.PKGINFO` facts a waka records with its report
/// (schema 10), and on builds reported without them (read from the package files).
struct ReviewFactsTests {
    @Test func showListsEachPackagesRecordedFacts() throws {
        let fixture = try ReviewFixture()
        defer { fixture.remove() }
        let ids = try fixture.built(["tiny-py"])
        let id = try #require(ids["tiny-py"])

        let json = try fixture.pacbuild(["show", "--json", "tiny-py"])
        #expect(json.status == 0, "\(json.stderr)")
        let shown = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(shown["factsSource"] as? String == "store")
        let facts = try #require(shown["packageFacts"] as? [[String: Any]])
        #expect(facts.map { $0["name"] as? String } == ["tiny-py", "tiny-py-docs"])
        #expect(facts.compactMap { $0["filename"] as? String } == ReviewFixture.files["tiny-py"])
        let py = PackageFacts(try PackageFile.read(at: ReviewFixture.packages + "/tiny-py-3.12.1-1-any.pkg.tar.zst"))
        #expect(facts[0]["version"] as? String == "3.12.1-1" && facts[0]["arch"] as? String == py.arch)
        #expect(facts[0]["depends"] as? [String] == py.depends && facts[0]["provides"] as? [String] == py.provides)
        #expect((facts[0]["installedSize"] as? Int).map(Int64.init) == py.installedSize)
        #expect(facts[0]["sha256"] as? String == py.sha256)

        let text = try fixture.pacbuild(["show", "\(id.rawValue)"])
        #expect(text.stdout.contains("\n  is           tiny-py 3.12.1-1 \(py.arch ?? "?")"), "\(text.stdout)")
        if !py.depends.isEmpty { #expect(text.stdout.contains("\n  depends      \(py.depends.joined(separator: " "))\n")) }
        #expect(text.stdout.contains("\n  is           tiny-py-docs 3.12.1-1 "))
        #expect(!text.stdout.contains("read from the package files"))
    }

    /// The package file is gone from the reported path (as a remote SQLite waka's would
    /// be): the review still has versions, sizes, depends and provides from the facts,
    /// says the file list could not be compared, and reports no problem.
    @Test func checkbuildsReviewsFromTheFactsWhenThePackageFileIsGone() throws {
        let fixture = try ReviewFixture()
        defer { fixture.remove() }
        let old = try ReviewCommandTests.oldLibc.write(into: fixture.pool)
        #expect(try DatabaseWriter(path: fixture.database).add([old]).written)
        let id = try #require(try fixture.built(["tiny-libc"])["tiny-libc"])
        let artifact = try fixture.openStore().build(id).artifacts[0]
        try FileManager.default.removeItem(atPath: artifact)

        let text = try fixture.pacbuild(["checkbuilds"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("\(id) tiny/tiny-libc 1.0-1 -> 2.0-1"), "\(text.stdout)")
        #expect(text.stdout.contains("installed 14 B (+10 B)"))
        for line in ["depends -tiny-base", "provides +libc.so=6-64  [soname]", "provides -libc.so=5-64  [soname]",
                     "files: not compared, \(artifact) is not on this machine and not uploaded to the store"] {
            #expect(text.stdout.contains("    \(line)"), "\(line) in \(text.stdout)")
        }
        #expect(!text.stdout.contains("problem:"))

        let json = try fixture.pacbuild(["checkbuilds", "--json"])
        let reviews = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        let package = try #require((reviews.first?["packages"] as? [[String: Any]])?.first)
        #expect((package["filesUnavailable"] as? String)?.hasPrefix(artifact) == true)
        #expect(package["filesAdded"] as? [String] == [] && (reviews.first?["problems"] as? [String]) == [])
    }

    /// A build reported without facts (before schema 10): show and checkbuilds read its
    /// package file, and say the same as with facts.
    @Test func aBuildReportedWithoutFactsIsReadFromItsFiles() throws {
        let fixture = try ReviewFixture()
        defer { fixture.remove() }
        let old = try ReviewCommandTests.oldLibc.write(into: fixture.pool)
        _ = try DatabaseWriter(path: fixture.database).add([old])
        let id = try #require(try fixture.built(["tiny-libc"], facts: false)["tiny-libc"])
        #expect(try fixture.openStore().packageFacts(of: id).isEmpty)

        let json = try fixture.pacbuild(["show", "--json", "tiny-libc"])
        let shown = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(shown["factsSource"] as? String == "files")
        #expect((shown["packageFacts"] as? [[String: Any]])?.first?["provides"] as? [String] == ["libc.so=6-64", "tiny-c-runtime"])
        #expect(try fixture.pacbuild(["show", "tiny-libc"]).stdout.contains("facts          read from the package files"))

        let text = try fixture.pacbuild(["checkbuilds"])
        for line in ["files +usr/share/tiny/tiny-libc", "files -usr/share/tiny/old-file", "provides -libc.so=5-64  [soname]"] {
            #expect(text.stdout.contains("    \(line)\n"), "\(line) in \(text.stdout)")
        }
        #expect(!text.stdout.contains("not compared") && !text.stdout.contains("problem:"))
    }
}
