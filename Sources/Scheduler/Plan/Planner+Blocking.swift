import Graph

extension Planner {
    /// The statuses that keep a wanted pkgbase from being built.
    static let unbuildable: Set<PlanStatus> = [.unresolvable, .needsFallback, .invalid]

    /// A build whose dependency must be built first but cannot be (unresolvable, needs
    /// makepkg, invalid, or itself blocked) is blocked, with the chain down to the cause.
    ///
    /// A dependency cycle is one unit: a member blocked from outside (or a member that
    /// cannot be built) blocks every member, each through the shortest chain of edges
    /// inside the cycle, and its reason names the edge (`a needs b; b needs a and c; c is
    /// unresolvable`: b is blocked by c, a by b, through a's `depends b`).
    /// - Complexity: O(V + E).
    mutating func markBlocked() {
        let ids = entries.indices.compactMap { i -> PackageBaseID? in
            let id = PackageBaseID(repo: entries[i].repo, pkgbase: entries[i].pkgbase)
            return index[id] == i ? id : nil
        }
        // components dependencies first, so what a component needs is decided before it
        var cause: [PackageBaseID: PackageBaseID] = [:]
        for component in graph.componentsDependenciesFirst(of: ids) {
            // most components are one pkgbase (never its own dependency): no set for those
            let members = component.count > 1 ? Set(component) : []
            var blocked: [PackageBaseID] = []
            for id in component where entries[index[id]!].status.isBuilt {
                let target = graph.dependencies(of: id).first { target in
                    guard wanted.contains(target), let status = index[target].map({ entries[$0].status }) else { return false }
                    return Self.unbuildable.contains(status) || (status == .blocked && !members.contains(target))
                }
                if let target {
                    block(id, by: target, cause: &cause, inCycle: members.contains(target))
                    blocked.append(id)
                }
            }
            guard component.count > 1 else { continue }
            // inside the cycle: whoever needs a member that cannot be built is blocked too
            var queue = component.filter { wanted.contains($0) && Self.unbuildable.contains(entries[index[$0]!].status) } + blocked
            var head = 0
            while head < queue.count {
                let target = queue[head]
                head += 1
                for id in component where entries[index[id]!].status.isBuilt && graph.dependencies(of: id).contains(target) {
                    block(id, by: target, cause: &cause, inCycle: true)
                    queue.append(id)
                }
            }
        }
    }

    /// Marks `id` blocked by its dependency `target`, naming the edge between them.
    private mutating func block(_ id: PackageBaseID, by target: PackageBaseID,
                                cause: inout [PackageBaseID: PackageBaseID], inCycle: Bool) {
        let i = index[id]!, t = index[target]!
        let root = cause[target] ?? target
        cause[id] = root
        let edges = graph.edges(from: id).filter { $0.to == target }.map { "\($0.kind.rawValue) \($0.dependency)" }
        let cycle = inCycle ? "; they are in a dependency cycle" : ""
        entries[i].status = .blocked
        entries[i].blockedBy = [target.description] + entries[t].blockedBy
        entries[i].reason = "needs \(target) first (\(edges.joined(separator: ", "))\(cycle)), which cannot be built "
            + "(\(root) is \(entries[index[root]!].status.rawValue))"
    }
}
