/// The edges of the graph reachable from `nodes` that no longer path implies: what a
/// picture of a build graph needs to show the order, with the rest left out. A plan of
/// a whole distribution has tens of thousands of `needs` edges, most of them implied
/// (everything needs glibc, and so does everything it needs).
///
/// Cycles are handled on the condensation: an edge between two components is kept
/// when the component edge is in the DAG's reduction, an edge inside a component is
/// always kept (within a cycle every member reaches every other, so none is implied
/// in a useful sense). Reachability is a bit set per component, filled dependencies
/// first.
/// - Returns: each kept edge as (from, to), in node order and, per node, in the order
///   of its successors.
/// - Complexity: O(V + E · C / 64) time, O(C² / 64) space for C components.
public func transitiveReduction<Node: Hashable>(
    _ nodes: some Sequence<Node>, successors: (Node) throws -> [Node]
) rethrows -> [GraphEdge<Node>] {
    let graph = try IndexedGraph(roots: nodes, successors: successors)
    let components = graph.stronglyConnectedComponents()
    var component = [Int](repeating: 0, count: graph.count)
    for (c, members) in components.enumerated() { for member in members { component[member] = c } }
    let words = (components.count + 63) / 64
    // reach[c]: the components reachable from c by one or more component edges
    var reach = [[UInt64]](repeating: [UInt64](repeating: 0, count: words), count: components.count)
    var direct = [[Int]](repeating: [], count: components.count)
    for (c, members) in components.enumerated() {
        var targets = Set<Int>()
        for member in members { for to in graph.edges[member] where component[to] != c { targets.insert(component[to]) } }
        direct[c] = targets.sorted()
        // components come dependencies first: every target's reach is complete
        for t in direct[c] {
            reach[c][t / 64] |= 1 << UInt64(t % 64)
            for w in 0..<words { reach[c][w] |= reach[t][w] }
        }
    }
    // a component edge c -> t is implied when another target of c reaches t
    var kept = [Set<Int>](repeating: [], count: components.count)
    for c in components.indices {
        var implied = [UInt64](repeating: 0, count: words)
        for t in direct[c] { for w in 0..<words { implied[w] |= reach[t][w] } }
        kept[c] = Set(direct[c].filter { implied[$0 / 64] & (1 << UInt64($0 % 64)) == 0 })
    }
    var result: [GraphEdge<Node>] = []
    var shown = Set<Int>()  // one node edge per kept component edge and source component
    for from in 0..<graph.count {
        let c = component[from]
        for to in graph.edges[from] {
            let t = component[to]
            if t == c {
                result.append(GraphEdge(from: graph.nodes[from], to: graph.nodes[to]))
            } else if kept[c].contains(t), shown.insert(c * components.count + t).inserted {
                result.append(GraphEdge(from: graph.nodes[from], to: graph.nodes[to]))
            }
        }
    }
    return result
}
