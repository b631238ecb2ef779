import Graph
import Repo

/// A pkgbase given twice in one repo's trees, and a package name two pkgbases of one
/// repo build: a real tree has both (a package moved between directories and left
/// behind, `ldb` built alone and by `samba`). Neither may stop the plan.
extension Planner {
    /// The order entries are planned in: by pkgbase, then the newer version first (the
    /// one kept of a duplicate pkgbase), then by file.
    static func comesFirst(_ a: PKGBUILDReader.Result, _ b: PKGBUILDReader.Result) -> Bool {
        let (baseA, baseB) = (pkgbase(of: a), pkgbase(of: b))
        if baseA != baseB { return baseA < baseB }
        if let versionA = a.srcinfo?.version, let versionB = b.srcinfo?.version, versionA != versionB {
            return versionA > versionB
        }
        if (a.srcinfo == nil) != (b.srcinfo == nil) { return a.srcinfo != nil }
        return a.file < b.file
    }

    /// `entry` has the pkgbase of `kept`, which comes first (see ``comesFirst(_:_:)``):
    /// it is not planned, and says where the one planned is.
    static func markDuplicate(_ entry: inout PlanEntry, of kept: PKGBUILDReader.Result) {
        let version = kept.srcinfo?.version.description ?? "?"
        let newer = version == entry.newVersion ? "the same version, first by path" : "the newer version"
        entry.status = .duplicate
        entry.reason = "pkgbase \(entry.pkgbase) is also in \(kept.file) (\(version), \(newer)), which is planned; this one is \(entry.file)"
    }

    /// The database entries that are packages of `srcinfo`: by name, and by `%BASE%`
    /// where the database records it, so a package of the same name that another
    /// pkgbase built (`ldb` alone, next to `samba`'s) is not taken for this one's.
    static func presentPackages(of srcinfo: SrcInfo, in database: [String: DatabaseEntry]) -> [DatabaseEntry] {
        srcinfo.pkgnames.compactMap { database[$0] }.filter { $0.base == nil || $0.base == srcinfo.pkgbase }
    }

    /// Each package name that two planned pkgbases of one repo both build gets a
    /// warning on each: a dependency on it resolves to one of them only.
    mutating func warnAboutSharedPackages() {
        // per repo, on every core: the first builder of each name, and every builder of a
        // name built twice (the ~20,000 names of a distribution get no list of their own,
        // and no `repo/name` string)
        let nodes = graph.nodes
        let byRepo = Dictionary(grouping: nodes.indices) { nodes[$0].id.repo }.map { (repo: $0.key, nodes: $0.value) }
        let perRepo = byRepo.concurrentMap { group -> [(key: String, name: String, ids: [PackageBaseID])] in
            var first: [String: PackageBaseID] = [:], more: [String: [PackageBaseID]] = [:]
            for n in group.nodes {
                for name in nodes[n].pkgnames {
                    if let builder = first[name] {
                        more[name, default: [builder]].append(nodes[n].id)
                    } else {
                        first[name] = nodes[n].id
                    }
                }
            }
            return more.map { (group.repo + "/" + $0.key, $0.key, $0.value) }
        }
        let shared = perRepo.flatMap { $0 }
        // the few shared names sorted, not the tens of thousands of package names
        for (_, name, ids) in shared.sorted(by: { $0.key < $1.key }) {
            let resolved: String
            if case .pkgbuild(let id, _)? = graph.resolver.resolve(Dependency(name), from: ids[0].repo) {
                resolved = id.description
            } else {
                resolved = "neither"
            }
            for id in ids {
                let others = ids.filter { $0 != id }.map { "\($0) (\(entries[index[$0]!].file))" }
                entries[index[id]!].warnings.append(
                    "package \(name) is also built by \(others.joined(separator: ", ")); dependencies on it resolve to \(resolved)")
            }
        }
    }
}
