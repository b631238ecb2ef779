import Foundation
import Graph
import Repo

/// Which pkgbases of the configured repos provide a soname, and which packages need it,
/// from the ELF facts of the package files in the repos' pools (read once and kept by
/// sha256 in `STATE/sonames`, as `checkbuilds` keeps them): what a bump of that soname
/// has to rebuild. `plan --soname-bump` plans the set before the bump is made.
public struct SonameUsers: Sendable, Codable {
    /// What was asked: `libfoo.so` (any version) or `libfoo.so.1` (that one).
    public var request: String
    /// The matching sonames the pools provide, as ``sonameText(_:bits:)`` writes them
    /// (`libfoo.so.1-64`), sorted.
    public var provided: [String] = []
    /// `repo/pkgbase` of every pkgbase whose packages provide one, sorted.
    public var providers: [String] = []
    /// `repo/pkgname` of every package that needs one, in a repo that sees a provider's
    /// (the same repo, or one whose `depends_on` names it), the providers' own left out; sorted.
    public var consumers: [String] = []
    /// `repo/pkgbase` of those consumers' pkgbases, sorted.
    public var consumerBases: [String] = []
    /// Package files or databases that could not be read, each as a sentence.
    public var problems: [String] = []

    /// Whether the soname `text` (`libfoo.so.1-64`) is one `request` names: the same
    /// soname, with or without its class, or a version of it (`libfoo.so` names
    /// `libfoo.so.1` and `libfoo.so.2`, not `libfoo.so2` or `libfoo.sox`).
    public static func matches(_ text: String, request: String) -> Bool {
        if text == request { return true }
        let soname = text.lastIndex(of: "-").map { String(text[..<$0]) } ?? text
        return soname == request || soname.hasPrefix(request + ".")
    }

    /// Reads the databases and pools of `repos` (the state directory's soname cache, if
    /// any, spares reading a file twice).
    public static func find(_ request: String, in repos: [RepoConfig], stateDirectory: String?) -> SonameUsers {
        var users = SonameUsers(request: request)
        var cache = SonameCache(stateDirectory: stateDirectory)
        var linkages: [(repo: RepoConfig, entry: DatabaseEntry, linkage: PackageLinkage)] = []
        for repo in repos {
            guard FileManager.default.fileExists(atPath: repo.db) else { continue }
            let entries: [DatabaseEntry]
            do { entries = try SyncDatabase.read(at: repo.db).entries } catch {
                users.problems.append("\(repo.name): \(error)")
                continue
            }
            for entry in entries {
                do { linkages.append((repo, entry, try cache.linkage(of: entry, pool: repo.pool))) } catch {
                    users.problems.append("\(repo.name)/\(entry.name): cannot read its sonames: \(error)")
                }
            }
        }
        let base = { (repo: RepoConfig, entry: DatabaseEntry) in "\(repo.name)/\(entry.base ?? entry.name)" }
        var provided = Set<String>(), providers = Set<String>(), providerRepos = Set<String>()
        for (repo, entry, linkage) in linkages {
            let matching = linkage.provides.filter { matches($0, request: request) }
            guard !matching.isEmpty else { continue }
            provided.formUnion(matching)
            providers.insert(base(repo, entry))
            providerRepos.insert(repo.name)
        }
        var consumers = Set<String>(), consumerBases = Set<String>()
        for (repo, entry, linkage) in linkages where !providers.contains(base(repo, entry)) {
            guard providerRepos.contains(repo.name) || !providerRepos.isDisjoint(with: repo.dependsOn),
                  linkage.needs.contains(where: { matches($0, request: request) }) else { continue }
            consumers.insert("\(repo.name)/\(entry.name)")
            consumerBases.insert(base(repo, entry))
        }
        users.provided = provided.sorted()
        users.providers = providers.sorted()
        users.consumers = consumers.sorted()
        users.consumerBases = consumerBases.sorted()
        return users
    }
}

/// A plan made for `--soname-bump SONAME...`: who provides and needs each soname, and
/// the set (providers and consumers, rebuilt) previewed on its own.
public struct PlanSonameBump: Sendable, Codable {
    public var sonames: [SonameUsers]
    public var set: RebuildSetPreview

    public init(sonames: [SonameUsers], set: RebuildSetPreview) {
        self.sonames = sonames
        self.set = set
    }
}
