/// What satisfies a dependency.
public enum Provider: Sendable, Hashable {
    /// A package that a PKGBUILD of the graph builds: the dependency is a build edge.
    case pkgbuild(PackageBaseID, pkgname: String)
    /// A package already in a repo database: no build needed.
    case database(repo: String, package: String)
}

/// Finds the package that satisfies a dependency of a pkgbase in a repo, the way
/// libalpm's `_alpm_resolvedep` picks one among sync databases.
///
/// - Repos searched: the dependent's repo, then its `depends_on` repos in listed order,
///   then theirs, breadth first (each once). `depends_on` is pacman.conf's repo order,
///   so this order is the one pacman on a build machine would use; a repo nothing leads
///   to is invisible, as it would be to that machine.
/// - Literal name first: the first searched repo with a package of that name at a
///   version meeting the constraint wins, even if an earlier repo has a provider.
/// - Otherwise providers, other than packages named like the dependency: the first
///   searched repo that has any (so the same repo first); among several there, the
///   smallest pkgname. libalpm collects providers over all repos, each repo's sorted by
///   name, and without a prompt takes the first: the same package.
/// - Checked against libalpm on the real 2019 and 2021 Arch core databases
///   (`ResolverTruthTests`). Not modelled, as a build graph has no use for them:
///   libalpm's preference for a provider already installed, IgnorePkg, and its
///   pass over the local database when nothing in the sync repos fits.
/// - In one repo, the PKGBUILD's package comes before the database's package of the
///   same name: the graph builds the new one. Versions and provides are matched by
///   ``Dependency/isSatisfied(by:version:provides:)`` (libalpm's `_alpm_depcmp`).
public struct ProviderResolver: Sendable {
    /// Repo names in configuration order.
    public let repos: [String]
    private let searchOrders: [[Int]]
    private let indexes: [ProviderIndex]
    private let repoNumber: [String: Int]

    /// Indexes the PKGBUILD packages of `nodes` and the database packages of `repos`.
    /// - Complexity: O(packages + provides) time and space.
    public init(repos: [RepoContents], nodes: [PackageNode]) {
        self.repos = repos.map(\.name)
        let number = Dictionary(repos.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        repoNumber = number
        var grouped = [[Int]](repeating: [], count: repos.count)
        for (n, node) in nodes.enumerated() {
            if let r = number[node.id.repo] { grouped[r].append(n) }
        }
        let nodesOf = grouped
        // each repo's index on its own core: PKGBUILD packages in node order, then the database's
        indexes = Array(repos.indices).concurrentMap { r in
            var index = ProviderIndex()
            for node in nodesOf[r].map({ nodes[$0] }) {
                for name in node.pkgnames {
                    index.add(ProviderIndex.Candidate(
                        name: name, version: node.versionText, provides: node.provides[name] ?? [],
                        provider: .pkgbuild(node.id, pkgname: name)))
                }
            }
            for package in repos[r].database {
                index.add(ProviderIndex.Candidate(
                    name: package.name, version: package.version, provides: package.provides,
                    provider: .database(repo: repos[r].name, package: package.name)))
            }
            return index
        }
        searchOrders = repos.map { repo in
            var order = [number[repo.name]!]
            var next = 0
            while next < order.count {
                for name in repos[order[next]].dependsOn {
                    if let r = number[name], !order.contains(r) { order.append(r) }
                }
                next += 1
            }
            return order
        }
    }

    /// The repos a dependency of a pkgbase in `repo` is looked for in, in search order.
    public func searchOrder(from repo: String) -> [String] {
        repoNumber[repo].map { searchOrders[$0].map { repos[$0] } } ?? []
    }

    /// The provider of `dependency` for a pkgbase in `repo`, nil when none is found.
    /// With `databasesOnly`, PKGBUILD packages are not considered: what could serve
    /// the dependency if nothing were built.
    public func resolve(_ dependency: Dependency, from repo: String, databasesOnly: Bool = false) -> Provider? {
        guard let r = repoNumber[repo] else { return nil }
        let eligible = { (c: ProviderIndex.Candidate) in !databasesOnly || !c.isPKGBUILD }
        for s in searchOrders[r] {
            if let literal = indexes[s].byName[dependency.name]?.first(where: {
                eligible($0) && dependency.isSatisfied(byVersion: $0.version)
            }) {
                return literal.provider
            }
        }
        for s in searchOrders[r] {
            // libalpm skips a package named like the dependency here: its own version
            // was judged in the literal pass, a `provides` of its own name cannot overrule it
            let providers = (indexes[s].byProvision[dependency.name] ?? []).filter {
                eligible($0) && $0.name != dependency.name && $0.provides.contains(where: dependency.isSatisfied(byProvision:))
            }
            if let best = providers.min(by: ProviderIndex.Candidate.isPreferred) { return best.provider }
        }
        return nil
    }

    /// Why `dependency` of a pkgbase in `repo` has no provider, naming the repos
    /// searched in configuration order: `no package or provides 'libfoo.so=2' in current, extra`.
    /// A configured repo left out of the search that would satisfy it is named too, so
    /// a missing `depends_on` entry is never silent: `...; lib32 has one, but current's
    /// depends_on does not lead to it`.
    public func unresolvableReason(_ dependency: Dependency, from repo: String) -> String {
        let order = repoNumber[repo].map { searchOrders[$0] } ?? []
        let searched = order.sorted().map { repos[$0] }
        var reason = "no package or provides '\(dependency.description)' in \(searched.joined(separator: ", "))"
        let outside = repos.indices.filter { r in
            !order.contains(r) && (indexes[r].byName[dependency.name]?.contains { dependency.isSatisfied(byVersion: $0.version) } == true
                || indexes[r].byProvision[dependency.name]?.contains { $0.provides.contains(where: dependency.isSatisfied(byProvision:)) } == true)
        }.map { repos[$0] }
        if !outside.isEmpty {
            reason += "; \(outside.joined(separator: ", ")) \(outside.count == 1 ? "has" : "have") one, but \(repo)'s depends_on does not lead to \(outside.count == 1 ? "it" : "them")"
        }
        return reason
    }
}

/// One repo's packages by name and by provided name.
private struct ProviderIndex: Sendable {
    struct Candidate: Sendable {
        var name: String
        var version: String
        var provides: [Dependency]
        var provider: Provider

        var isPKGBUILD: Bool {
            if case .pkgbuild = provider { return true }
            return false
        }

        /// Smaller pkgname first; for the same name, the PKGBUILD's package.
        static func isPreferred(_ a: Candidate, _ b: Candidate) -> Bool {
            a.name != b.name ? a.name.utf8.lexicographicallyPrecedes(b.name.utf8) : a.isPKGBUILD && !b.isPKGBUILD
        }
    }

    /// PKGBUILD packages are added before database packages, so they come first here.
    var byName: [String: [Candidate]] = [:]
    var byProvision: [String: [Candidate]] = [:]

    mutating func add(_ candidate: Candidate) {
        byName[candidate.name, default: []].append(candidate)
        switch candidate.provides.count {
        case 0: break
        case 1: byProvision[candidate.provides[0].name, default: []].append(candidate)
        default:
            for name in Set(candidate.provides.map(\.name)) {
                byProvision[name, default: []].append(candidate)
            }
        }
    }
}
