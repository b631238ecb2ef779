/// The order in which a set of pkgbases is built: waves that can run in parallel, the
/// cycles among them, and each build's priority for a scheduler with free workers.
public struct BuildOrder: Sendable {
    /// Wave 0 needs nothing from the selection; wave k only earlier waves. The members
    /// of a cycle share a wave, listed in first-pass order.
    public let waves: [[PackageBaseID]]
    public let cycles: [PackageCycle]
    /// Priorities and makespan; a cycle member weighs twice its expected time, since it
    /// is built twice (see ``PackageCycle``).
    public let criticalPath: CriticalPath<PackageBaseID>

    /// The longest expected chain from `id` to the end of the plan, itself included.
    public func priority(of id: PackageBaseID) -> Double? { criticalPath.priority(of: id) }

    /// The expected duration of the plan on `workers` workers (list scheduling by priority).
    public func makespan(workers: Int) -> Double { criticalPath.makespan(workers: workers) }
}

extension PackageGraph {
    /// Orders `selection` (all pkgbases when nil) by the edges between selected pkgbases.
    /// A pkgbase outside the selection is taken as already built, so edges to it are
    /// ignored. `expectedTime` gives a build's expected duration (from history, or a
    /// default).
    /// - Complexity: O(V + E) plus the ordering of each cycle.
    public func buildOrder(of selection: Set<PackageBaseID>? = nil,
                           expectedTime: (PackageBaseID) -> Double = { _ in 1 }) -> BuildOrder {
        let ids = nodes.map(\.id).filter { selection?.contains($0) ?? true }
        let isIncluded = { (edge: BuildEdge) in selection?.contains(edge.to) ?? true }
        let condensation = Condensation(nodes: ids) { dependencies(of: $0).filter { selection?.contains($0) ?? true } }
        let cycles = condensation.cycles.map { PackageCycle($0, in: self, isIncluded: isIncluded) }
        let firstPass = Dictionary(uniqueKeysWithValues: cycles.map { ($0.members[0], $0.firstPass) })
        var waves = [[PackageBaseID]](repeating: [], count: (condensation.waveOfComponent.max() ?? -1) + 1)
        for (c, members) in condensation.components.enumerated() {
            waves[condensation.waveOfComponent[c]] += firstPass[members[0]] ?? members
        }
        let builtTwice = Set(cycles.flatMap(\.members))
        let path = CriticalPath(condensation) { expectedTime($0) * (builtTwice.contains($0) ? 2 : 1) }
        return BuildOrder(waves: waves, cycles: cycles, criticalPath: path)
    }

    /// Every cycle of the whole graph, ordered for a first pass.
    public var cycles: [PackageCycle] { buildOrder().cycles }
}
