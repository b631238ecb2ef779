import Graph

/// The checks that need every repo file at once: duplicate names, `depends_on` naming
/// repos that do not exist or are broken, staging names that collide. They look at every
/// file with a name, broken or not, so one run reports everything. A repo that fails
/// one is dropped, and so, in turn, is every repo that depends on it, so the loaded set
/// is closed under `depends_on`; every dropped repo has an error of its own.
///
/// Repos may depend on each other in any graph, cycles included (Artix's `system`
/// takes build tools from `world`, which needs `system`): `depends_on` is a search
/// order, like pacman.conf's, not a build order. The package graph orders the builds
/// and breaks the package cycles that the repo cycles make.
enum RepoSetChecks {
    static func apply(to parsed: inout [ParsedRepo]) {
        let owners = rejectDuplicates(&parsed)
        let known = parsed.compactMap(\.name).filter { owners[$0] != nil }.uniqued()
        rejectUnknownDependencies(&parsed, known: known)
        rejectStagingCollisions(&parsed, owners: owners)
        rejectDependentsOfBroken(&parsed, known: known)
    }

    /// The first file to define a name keeps it (file name order); returns the index
    /// of each name's owner.
    private static func rejectDuplicates(_ parsed: inout [ParsedRepo]) -> [String: Int] {
        var owners: [String: Int] = [:]
        for index in parsed.indices {
            guard let name = parsed[index].name else { continue }
            if let first = owners[name] {
                parsed[index].reject("name", .duplicateRepo(name, firstFile: parsed[first].file))
            } else {
                owners[name] = index
            }
        }
        return owners
    }

    private static func rejectUnknownDependencies(_ parsed: inout [ParsedRepo], known: [String]) {
        for index in parsed.indices {
            var seen = Set<String>()
            for dependency in parsed[index].dependsOn {
                if dependency == parsed[index].name {
                    parsed[index].reject("depends_on", .invalidValue(
                        expected: "other repos (a repo is always searched first for its own dependencies)",
                        found: "'\(dependency)', this repo"))
                } else if !known.contains(dependency) {
                    parsed[index].reject("depends_on", .unknownRepo(dependency, known: known))
                } else if !seen.insert(dependency).inserted {
                    parsed[index].reject("depends_on", .invalidValue(expected: "each repo once", found: "'\(dependency)' twice"))
                }
            }
        }
    }

    /// A staging repo's name (`NAME-staging`, its pacman section) must not be another
    /// repo's name or another staging repo's: a sandbox's pacman.conf would list one
    /// section twice. The repo that stages under it is dropped (the later one of two
    /// staging repos), reported at its `staging_db` (else `staging`) line.
    private static func rejectStagingCollisions(_ parsed: inout [ParsedRepo], owners: [String: Int]) {
        var stagingOwners: [String: Int] = [:]
        for index in parsed.indices {
            guard let staging = parsed[index].repo?.stagingRepository?.name else { continue }
            let key = parsed[index].source?.locator.line(of: ["staging_db"]) != nil ? "staging_db" : "staging"
            if let other = owners[staging] {
                parsed[index].reject(key, .invalidValue(
                    expected: "a staging repo name no other repo has",
                    found: "'\(staging)', the name of the repo in \(parsed[other].file)"))
            } else if let other = stagingOwners[staging] {
                parsed[index].reject(key, .invalidValue(
                    expected: "a staging repo name no other repo has",
                    found: "'\(staging)', the staging repo of \(parsed[other].name ?? "the repo") in \(parsed[other].file)"))
            } else {
                stagingOwners[staging] = index
            }
        }
    }

    /// Drops repos that depend on a known repo that is not loaded, until none is left:
    /// a repo cannot be planned without its dependencies.
    private static func rejectDependentsOfBroken(_ parsed: inout [ParsedRepo], known: [String]) {
        var changed = true
        while changed {
            changed = false
            let loaded = Set(parsed.compactMap { $0.repo?.name })
            for index in parsed.indices {
                guard let repo = parsed[index].repo,
                      let broken = repo.dependsOn.first(where: { !loaded.contains($0) && known.contains($0) })
                else { continue }
                parsed[index].reject("depends_on", .repoNotLoaded(broken))
                changed = true
            }
        }
    }
}

private extension Array where Element: Hashable {
    /// The elements in order, each once.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
