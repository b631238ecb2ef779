import Graph

/// The checks that need every repo file at once: duplicate names, `depends_on` naming
/// repos that do not exist or are broken, and cycles between repos. A repo that fails
/// one is dropped, and so, in turn, is every repo that depends on it, so the loaded
/// set is closed under `depends_on`.
enum RepoSetChecks {
    static func apply(to parsed: inout [ParsedRepo]) {
        rejectDuplicates(&parsed)
        let known = uniqueNames(parsed)
        rejectUnknownDependencies(&parsed, known: known)
        rejectCycles(&parsed)
        rejectDependentsOfBroken(&parsed, known: known)
    }

    private static func uniqueNames(_ parsed: [ParsedRepo]) -> [String] {
        var seen = Set<String>()
        return parsed.compactMap(\.name).filter { seen.insert($0).inserted }
    }

    /// The first file to define a name keeps it (file name order).
    private static func rejectDuplicates(_ parsed: inout [ParsedRepo]) {
        var first: [String: String] = [:]
        for index in parsed.indices {
            guard let name = parsed[index].name else { continue }
            if let firstFile = first[name] {
                parsed[index].reject("name", .duplicateRepo(name, firstFile: firstFile))
            } else {
                first[name] = parsed[index].file
            }
        }
    }

    private static func rejectUnknownDependencies(_ parsed: inout [ParsedRepo], known: [String]) {
        for index in parsed.indices {
            guard let repo = parsed[index].repo else { continue }
            var seen = Set<String>()
            for dependency in repo.dependsOn {
                if !known.contains(dependency) {
                    parsed[index].reject("depends_on", .unknownRepo(dependency, known: known))
                } else if !seen.insert(dependency).inserted {
                    parsed[index].reject("depends_on", .invalidValue(
                        expected: "each repo once", found: "'\(dependency)' twice"))
                }
            }
        }
    }

    /// Each cycle is reported once, in the file of its first member in config order,
    /// and all its members are dropped: no search order can be derived from it.
    private static func rejectCycles(_ parsed: inout [ParsedRepo]) {
        var index: [String: Int] = [:]
        for (i, entry) in parsed.enumerated() where entry.repo != nil { index[entry.repo!.name] = i }
        let names = parsed.compactMap { $0.repo?.name }
        var edges: [String: [String]] = [:]
        for entry in parsed { if let repo = entry.repo { edges[repo.name] = repo.dependsOn.filter { index[$0] != nil } } }
        let successors = { [edges] (name: String) in edges[name] ?? [] }
        let components = stronglyConnectedComponents(names, successors: successors)
        for component in components {
            let members = Set(component)
            guard component.count > 1 || successors(component[0]).contains(component[0]) else { continue }
            let first = names.first { members.contains($0) }!
            let cycle = walkCycle(from: first, within: members, successors: successors)
            parsed[index[first]!].reject("depends_on", .repoCycle(cycle))
            for member in component { parsed[index[member]!].repo = nil }
        }
    }

    /// A cycle through `start` inside a strongly connected component: a shortest path
    /// back to `start` (breadth first), so the message shows a real loop.
    private static func walkCycle(from start: String, within members: Set<String>, successors: (String) -> [String]) -> [String] {
        var parent: [String: String] = [:]
        var queue = [start], head = 0
        while head < queue.count {
            let node = queue[head]
            head += 1
            for next in successors(node) where members.contains(next) {
                if next == start {
                    var path = [node]
                    while let previous = parent[path[0]] { path.insert(previous, at: 0) }
                    return path + [start]
                }
                if parent[next] == nil, next != start {
                    parent[next] = node
                    queue.append(next)
                }
            }
        }
        return [start, start]
    }

    /// Drops repos that depend on a known but dropped repo, until none is left: a
    /// repo cannot be planned without its dependencies.
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
