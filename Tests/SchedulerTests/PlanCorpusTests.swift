import Foundation
import Graph
import Repo
import Testing
import TestSupport
@testable import Scheduler

/// Plans over real trees and real databases: the tiny fixture (Tests/Fixtures/tiny-src
/// and the database real repo-add wrote for the packages real makepkg built from it at
/// test time), and the shipped example configuration over examples/abs.
/// SchedulerCorpusConformanceTests runs the tiny tests on the corpus's tiny tree and database.
struct PlanCorpusTests {
    /// A tiny tree, its database and its build edges (`from_dir`, `to_dir`).
    struct Tiny {
        var source: String
        var database: String
        var edges: [(String, String)]
    }

    /// The fixture: the pkgbase edges the reference graph of makepkg's output gives, once
    /// each (GraphTests checks them against the tree as written).
    static func fixtureTiny() throws -> Tiny {
        let truths = try PKGBUILDTree(root: Fixtures.tinySource).directories.map { dir in
            try SrcInfo(parsing: String(contentsOfFile: dir + "/.SRCINFO.truth", encoding: .utf8), file: dir + "/.SRCINFO.truth")
        }
        let graph = PackageGraph(repos: [RepoContents(name: "tiny", carch: "x86_64", pkgbuilds: truths)])
        let edges = Set(graph.edges.map { [$0.from.pkgbase, $0.to.pkgbase] }).sorted { $0.joined(separator: " ") < $1.joined(separator: " ") }
        return Tiny(source: Fixtures.tinySource, database: Fixtures.tinyZst + "/tiny.db.tar.gz", edges: edges.map { ($0[0], $0[1]) })
    }

    static func tinyRepo(_ tiny: Tiny) throws -> PlanRepo {
        setlocale(LC_ALL, "C.UTF-8")
        let results = try PKGBUILDTree(root: tiny.source).read(with: PKGBUILDReader())
        let db = try SyncDatabase.read(at: tiny.database)
        return PlanRepo(name: "tiny", carch: "x86_64", pkgbuilds: results, database: db.entries)
    }

    static func tinyRepo() throws -> PlanRepo { try tinyRepo(try fixtureTiny()) }

    @Test func theTinyRepoIsCurrent() throws { try Self.theTinyRepoIsCurrent(try Self.fixtureTiny()) }

    static func theTinyRepoIsCurrent(_ tiny: Tiny) throws {
        let plan = try Plan.make(repos: [try tinyRepo(tiny)])
        #expect(plan.entries.count == 8)
        #expect(plan.entries.allSatisfy { $0.status == .current }, "\(plan.entries.map { "\($0.id) \($0.status)" })")
        #expect(plan.buildOrder.isEmpty)
        #expect(plan.entry(named: "tiny-zlib")?.oldVersion == "1:1.3-2")
    }

    @Test func rebuildingZlibRebuildsWhatDependsOnIt() throws { try Self.rebuildingZlibRebuildsWhatDependsOnIt(try Self.fixtureTiny()) }

    static func rebuildingZlibRebuildsWhatDependsOnIt(_ tiny: Tiny) throws {
        let plan = try Plan.make(repos: [try tinyRepo(tiny)], options: PlanOptions(rebuild: ["tiny-zlib"], reverse: true))
        // the reverse closure of tiny-zlib in the tree's dependency table
        let edges = tiny.edges
        #expect(edges.count == 16)
        var expected: Set<String> = ["tiny-zlib"]
        while true {
            let more = Set(edges.filter { expected.contains($0.1) }.map(\.0)).subtracting(expected)
            if more.isEmpty { break }
            expected.formUnion(more)
        }
        #expect(expected.count > 1)
        #expect(Set(plan.buildOrder.map { String($0.dropFirst("tiny/".count)) }) == expected)
        for entry in plan.entries where entry.status == .rebuild {
            for need in entry.needs { #expect(plan.entry(named: need)!.wave! < entry.wave!, "\(entry.id) needs \(need)") }
        }
        // every table edge between rebuilt pkgbases is a planned wait
        for (from, to) in edges where expected.contains(from) && expected.contains(to) {
            #expect(plan.entry(named: from)?.needs.contains("tiny/" + to) == true, "\(from) -> \(to)")
        }
    }

    @Test func anOutdatedPKGBUILDIsPlanned() throws {
        var repo = try Self.tinyRepo()
        let i = try #require(repo.pkgbuilds.firstIndex { $0.srcinfo?.pkgbase == "tiny-ssl" })
        var srcinfo = try #require(repo.pkgbuilds[i].srcinfo)
        let k = try #require(srcinfo.base.attributes.firstIndex { $0.key == "pkgver" })
        srcinfo.base.attributes[k].values = ["3.1.1"]
        repo.pkgbuilds[i].srcinfo = srcinfo
        let plan = try Plan.make(repos: [repo])
        #expect(plan.buildOrder == ["tiny/tiny-ssl"])
        #expect(plan.entry(named: "tiny-ssl")?.status == .outdated)
        #expect(plan.entry(named: "tiny-ssl")?.oldVersion == "3.1.0-1")
        #expect(plan.entry(named: "tiny-ssl")?.newVersion == "3.1.1-1")
    }

    @Test func theShippedExampleBuildsEverythingInDependencyOrder() throws {
        let config = Configuration.load(directory: ConfigFixture.packageRoot)
        #expect(config.errors.isEmpty)
        var (repos, problems) = config.planRepos()
        #expect(problems.isEmpty, "\(problems)")
        // as before the first build: the state directory's databases do not exist yet
        for i in repos.indices { repos[i].database = [] }
        let plan = try Plan.make(repos: repos)
        // the same nine pkgbases for i586 (current, extra) and for x86_64 (current-x86_64, extra-x86_64)
        #expect(plan.entries.count == 18)
        #expect(Set(plan.entries.map { $0.id.split(separator: "/")[0] }) == ["current", "extra", "current-x86_64", "extra-x86_64"])
        #expect(plan.entries.allSatisfy { $0.status == .new })
        #expect(plan.entries.first { $0.id == "extra/ex-hello" }?.needs.contains("current/ex-libfmt") == true)
        #expect(plan.entries.first { $0.id == "extra-x86_64/ex-hello" }?.needs.contains("current-x86_64/ex-libfmt") == true)
        #expect(plan.entry(named: "ex-tzinfo")?.newVersion == "1:1.0-2")
        // every dependency the committed .SRCINFO names is built first
        for entry in plan.entries {
            let srcinfo = try SrcInfo(parsing: String(contentsOfFile: (entry.file as NSString).deletingLastPathComponent + "/.SRCINFO", encoding: .utf8))
            let names = Set(["depends", "makedepends", "checkdepends"].flatMap { key in
                srcinfo.pkgnames.flatMap { srcinfo.values(key, for: $0) } + (srcinfo.base[key] ?? [])
            }.map { Dependency($0).name })
            for need in entry.needs { #expect(plan.entry(named: need)!.wave! < entry.wave!) }
            // within its arch: the i586 and x86_64 repos never see each other
            let arch = { (id: String) in id.split(separator: "/")[0].hasSuffix("-x86_64") }
            for other in plan.entries where other.id != entry.id && arch(other.id) == arch(entry.id) && other.pkgnames.contains(where: names.contains) {
                #expect(entry.needs.contains(other.id), "\(entry.id) needs \(other.id)")
            }
        }
    }
}
