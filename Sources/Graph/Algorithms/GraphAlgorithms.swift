/// Free-function entry points to the graph algorithms, generic over any `Hashable` node
/// and a `successors` closure (edges point from a node to what it needs), in the manner
/// of SwiftPM's `GraphAlgorithms.swift`, but iterative throughout: a distribution's
/// graph has 15,000 nodes and chains thousands deep.

/// The strongly connected components of the graph reachable from `nodes`, each after
/// every component it reaches (dependencies first), found by an iterative Tarjan.
/// - Complexity: O(V + E).
public func stronglyConnectedComponents<Node: Hashable>(
    _ nodes: some Sequence<Node>, successors: (Node) throws -> [Node]
) rethrows -> [[Node]] {
    try Condensation(nodes: nodes, successors: successors).components
}

/// Topological waves over the condensation: wave 0 needs nothing, wave k needs only
/// earlier waves, so each wave can be built in parallel once the previous ones are done.
/// A cycle occupies one wave as a unit and is also returned in `cycles`.
/// - Complexity: O(V + E), plus sorting the component edges.
public func topologicalWaves<Node: Hashable>(
    _ nodes: some Sequence<Node>, successors: (Node) throws -> [Node]
) rethrows -> (waves: [[Node]], cycles: [GraphCycle<Node>]) {
    let condensation = try Condensation(nodes: nodes, successors: successors)
    return (condensation.waves, condensation.cycles)
}

/// Everything that needs one of `targets`, directly or transitively, with the targets
/// themselves: what a `--rebuild X --reverse` must rebuild. Walks the reversed edges
/// of the graph reachable from `nodes` and `targets`, breadth first.
/// - Returns: The nodes in discovery order of the graph (`targets` first, then `nodes`
///   in the order given, then what they reach), so the result is deterministic.
/// - Complexity: O(V + E).
public func reverseTransitiveClosure<Node: Hashable>(
    of targets: some Sequence<Node>, in nodes: some Sequence<Node>, successors: (Node) throws -> [Node]
) rethrows -> [Node] {
    let seeds = Array(targets)
    let graph = try IndexedGraph(roots: seeds + nodes, successors: successors)
    let dependents = graph.reversedEdges()
    var reached = [Bool](repeating: false, count: graph.count)
    var queue = seeds.compactMap { graph.number[$0] }
    for n in queue { reached[n] = true }
    var next = 0
    while next < queue.count {
        for d in dependents[queue[next]] where !reached[d] {
            reached[d] = true
            queue.append(d)
        }
        next += 1
    }
    return graph.nodes.indices.filter { reached[$0] }.map { graph.nodes[$0] }
}
