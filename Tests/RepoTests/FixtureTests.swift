import Foundation
import Testing
import TestSupport

/// The fixtures every default test reads were made (Tests/Fixtures/make-fixtures, with the
/// real makepkg, repo-add and pacman); when not, this says why.
struct FixtureTests {
    @Test func fixturesAreMade() throws {
        if case .failure(let failure) = Fixtures.made { Issue.record(Comment(rawValue: failure.message)) }
        let fm = FileManager.default
        for file in ["tiny-src/tiny-py/.SRCINFO.truth", "shapes/shape-split/.SRCINFO.truth", "examples/extra/ex-utils/.SRCINFO.truth",
                     "dbs/tiny/zst/tiny.db.tar.gz", "dbs/tiny/xz/tiny.files.tar.gz", "dbs/examples/current/current.db.tar.gz",
                     "dbs/large.db.tar.gz", "dbs/incomplete.pkg.tar.xz", "dbs/resolve/tiny.tsv", "dbs/resolve/examples.tsv"] {
            #expect(fm.fileExists(atPath: Fixtures.path(file)), "\(file) was not made")
        }
    }
}
