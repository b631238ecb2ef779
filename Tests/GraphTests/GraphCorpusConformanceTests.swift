import Foundation
import Testing
import TestSupport
@testable import Graph

/// The external corpus (../shared/corpus or $PACBUILD_CORPUS): pacman's vercmp tables,
/// makepkg's output for hundreds of real PKGBUILDs, the tiny tree's dependency table.
/// scripts/test runs it (`--filter CorpusConformance`) when the corpus is there; the default
/// suite covers the same behaviours with the repository's own fixtures.
@Suite(.enabled(if: Corpus.isRequested, Comment(rawValue: Corpus.absence)))
struct GraphCorpusConformanceTests {
    init() throws {
        try #require(Corpus.directory != nil, Comment(rawValue: Corpus.absence))
    }

    /// Every row of the corpus's vercmp tables (pacman's own test cases, mirrored, and
    /// real version pairs), each mismatch reported with its line number.
    @Test(arguments: [
        ("vercmp-cases.tsv", "expected", 92),
        ("vercmp-realworld-pairs.tsv", "vercmp", 3916),
    ])
    func vercmpTables(file: String, expectedColumn: String, rows minimumRows: Int) throws {
        let path = Corpus.path(file)
        try #require(FileManager.default.fileExists(atPath: path), "corpus file missing: \(path)")
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: true)
        let header = lines[0].split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        let a = try #require(header.firstIndex(of: "a"))
        let b = try #require(header.firstIndex(of: "b"))
        let expected = try #require(header.firstIndex(of: expectedColumn))
        var checked = 0
        for (offset, line) in lines.dropFirst().enumerated() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let want = try #require(Int(fields[expected]), "\(file):\(offset + 2): bad expectation")
            #expect(Version.compare(fields[a], fields[b]) == want, "\(file):\(offset + 2): vercmp '\(fields[a])' '\(fields[b])'")
            checked += 1
        }
        #expect(checked >= minimumRows)
    }

    /// Every truth file of the corpus (alarm, arch, tiny-src, pacbuild-testabs) prints back unchanged.
    @Test func everyTruthFileRoundTrips() throws {
        let files = try SrcInfoTextTests.truthFiles(under: try #require(Corpus.directory))
        #expect(files.count > 400, "the corpus should hold the truth files of alarm, arch, tiny-src and pacbuild-testabs")
        try SrcInfoTextTests.roundTrip(files)
    }

    /// The corpus's tiny-src read by the reader gives the edges tools/depgraph.py computed
    /// from makepkg's output.
    @Test func tinySourceTreeGivesTheCorpusEdges() throws {
        let srcinfos = try PKGBUILDTree(root: Corpus.path("tiny-src")).read(with: PKGBUILDReader()).compactMap(\.srcinfo)
        #expect(srcinfos.count == 8)
        let g = PackageGraph(repos: [RepoContents(name: "tiny", carch: "x86_64", pkgbuilds: srcinfos)])
        let expected = try String(contentsOfFile: Corpus.path("tiny-src.depgraph.tsv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.replacingOccurrences(of: "\t", with: " -> ") }
        #expect(Set(g.edges.map { "\($0.from.pkgbase) -> \($0.to.pkgbase)" }).sorted() == expected.sorted())
        #expect(g.unresolved.isEmpty && g.cycles.isEmpty)
    }

    /// Mutations of real Arch PKGBUILDs (bash, grub, linux, pacman, zsh) and the tiny tree.
    @Test func mutatedRealPKGBUILDsGetAResultOrADiagnostic() throws {
        try PKGBUILDFuzzTests.fuzz(seeds: try PKGBUILDFuzzTests.seeds([Corpus.path("arch"), Corpus.path("tiny-src")]))
    }
}
