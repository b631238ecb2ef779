/// A graph collapsed to its strongly connected components: the DAG every ordering
/// question is answered on, because a cycle can only be built as one unit.
///
/// Edges point from a node to what it needs (`successors` are dependencies), so the
/// components are listed dependencies first and wave 0 holds what needs nothing.
/// Cycles are kept as data (``cycles``), never a reason to stop: libalpm's
/// `_alpm_sortbydeps` warns about a cycle and goes on ordering the rest, and so do we.
public struct Condensation<Node: Hashable> {
    /// The components, each after every component it reaches; members sorted by
    /// first discovery (roots in the order given, then breadth-first).
    public let components: [[Node]]
    /// `componentSuccessors[c]`: the other components that component `c` has edges to,
    /// ascending. Every one of them is smaller than `c`.
    public let componentSuccessors: [[Int]]
    /// For each component, its wave: 0 without successors, otherwise one more than the
    /// highest wave among its successors. Everything in one wave can be built in parallel.
    public let waveOfComponent: [Int]
    /// The components that are cycles: several members, or one member with a self-loop.
    public let cycles: [GraphCycle<Node>]
    private let componentOfNode: [Node: Int]

    /// Condenses the graph of `nodes` and everything reachable from them.
    /// - Complexity: O(V + E) time and space, plus O(E log E) to sort component edges.
    public init(nodes: some Sequence<Node>, successors: (Node) throws -> [Node]) rethrows {
        let graph = try IndexedGraph(roots: nodes, successors: successors)
        let numbered = graph.stronglyConnectedComponents()
        var component = [Int](repeating: 0, count: graph.count)
        for (c, members) in numbered.enumerated() {
            for member in members { component[member] = c }
        }
        var successorsOfComponent = [[Int]](repeating: [], count: numbered.count)
        var waves = [Int](repeating: 0, count: numbered.count)
        var cycles: [GraphCycle<Node>] = []
        for (c, members) in numbered.enumerated() {
            let outside = Set(members.flatMap { graph.edges[$0] }.map { component[$0] }).subtracting([c])
            successorsOfComponent[c] = outside.sorted()
            waves[c] = outside.map { waves[$0] + 1 }.max() ?? 0
            if let cycle = GraphCycle(members: members, in: graph, component: component) {
                cycles.append(cycle)
            }
        }
        components = numbered.map { $0.map { graph.nodes[$0] } }
        componentSuccessors = successorsOfComponent
        waveOfComponent = waves
        self.cycles = cycles
        componentOfNode = Dictionary(uniqueKeysWithValues: graph.nodes.enumerated().map { ($1, component[$0]) })
    }

    /// The index in ``components`` of the component holding `node`.
    public func component(of node: Node) -> Int? { componentOfNode[node] }

    /// The nodes of each wave, wave 0 first; the members of a cycle share a wave and are
    /// consecutive. Within a wave, components keep their order in ``components``.
    public var waves: [[Node]] {
        var result = [[Node]](repeating: [], count: (waveOfComponent.max() ?? -1) + 1)
        for (c, members) in components.enumerated() { result[waveOfComponent[c]] += members }
        return result
    }

    /// Whether the graph has no cycle at all, self-loops included.
    public var isAcyclic: Bool { cycles.isEmpty }
}

extension Condensation: Sendable where Node: Sendable {}
