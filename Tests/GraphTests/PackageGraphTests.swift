import Foundation
import Testing
import Graph

/// A one-package PKGBUILD description: `pkg("foo", depends: ["bar"])`.
func pkg(_ name: String, version: String = "1.0-1", _ base: [String: [String]] = [:],
         packages: [String: [String: [String]]] = [:], split: [String]? = nil) -> SrcInfo {
    var section = SrcInfo.Section()
    section.append("pkgver", [String(version.split(separator: "-")[0])])
    section.append("pkgrel", [String(version.split(separator: "-")[1])])
    for (key, values) in base.sorted(by: { $0.key < $1.key }) { section.append(key, values) }
    let names = split ?? [name]
    return SrcInfo(pkgbase: name, base: section, packages: names.map { pkgname in
        var own = SrcInfo.Section()
        for (key, values) in (packages[pkgname] ?? [:]).sorted(by: { $0.key < $1.key }) { own.append(key, values) }
        return SrcInfo.Package(name: pkgname, section: own)
    })
}

func id(_ repo: String, _ pkgbase: String) -> PackageBaseID { PackageBaseID(repo: repo, pkgbase: pkgbase) }

@Suite struct PackageGraphTests {
    private func graph(_ pkgbuilds: [SrcInfo], database: [AvailablePackage] = [], bootstrap: [String] = [],
                       carch: String = "i586") -> PackageGraph {
        PackageGraph(repos: [RepoContents(name: "core", carch: carch, bootstrap: bootstrap,
                                          pkgbuilds: pkgbuilds, database: database)])
    }

    private func targets(_ graph: PackageGraph, _ pkgbase: String) -> [String] {
        graph.dependencies(of: id("core", pkgbase)).map(\.pkgbase)
    }

    @Test func buildDependenciesIncludeArchVariantsOverridesAndAllKinds() {
        let g = graph([
            pkg("app", ["depends": ["a"], "makedepends": ["b"], "checkdepends": ["c"],
                        "depends_i586": ["d"], "depends_x86_64": ["x"]],
                packages: ["app-extra": ["depends": ["e"]]], split: ["app", "app-extra"]),
            pkg("a"), pkg("b"), pkg("c"), pkg("d"), pkg("e"), pkg("x"),
        ])
        #expect(targets(g, "app") == ["a", "e", "d", "b", "c"])
        #expect(g.edges(from: id("core", "app")).map(\.kind) == [.depends, .depends, .depends, .makedepends, .checkdepends])
        #expect(g.edges(from: id("core", "app")).map(\.dependency.description) == ["a", "e", "d", "b", "c"])
    }

    @Test func ownSplitPackagesAndDatabaseOnlyProvidersMakeNoEdge() {
        let g = graph([pkg("py", packages: ["py-docs": ["depends": ["py=1.0"]]], split: ["py", "py-docs"]),
                       pkg("tool", ["depends": ["glibc", "py"]])],
                      database: [AvailablePackage(name: "glibc", version: "2.38-1")])
        #expect(targets(g, "py") == [])
        #expect(targets(g, "tool") == ["py"])
        #expect(g.unresolved.isEmpty)
    }

    @Test func sharedProvidesPrefersTheSmallerNameAndALiteralNameWins() {
        let g = graph([pkg("zsh", ["provides": ["sh"]]), pkg("bash", ["provides": ["sh"]]),
                       pkg("dash", ["provides": ["bash"]]),
                       pkg("user", ["depends": ["sh", "bash"]])])
        #expect(targets(g, "user") == ["bash"])
        #expect(g.edges(from: id("core", "user")).map(\.pkgname) == ["bash", "bash"])
    }

    @Test func versionedProvidesFollowLibalpm() {
        let g = graph([pkg("foo", ["provides": ["libfoo.so=1-64"]]), pkg("bar", ["provides": ["libbar.so"]]),
                       pkg("u1", ["depends": ["libfoo.so"]]), pkg("u2", ["depends": ["libfoo.so=1-64"]]),
                       pkg("u3", ["depends": ["libbar.so>=1"]]), pkg("u4", ["depends": ["libfoo.so>=2"]])])
        #expect(targets(g, "u1") == ["foo"])
        #expect(targets(g, "u2") == ["foo"])
        #expect(targets(g, "u3") == [])
        #expect(g.unresolved.map(\.reason) == ["no package or provides 'libbar.so>=1' in core",
                                               "no package or provides 'libfoo.so>=2' in core"])
        #expect(g.isUnresolvable(id("core", "u3")) && g.node(id("core", "u3")) != nil)
    }

    /// libalpm's `resolvedep` skips, among providers, a package named like the
    /// dependency: `foo 1.0` providing `foo=2.0` does not meet `foo>=2`.
    @Test func aPackageProvidingItsOwnNameDoesNotOverruleItsVersion() {
        let g = graph([pkg("user", ["depends": ["foo>=2"]])],
                      database: [AvailablePackage(name: "foo", version: "1.0-1", provides: [Dependency("foo=2.0")])])
        #expect(g.isUnresolvable(id("core", "user")))
        #expect(g.resolver.resolve(Dependency("foo>=1"), from: "core") == .database(repo: "core", package: "foo"))
    }

    @Test func crossRepoResolutionSearchesTheSameRepoThenDependsOnInOrder() {
        let g = PackageGraph(repos: [
            RepoContents(name: "current", carch: "i586", pkgbuilds: [pkg("ssl", ["provides": ["libssl.so"]]),
                                                                     pkg("zlib")]),
            RepoContents(name: "extra", carch: "i586", dependsOn: ["current"], pkgbuilds: [
                pkg("ssl11", ["provides": ["libssl.so"]]),
                pkg("curl", ["depends": ["libssl.so", "zlib", "libfoo.so=2"]]),
            ]),
            RepoContents(name: "unrelated", carch: "i586", pkgbuilds: [pkg("libfoo", ["provides": ["libfoo.so=2"]])]),
        ])
        #expect(g.dependencies(of: id("extra", "curl")) == [id("extra", "ssl11"), id("current", "zlib")])
        #expect(g.resolver.searchOrder(from: "extra") == ["extra", "current"])
        #expect(g.unresolved(of: id("extra", "curl")).map(\.reason) ==
                ["no package or provides 'libfoo.so=2' in current, extra; unrelated has one, but extra's depends_on does not lead to it"])
    }

    /// A configured repo that the search leaves out is named when it has what is missing.
    @Test func aRepoLeftOutOfTheSearchIsNamed() {
        let g = PackageGraph(repos: [
            RepoContents(name: "system", carch: "x86_64", dependsOn: ["world"], pkgbuilds: [pkg("wine", ["depends": ["lib32-glibc"]])]),
            RepoContents(name: "world", carch: "x86_64", pkgbuilds: [pkg("glibc")]),
            RepoContents(name: "lib32", carch: "x86_64", database: [AvailablePackage(name: "lib32-glibc", version: "2.40-1")]),
        ])
        #expect(g.unresolved(of: id("system", "wine")).map(\.reason) == [
            "no package or provides 'lib32-glibc' in system, world; lib32 has one, but system's depends_on does not lead to it"])
    }

    @Test func reverseDependenciesFollowProvides() {
        let g = graph([pkg("foo", ["provides": ["libfoo.so=1-64"]]), pkg("bar", ["depends": ["libfoo.so"]]),
                       pkg("baz", ["makedepends": ["bar"]]), pkg("other")])
        #expect(g.reverseDependencies(of: [id("core", "foo")]).map(\.pkgbase) == ["foo", "bar", "baz"])
    }

    /// arch-rebuild-order leaves checkdepends out: so can the closure, kind by kind.
    @Test func reverseDependenciesFollowTheKindsAsked() {
        let g = graph([pkg("foo"), pkg("bar", ["checkdepends": ["foo"]]), pkg("baz", ["makedepends": ["bar"]]),
                       pkg("qux", ["depends": ["foo"]]), pkg("quux", ["makedepends": ["qux"], "checkdepends": ["bar"]])])
        let foo = [id("core", "foo")]
        #expect(g.reverseDependencies(of: foo).map(\.pkgbase) == ["foo", "bar", "baz", "qux", "quux"])
        #expect(g.reverseDependencies(of: foo, following: [.depends, .makedepends]).map(\.pkgbase) == ["foo", "qux", "quux"])
        #expect(g.reverseDependencies(of: foo, following: [.depends, .checkdepends]).map(\.pkgbase) == ["foo", "bar", "qux", "quux"])
        #expect(g.reverseDependencies(of: foo, following: [.depends]).map(\.pkgbase) == ["foo", "qux"])
    }

    /// A cycle of `depends` whose old packages are all in the database (a whole-tree
    /// rebuild): its closing edge is served by the old package, not `unbroken`.
    @Test func aDependsCycleWithOldPackagesIsBrokenByThem() {
        let g = graph([pkg("a", ["depends": ["b"]]), pkg("b", ["depends": ["c"]]), pkg("c", ["depends": ["a"]])],
                      database: [AvailablePackage(name: "a", version: "1-1"), AvailablePackage(name: "b", version: "1-1"),
                                 AvailablePackage(name: "c", version: "1-1")])
        let cycle = try! #require(g.cycles.first)
        #expect(cycle.strategy == .oldDepends && cycle.isBroken)
        #expect(cycle.droppedEdges.map { "\($0.from.pkgbase)->\($0.to.pkgbase)" } == cycle.closingEdges.map { "\($0.from.pkgbase)->\($0.to.pkgbase)" })
        #expect(cycle.droppedEdges.count == 1)
        #expect(cycle.firstPass.count == 3)
    }

    @Test func cycleIsBrokenByBootstrapAndRebuiltOnce() {
        let g = graph([pkg("gcc", ["depends": ["glibc"]]), pkg("glibc", ["makedepends": ["gcc"]]),
                       pkg("app", ["depends": ["gcc"]])], bootstrap: ["gcc"])
        let order = g.buildOrder()
        #expect(order.waves == [[id("core", "gcc"), id("core", "glibc")], [id("core", "app")]])
        let cycle = try! #require(order.cycles.first)
        #expect(cycle.strategy == .bootstrap && cycle.isBroken)
        #expect(cycle.droppedEdges.map(\.dependency.description) == ["glibc"])
        #expect(cycle.closingEdges.map { "\($0.from.pkgbase)->\($0.to.pkgbase)" } == ["glibc->gcc"])
        #expect(order.priority(of: id("core", "gcc")) == 5)   // built twice (2 + 2), then app
    }

    @Test func cycleIsBrokenByAnOldPackageServingAMakedepends() {
        let g = graph([pkg("a", ["depends": ["b"]]), pkg("b", ["makedepends": ["a"]])],
                      database: [AvailablePackage(name: "a", version: "0.9-1")])
        let cycle = try! #require(g.cycles.first)
        #expect(cycle.strategy == .oldPackages)
        #expect(cycle.firstPass == [id("core", "b"), id("core", "a")])
        #expect(cycle.droppedEdges.map(\.kind) == [.makedepends])
    }

    @Test func unbreakableCycleIsReportedNotFatal() {
        let g = graph([pkg("a", ["depends": ["b"]]), pkg("b", ["depends": ["a"]]), pkg("s", ["depends": ["s2"]]),
                       pkg("s2")])
        let cycle = try! #require(g.cycles.first)
        #expect(cycle.strategy == .unbroken && !cycle.isBroken)
        #expect(Set(cycle.members) == [id("core", "a"), id("core", "b")])
        #expect(cycle.edges.count == 2 && cycle.closingEdges.count == 1)
        #expect(g.buildOrder().waves.flatMap { $0 }.count == 4)
    }

    @Test func selectionIgnoresEdgesToPkgbasesNotBeingBuilt() {
        let g = graph([pkg("a", ["depends": ["b"]]), pkg("b", ["depends": ["c"]]), pkg("c")])
        let order = g.buildOrder(of: [id("core", "a"), id("core", "c")], expectedTime: { $0.pkgbase == "c" ? 3 : 1 })
        #expect(order.waves == [[id("core", "a"), id("core", "c")]])
        #expect(order.makespan(workers: 1) == 4 && order.makespan(workers: 2) == 3)
    }

    @Test func tinySourceTreeGivesTheReferenceEdges() throws {
        let tree = try PKGBUILDTree(root: TestPaths.corpus + "/tiny-src")
        let srcinfos = tree.read(with: PKGBUILDReader()).compactMap(\.srcinfo)
        #expect(srcinfos.count == 8)
        let g = PackageGraph(repos: [RepoContents(name: "tiny", carch: "x86_64", pkgbuilds: srcinfos)])
        let expected = try String(contentsOfFile: TestPaths.corpus + "/tiny-src.depgraph.tsv", encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.replacingOccurrences(of: "\t", with: " -> ") }
        let edges = Set(g.edges.map { "\($0.from.pkgbase) -> \($0.to.pkgbase)" })
        #expect(edges.sorted() == expected.sorted())
        #expect(g.unresolved.isEmpty)
        #expect(g.cycles.isEmpty)
        #expect(g.buildOrder().waves.first == [id("tiny", "tiny-libc")])
    }
}
