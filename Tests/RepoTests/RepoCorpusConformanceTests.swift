import Foundation
import Testing
import TestSupport
@testable import Repo

/// The external corpus's real databases and packages (../shared/corpus/dbs or
/// $PACBUILD_CORPUS/dbs: Arch's core and extra of 2019 and 2021, a pacman 5.1.3 package),
/// read by us and by the real pacman. scripts/test runs it (`--filter CorpusConformance`) when
/// the corpus is there; the default suite covers the same behaviours with the fixtures.
@Suite(.enabled(if: Corpus.isRequested, Comment(rawValue: Corpus.absence)))
struct RepoCorpusConformanceTests {
    init() throws {
        _ = Tools.localeSet
        try #require(Corpus.directory != nil, Comment(rawValue: Corpus.absence))
    }

    /// The corpus databases and the package counts dbs/SOURCES.md records from `pacman -Sl`.
    static let databases: [(path: String, count: Int)] = [
        ("alpm.rs/tests/db/sync/core.db", 231),
        ("alpm.rs/tests/db/sync/extra.db", 2917),
        ("alpm.rs/tests/db/sync/testing.db", 38),
        ("alpm.rs/tests/db/sync/community-testing.db", 36),
        ("alpm.rs/tests/db/sync/multilib.db", 280),
        ("alpm.rs/tests/db/sync/multilib-testing.db", 1),
        ("paru/testdata/db/sync/core.db", 234),
        ("paru/testdata/db/sync/extra.db", 3003),
        ("paru/testdata/repo/repo.db.tar.gz", 2),
        ("tiny.db.tar.gz", 9),
        ("tiny.files.tar.gz", 9),
        ("tiny/zst/tiny.db", 9),
        ("tiny/zst/tiny.files", 9),
        ("tiny/xz/tiny.db.tar.gz", 9),
    ]

    @Test(arguments: databases.map(\.path))
    func listsWhatPacmanLists(relativePath: String) throws {
        let count = Self.databases.first { $0.path == relativePath }!.count
        try SyncDatabaseTests.listsWhatPacmanLists(path: Corpus.path("dbs/" + relativePath), count: count)
    }

    static var packages: [String] {
        PackageFileTests.packages(in: ["tiny/zst", "tiny/xz", "paru/testdata/repo"].map { Corpus.path("dbs/" + $0) })
            + [Corpus.path("dbs/alpm.rs/tests/pacman-5.1.3-1-x86_64.pkg.tar.xz")]
    }

    @Test(arguments: packages)
    func packagesMatchTheRealTools(path: String) throws {
        try PackageFileTests().matchesTheRealTools(path: path)
    }

    @Test func incompletePkginfoIsReported() throws {
        let package = try PackageFile.read(at: Corpus.path("dbs/alpm.rs/tests/pacman-5.1.3-1-incomplete.pkg.tar.xz"))
        #expect(package.info.missingKeys == ["pkgbase", "pkgdesc", "url", "builddate", "packager", "size", "arch"])
    }

    @Test func truncatedArchivesNameTheFile() throws {
        try BadInputTests.truncatedArchivesNameTheFile([Corpus.path("dbs/paru/testdata/db/sync/extra.db"),
                                                        Corpus.path("dbs/alpm.rs/tests/pacman-5.1.3-1-x86_64.pkg.tar.xz")])
    }
}
