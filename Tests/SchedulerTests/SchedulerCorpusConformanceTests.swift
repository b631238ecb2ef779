import Foundation
import Graph
import Repo
import Testing
import TestSupport
@testable import Scheduler

/// The external corpus (../shared/corpus or $PACBUILD_CORPUS): libalpm's resolution of
/// every package of Arch's real `core` databases, and plans over the corpus's tiny tree
/// and database. scripts/test runs it (`--filter CorpusConformance`) when the corpus is there;
/// the default suite covers the same behaviours with the repository's own fixtures.
@Suite(.enabled(if: Corpus.isRequested, Comment(rawValue: Corpus.absence)))
struct SchedulerCorpusConformanceTests {
    init() throws {
        try #require(Corpus.directory != nil, Comment(rawValue: Corpus.absence))
    }

    static let sources: [(truth: String, sync: String, repos: [String])] = [
        ("paru/resolve-truth.tsv", "paru/testdata/db/sync", ["core", "extra"]),
        ("alpm.rs/resolve-truth.tsv", "alpm.rs/tests/db/sync",
         ["core", "extra", "testing", "community-testing", "multilib", "multilib-testing"]),
    ]

    @Test(arguments: sources.indices)
    func installSetsMatchLibalpm(source: Int) throws {
        let (truthFile, directory, repos) = Self.sources[source]
        let sync = try ResolverTruthTests.Sync(directory: Corpus.path("dbs/" + directory), repos: repos)
        let truths = try ResolverTruthTests.truth(Corpus.path("dbs/" + truthFile))
        #expect(truths.count > 200)
        try ResolverTruthTests.check(sync: sync, truths: truths)
    }

    /// The corpus's tiny tree against the database real repo-add made of what real
    /// makepkg built from it, with its dependency table from tools/depgraph.py.
    static func corpusTiny() throws -> PlanCorpusTests.Tiny {
        PlanCorpusTests.Tiny(source: Corpus.path("tiny-src"), database: Corpus.path("dbs/tiny/zst/tiny.db.tar.gz"),
                             edges: try String(contentsOfFile: Corpus.path("tiny-src.depgraph.tsv"), encoding: .utf8)
                                .split(separator: "\n").dropFirst().map { line in
                                    let f = line.split(separator: "\t").map(String.init)
                                    return (f[0], f[1])
                                })
    }

    @Test func theTinyRepoIsCurrent() throws { try PlanCorpusTests.theTinyRepoIsCurrent(try Self.corpusTiny()) }

    @Test func rebuildingZlibRebuildsWhatDependsOnIt() throws {
        try PlanCorpusTests.rebuildingZlibRebuildsWhatDependsOnIt(try Self.corpusTiny())
    }
}
