import Foundation
import Graph
import Repo
import Testing
import TestSupport

/// Our ``ProviderResolver`` against libalpm on real databases: for every package of the
/// fixture databases (repo-add's, of what makepkg built from Tests/Fixtures/tiny-src and
/// examples/abs), the packages `pacman -Sp REPO/PKG` installs on an empty root, recorded
/// by Tests/Fixtures/make-fixtures at test time, or its error. SchedulerCorpusConformanceTests
/// does the same for every package of the corpus's real Arch `core` databases
/// (`resolve-truth.tsv`, see ../shared/corpus/dbs/SOURCES.md).
///
/// The walk over runtime `depends` is libalpm's `_alpm_resolvedeps`: depth first, a
/// package's dependencies before it; a dependency already met by a package pulled in
/// earlier (or by the package itself, or by one still being resolved, for a cycle) pulls
/// nothing; otherwise the resolver picks the provider (`_alpm_resolvedep`'s job) from
/// the repos in pacman.conf order. What is tested is that choice: the same providers
/// give the same set of packages.
struct ResolverTruthTests {
    struct Truth {
        var target: String
        /// `repo/name=version` in libalpm's install order; empty on error.
        var order: [String]
        /// The `unable to satisfy dependency` messages when pacman failed.
        var error: String?
    }

    static func truth(_ file: String) throws -> [Truth] {
        try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").dropFirst().map { line in
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let list = f[2].split(separator: ";").map(String.init)
            return f[1] == "0" ? Truth(target: f[0], order: list, error: nil)
                : Truth(target: f[0], order: [], error: list.joined(separator: " "))
        }
    }

    /// One configured search order over the databases of `directory`.
    struct Sync {
        var resolver: ProviderResolver
        var packages: [String: [String: DatabaseEntry]]

        init(directory: String, repos: [String]) throws {
            try self.init(databases: repos.map { ($0, "\(directory)/\($0).db") })
        }

        /// `databases`: each repo's name and database, in pacman.conf's order.
        init(databases: [(repo: String, path: String)]) throws {
            setlocale(LC_ALL, "C.UTF-8")
            let repos = databases.map(\.repo)
            var packages: [String: [String: DatabaseEntry]] = [:]
            var contents: [RepoContents] = []
            for (repo, path) in databases {
                let db = try SyncDatabase.read(at: path)
                packages[repo] = Dictionary(db.entries.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
                contents.append(RepoContents(
                    name: repo, carch: "x86_64", dependsOn: repo == repos[0] ? Array(repos.dropFirst()) : [],
                    database: db.entries.map { AvailablePackage(name: $0.name, version: $0.version.description, provides: $0.provides, base: $0.base) }))
            }
            resolver = ProviderResolver(repos: contents, nodes: [])
            self.packages = packages
        }

        /// `repo/name=version` of every package installing `target` pulls in, dependencies
        /// first, or the unmet dependencies as `'dep' required by pkg`.
        func install(_ repo: String, _ name: String) -> (order: [String], unmet: [String]) {
            var order: [(repo: String, entry: DatabaseEntry)] = []
            var resolving: [DatabaseEntry] = []
            var unmet: [String] = []
            func meets(_ dependency: Dependency, _ entry: DatabaseEntry) -> Bool {
                dependency.isSatisfied(by: entry.name, version: entry.version.description, provides: entry.provides)
            }
            func visit(_ repo: String, _ entry: DatabaseEntry) {
                guard !order.contains(where: { $0.entry.name == entry.name }) else { return }
                resolving.append(entry)
                for dependency in entry.depends {
                    if (order.map(\.entry) + resolving).contains(where: { meets(dependency, $0) }) { continue }
                    // the resolver searches from the first repo: pacman.conf's order
                    guard case .database(let r, let p)? = resolver.resolve(dependency, from: resolver.repos[0]) else {
                        unmet.append("'\(dependency)' required by \(entry.name)")
                        continue
                    }
                    visit(r, packages[r]![p]!)
                }
                resolving.removeLast()
                order.append((repo, entry))
            }
            visit(repo, packages[repo]![name]!)
            return (order.map { "\($0.repo)/\($0.entry.name)=\($0.entry.version)" }, unmet)
        }
    }

    /// The fixture repos' databases.
    static let fixtureDatabases = ["tiny": "dbs/tiny/zst/tiny.db", "current": "dbs/examples/current/current.db",
                                   "extra": "dbs/examples/extra/extra.db"]

    /// make-fixtures' resolve truths: tiny alone; extra before current (providers of the
    /// virtual ex-sh and the soname libexbase.so in the second repo); extra alone (unmet).
    @Test(arguments: [("tiny", 9), ("examples", 11), ("extra-alone", 4)])
    func installSetsMatchLibalpm(fixture: String, packages: Int) throws {
        let repos = try String(contentsOfFile: Fixtures.path("dbs/resolve/\(fixture).repos"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let sync = try Sync(databases: try repos.map { ($0, Fixtures.path(try #require(Self.fixtureDatabases[$0]))) })
        let truths = try Self.truth(Fixtures.path("dbs/resolve/\(fixture).tsv"))
        #expect(truths.count == packages)
        if fixture == "extra-alone" { #expect(truths.filter { $0.error != nil }.count == 3) }
        try Self.check(sync: sync, truths: truths)
    }

    /// Each truth's install set (or failure) is ours, dependencies first as libalpm has them.
    static func check(sync: Sync, truths: [Truth]) throws {
        var mismatches: [String] = []
        for truth in truths {
            let parts = truth.target.split(separator: "/").map(String.init)
            let (order, unmet) = sync.install(parts[0], parts[1])
            if let error = truth.error {
                if unmet.isEmpty { mismatches.append("\(truth.target): libalpm failed (\(error)), we resolved \(order)") }
                // libalpm words it `unable to satisfy dependency 'jansson' required by nftables`
                for message in unmet where !error.contains(message) {
                    mismatches.append("\(truth.target): our unmet \(message) not in \(error)")
                }
                continue
            }
            if !unmet.isEmpty { mismatches.append("\(truth.target): libalpm resolved it, we could not: \(unmet)") }
            if Set(order) != Set(truth.order) {
                mismatches.append("\(truth.target): only libalpm \(Set(truth.order).subtracting(order).sorted()), only ours \(Set(order).subtracting(truth.order).sorted())")
            }
            #expect(order.last == "\(truth.target)=\(sync.packages[parts[0]]![parts[1]]!.version)")
            // dependencies before dependents: a package meeting a dependency comes
            // first, unless libalpm too puts it after (a cycle, broken the same way)
            let entries = order.map { id in
                let slash = id.firstIndex(of: "/")!, name = id[id.index(after: slash)...].split(separator: "=")[0]
                return sync.packages[String(id[..<slash])]![String(name)]!
            }
            for (b, dependent) in entries.enumerated() {
                for dependency in dependent.depends {
                    guard let a = entries.firstIndex(where: {
                        dependency.isSatisfied(by: $0.name, version: $0.version.description, provides: $0.provides)
                    }), a > b, let ta = truth.order.firstIndex(of: order[a]), let tb = truth.order.firstIndex(of: order[b])
                    else { continue }
                    if ta < tb { mismatches.append("\(truth.target): \(order[a]) (for \(dependency)) after \(order[b]), libalpm puts it before") }
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(truths.count):\n\(mismatches.prefix(20).joined(separator: "\n"))")
    }
}
