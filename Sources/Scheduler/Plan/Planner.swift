import Foundation
import Graph
import Repo
import Sandbox

/// The steps of `Plan.make`: classify every PKGBUILD against its database, build the
/// graph of what can be read, then rebuild requests, blocking and ordering.
struct Planner {
    let repos: [PlanRepo]
    var entries: [PlanEntry] = []
    /// Entry index of each pkgbase in the graph.
    var index: [PackageBaseID: Int] = [:]
    let graph: PackageGraph
    /// Whether the PKGBUILD's version is not what the database holds: the plan would
    /// build it if it could.
    var wanted: Set<PackageBaseID> = []
    /// What `--rebuild` asked for, for the report.
    var rebuild: PlanRebuild?
    /// With `--reverse`: the pkgbases named and every pkgbase the closure reached, for
    /// the plan's set (``PlanSet``).
    var reverseClosure: (requested: Set<PackageBaseID>, reached: Set<PackageBaseID>)?

    init(repos: [PlanRepo]) {
        self.repos = repos
        var contents: [RepoContents] = []
        var entries: [PlanEntry] = []
        var index: [PackageBaseID: Int] = [:]
        var wanted: Set<PackageBaseID> = []
        // each repo's database by name, its PKGBUILDs in order and its database packages
        // for the graph: independent of the other repos, so one repo per core
        let prepared = repos.concurrentMap { repo in
            let database = Dictionary(repo.database.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            // a PKGBUILD makepkg read is planned from makepkg's .SRCINFO like any other
            let results = repo.pkgbuilds.map { read in
                (read: read, result: repo.fallbacks[read.file]?.srcinfo.map {
                    PKGBUILDReader.Result(file: read.file, srcinfo: $0, diagnostics: []) } ?? read)
            }.sorted { Self.comesFirst($0.result, $1.result) }
            let available = repo.database.map {
                AvailablePackage(name: $0.name, version: $0.version.description, provides: $0.provides, base: $0.base)
            }
            return (database: database, results: results, available: available)
        }
        for (repo, (database, results, available)) in zip(repos, prepared) {
            var included: [SrcInfo] = []
            // each PKGBUILD's status from it and the database alone, on every core; then,
            // in order, which of two PKGBUILDs of one pkgbase counts
            let classified = results.concurrentMap { read, result in
                var entry = Self.classify(result, in: repo, database: database)
                if let fallback = repo.fallbacks[read.file] { Self.note(fallback, native: read, in: &entry) }
                let newer = entry.status == .invalid && result.srcinfo.map { Self.isNewer($0, than: database) } == true
                return (entry, newer)
            }
            var kept: [String: PKGBUILDReader.Result] = [:]
            for ((_, result), (classifiedEntry, newerInvalid)) in zip(results, classified) {
                var entry = classifiedEntry
                if let srcinfo = result.srcinfo {
                    if let first = kept[srcinfo.pkgbase] {
                        Self.markDuplicate(&entry, of: first)
                    } else {
                        kept[srcinfo.pkgbase] = result
                    }
                }
                if let srcinfo = result.srcinfo, entry.status != .excluded, entry.status != .duplicate {
                    let id = PackageBaseID(repo: repo.name, pkgbase: srcinfo.pkgbase)
                    included.append(srcinfo)
                    index[id] = entries.count
                    if entry.status.isBuilt || (entry.status == .invalid && newerInvalid) {
                        wanted.insert(id)
                    }
                }
                entries.append(entry)
            }
            contents.append(RepoContents(
                name: repo.name, carch: repo.carch, dependsOn: repo.dependsOn, bootstrap: repo.bootstrap,
                pkgbuilds: included, database: available))
        }
        graph = PackageGraph(repos: contents)
        for (id, i) in index where graph.isUnresolvable(id) {
            entries[i].unresolved = graph.unresolved(of: id).map { "\($0.kind.rawValue) \($0.dependency): \($0.reason)" }
            if entries[i].status.isBuilt {
                entries[i].status = .unresolvable
                entries[i].reason = graph.unresolved(of: id).map(\.reason).joined(separator: "; ")
            }
        }
        self.entries = entries
        self.index = index
        self.wanted = wanted
        warnAboutSharedPackages()
    }

    /// Whether a PKGBUILD is a version the database does not hold yet: an invalid one that
    /// is would be built if makepkg accepted it, so what needs it first is blocked.
    static func isNewer(_ srcinfo: SrcInfo, than database: [String: DatabaseEntry]) -> Bool {
        let present = presentPackages(of: srcinfo, in: database)
        return present.count < srcinfo.pkgnames.count || present.contains { $0.version < srcinfo.version }
    }

    /// The pkgbase a result is about: its own, or its directory's name when unreadable.
    static func pkgbase(of result: PKGBUILDReader.Result) -> String {
        result.srcinfo?.pkgbase ?? URL(fileURLWithPath: result.file).deletingLastPathComponent().lastPathComponent
    }

    /// Status from the PKGBUILD alone and its repo database.
    static func classify(_ result: PKGBUILDReader.Result, in repo: PlanRepo, database: [String: DatabaseEntry]) -> PlanEntry {
        let pkgbase = pkgbase(of: result)
        var entry = PlanEntry(repo: repo.name, pkgbase: pkgbase, pkgnames: result.srcinfo?.pkgnames ?? [],
                              status: .new, reason: "", file: result.file)
        entry.diagnostics = result.diagnostics.map(\.description)
        if let reason = result.invalidReason {
            // makepkg would refuse it whatever the database holds: nothing to build
            entry.status = .invalid
            entry.reason = "makepkg refuses the PKGBUILD: " + reason
            entry.newVersion = result.srcinfo?.fullVersion
            return entry
        }
        guard let srcinfo = result.srcinfo, !result.hasErrors else {
            entry.status = .needsFallback
            entry.reason = "the PKGBUILD cannot be read without makepkg: " + (result.diagnostics.first?.message ?? "unreadable")
            return entry
        }
        let version = srcinfo.version
        entry.newVersion = version.description
        let present = presentPackages(of: srcinfo, in: database)
        entry.oldVersion = present.map(\.version).min()?.description
        let arches = srcinfo.base["arch"] ?? []
        if repo.blacklist.contains(pkgbase) {
            entry.status = .excluded
            entry.reason = "blacklisted for \(repo.name)"
        } else if !arches.contains(where: repo.acceptedArches.contains) {
            entry.status = .excluded
            entry.reason = "arch (\(arches.joined(separator: " "))) has none of \(repo.acceptedArches.sorted().joined(separator: ", "))"
        } else if result.needsFallback {
            entry.status = .needsFallback
            entry.reason = "the PKGBUILD needs makepkg to be read: " + (result.diagnostics.first?.message ?? "")
        } else if present.isEmpty {
            entry.status = .new
            entry.reason = "not in the \(repo.name) database"
        } else if present.count < srcinfo.pkgnames.count {
            entry.status = .incomplete
            let names = Set(present.map(\.name))
            entry.missingPackages = srcinfo.pkgnames.filter { !names.contains($0) }
            entry.reason = "split packages missing from the database: " + entry.missingPackages.map { name in
                database[name]?.base.map { "\(name) (the database's \(name) is from pkgbase \($0))" } ?? name
            }.joined(separator: ", ")
        } else if present.contains(where: { $0.version < version }) {
            entry.status = .outdated
            entry.reason = "\(entry.oldVersion ?? "?") in the database is older"
        } else if let number = present.compactMap({ RebuildNumber.number(of: $0.version.description, over: version.description) }).max(),
                  number > 0, present.allSatisfy({ RebuildNumber.number(of: $0.version.description, over: version.description) != nil }) {
            // a soname rebuild of this PKGBUILD (docs/review.md#rebuild-numbers) is this version
            entry.status = .current
            entry.oldVersion = present.map(\.version).max()?.description
            entry.reason = "the database holds this version with rebuild number \(number)"
        } else if present.contains(where: { $0.version > version }) {
            entry.status = .repoAhead
            entry.oldVersion = present.map(\.version).max()?.description
            entry.reason = "the database holds \(entry.oldVersion ?? "?"), newer than the PKGBUILD"
        } else {
            entry.status = .current
            entry.reason = "the database holds this version"
        }
        return entry
    }

    /// Keeps the native reader's diagnostics of a PKGBUILD the makepkg fallback read, as
    /// notes; a fallback failure becomes the reason it stays `needs-fallback`.
    static func note(_ fallback: SrcInfoFallbackResult, native: PKGBUILDReader.Result, in entry: inout PlanEntry) {
        entry.diagnostics = native.diagnostics.map(\.description)
        if fallback.srcinfo != nil {
            entry.diagnostics.append("read by makepkg in a sandbox")
        } else if entry.status == .needsFallback {
            entry.reason = "makepkg in a sandbox could not read the PKGBUILD: " + (fallback.failure ?? "")
        }
    }

    /// The version a current pkgbase is rebuilt at: its PKGBUILD's with the next port-local
    /// rebuild number above the database's (``RebuildNumber``: `2` or `2.1` becomes `2.1`
    /// or `2.2`), so pacman takes the rebuild as an upgrade and its file does not clash
    /// with the pool's; nil when the pkgrel takes none (makepkg allows one dot).
    static func rebuildVersion(_ entry: PlanEntry) -> String? {
        guard let pkgbuild = entry.newVersion else { return nil }
        let present = RebuildNumber.number(of: entry.oldVersion ?? pkgbuild, over: pkgbuild) ?? 0
        return RebuildNumber.version(pkgbuild, number: present + 1)
    }

    /// `--rebuild NAME... [--reverse]`: current pkgbases named (or, with `reverse`,
    /// depending on one named) are rebuilt.
    mutating func markRebuilds(_ names: [String], reverse: Bool, following kinds: Set<DependencyKind>) throws(SchedulerError) {
        guard !names.isEmpty else { return }
        var targets: [PackageBaseID] = []
        for name in names {
            let matches = index.keys.filter { id in
                id.description == name || id.pkgbase == name || entries[index[id]!].pkgnames.contains(name)
            }
            guard !matches.isEmpty else { throw .unknownPackage(name, repos: repos.map(\.name)) }
            targets += matches.sorted()
        }
        let named = Set(targets)
        let chain = reverse ? graph.reverseDependencies(of: targets, following: kinds) : targets
        let inChain = Set(chain)
        if reverse { reverseClosure = (named, inChain) }
        rebuild = PlanRebuild(requested: names, reverse: reverse,
                              followed: reverse ? DependencyKind.allCases.filter(kinds.contains).map(\.rawValue) : [],
                              pkgbases: chain.count)
        for id in chain {
            guard let i = index[id] else { continue }
            wanted.insert(id)
            guard [.current, .repoAhead].contains(entries[i].status) else { continue }
            if entries[i].status == .current, let version = Self.rebuildVersion(entries[i]) { entries[i].newVersion = version }
            entries[i].status = .rebuild
            if named.contains(id) {
                entries[i].reason = "rebuild requested"
            } else {
                var seen = Set<PackageBaseID>()
                let via = graph.edges(from: id).filter { kinds.contains($0.kind) && inChain.contains($0.to) && seen.insert($0.to).inserted }
                    .map { "\($0.to) (\($0.kind.rawValue))" }
                entries[i].reason = "rebuild: depends on \(via.joined(separator: ", "))"
            }
        }
    }
}
