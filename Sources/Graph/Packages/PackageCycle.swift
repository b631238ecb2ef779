/// A dependency cycle between pkgbases and how its first pass is ordered.
///
/// As OBS and Arch Linux 32 do, a cycle is built twice: once in an order that ignores
/// some of its edges (what those edges need is served by something already there), and
/// once more after every member has been built, so each member is finally built
/// against the new versions of the others.
public struct PackageCycle: Sendable {
    /// How the first pass was made possible.
    public enum Strategy: String, Sendable, Codable {
        /// The repo's `bootstrap` pkgbases are built first, ignoring what they need
        /// from the other members.
        case bootstrap
        /// `makedepends`/`checkdepends` edges whose dependency a package already in a
        /// database satisfies were ignored (with bootstrap edges if any were dropped):
        /// the old package serves the first pass.
        case oldPackages = "old-packages"
        /// As `old-packages`, and `depends` edges too, whose dependency a package
        /// already in a database satisfies: the first pass builds against the old
        /// runtime dependency, and pass 2 against the new one. A rebuild of a whole tree
        /// is this: every member's old packages are in the databases. The closing edges
        /// are dropped when old packages serve them all; otherwise every served edge.
        case oldDepends = "old-depends"
        /// Neither helped: the order ignores the closing edges, but the cycle cannot be
        /// built as planned. Members are blocked until someone adds a bootstrap entry.
        case unbroken
    }

    public let members: [PackageBaseID]
    /// Every build edge between two members.
    public let edges: [BuildEdge]
    /// The edges that close the cycle (back edges of a depth-first walk from the first
    /// member): what a report shows as the reason the members wait for each other.
    public let closingEdges: [BuildEdge]
    /// The edges ignored by the first pass.
    public let droppedEdges: [BuildEdge]
    /// The members in first-pass build order, dependencies first.
    public let firstPass: [PackageBaseID]
    public let strategy: Strategy

    /// Whether the first pass can be built; the members are then rebuilt once more,
    /// in ``firstPass`` order, after the whole cycle has completed.
    public var isBroken: Bool { strategy != .unbroken }

    /// Orders `cycle` of `graph`, considering only the edges that `isIncluded` keeps
    /// (the plan's selection).
    init(_ cycle: GraphCycle<PackageBaseID>, in graph: PackageGraph, isIncluded: (BuildEdge) -> Bool) {
        let inside = Set(cycle.members)
        let edges = cycle.members.flatMap(graph.edges(from:)).filter { inside.contains($0.to) && isIncluded($0) }
        let closing = Set(cycle.closingEdges)
        members = cycle.members
        self.edges = edges
        closingEdges = edges.filter { closing.contains(GraphEdge(from: $0.from, to: $0.to)) }

        let bootstrapped = edges.filter { graph.bootstrap[$0.from.repo]?.contains($0.from.pkgbase) ?? false }
        let servedByOld = edges.filter {
            $0.kind != .depends && graph.resolver.resolve($0.dependency, from: $0.from.repo, databasesOnly: true) != nil
        }
        let servedDepends = edges.filter {
            $0.kind == .depends && graph.resolver.resolve($0.dependency, from: $0.from.repo, databasesOnly: true) != nil
        }
        let lenient = Self.union(bootstrapped, servedByOld)
        let servedClosing = servedDepends.filter { closing.contains(GraphEdge(from: $0.from, to: $0.to)) }
        let attempts: [(Strategy, [BuildEdge])] = [
            (.bootstrap, bootstrapped),
            (.oldPackages, lenient),
            (.oldDepends, Self.union(lenient, servedClosing)),
            (.oldDepends, Self.union(lenient, servedDepends)),
        ]
        for (strategy, dropped) in attempts where !dropped.isEmpty {
            if let order = Self.order(members, edges: edges, without: Set(dropped)) {
                (droppedEdges, firstPass, self.strategy) = (dropped, order, strategy)
                return
            }
        }
        (droppedEdges, firstPass, strategy) = (closingEdges, cycle.order, .unbroken)
    }

    /// `a` then the edges of `b` not in `a`, in order.
    private static func union(_ a: [BuildEdge], _ b: [BuildEdge]) -> [BuildEdge] {
        var seen = Set(a)
        return a + b.filter { seen.insert($0).inserted }
    }

    /// The members in dependency order once `dropped` is ignored, nil if still cyclic.
    private static func order(_ members: [PackageBaseID], edges: [BuildEdge], without dropped: Set<BuildEdge>)
        -> [PackageBaseID]?
    {
        let remaining = Dictionary(grouping: edges.filter { !dropped.contains($0) }, by: \.from)
        let condensation = Condensation(nodes: members) { remaining[$0]?.map(\.to) ?? [] }
        return condensation.isAcyclic ? condensation.components.flatMap { $0 } : nil
    }
}
