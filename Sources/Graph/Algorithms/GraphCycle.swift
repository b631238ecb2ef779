/// One strongly connected component that is a cycle, with the edges that close it, so
/// a report can say *why* these nodes depend on each other (SwiftPM's
/// `dependencyCycleDetected(path:cycle:)` carries its path for the same reason).
public struct GraphCycle<Node: Hashable>: Equatable {
    /// The members, in the order of their component.
    public let members: [Node]
    /// Every edge between two members (self-loops included), in member order.
    public let edges: [GraphEdge<Node>]
    /// The back edges of a depth-first walk over ``edges`` from the first member: the
    /// edges that close a cycle. Without them the members are acyclic, and
    /// ``order`` is a valid order of the rest.
    public let closingEdges: [GraphEdge<Node>]
    /// The members ordered so that, ignoring ``closingEdges``, each member comes after
    /// its successors: the order in which a first pass over the cycle would build.
    public let order: [Node]

    /// - Complexity: O(members + internal edges), iterative.
    init?(members: [Int], in graph: IndexedGraph<Node>, component: [Int]) {
        let c = component[members[0]]
        let inside = { (to: Int) in component[to] == c }
        guard members.count > 1 || graph.edges[members[0]].contains(members[0]) else { return nil }
        var onPath = Set<Int>(), done = Set<Int>()
        var closing: [GraphEdge<Node>] = [], postorder: [Int] = []
        for start in members where !done.contains(start) {
            var calls: [(node: Int, nextEdge: Int)] = [(start, 0)]
            onPath.insert(start)
            while let (node, nextEdge) = calls.last {
                let list = graph.edges[node]
                if nextEdge < list.count {
                    calls[calls.count - 1].nextEdge += 1
                    let to = list[nextEdge]
                    guard inside(to) else { continue }
                    if onPath.contains(to) {
                        closing.append(GraphEdge(from: graph.nodes[node], to: graph.nodes[to]))
                    } else if !done.contains(to) {
                        onPath.insert(to)
                        calls.append((to, 0))
                    }
                    continue
                }
                calls.removeLast()
                onPath.remove(node)
                done.insert(node)
                postorder.append(node)
            }
        }
        self.members = members.map { graph.nodes[$0] }
        edges = members.flatMap { from in
            graph.edges[from].filter(inside).map { GraphEdge(from: graph.nodes[from], to: graph.nodes[$0]) }
        }
        closingEdges = closing
        order = postorder.map { graph.nodes[$0] }
    }
}

/// A directed edge: `from` needs `to`.
public struct GraphEdge<Node: Hashable>: Hashable {
    public let from: Node
    public let to: Node

    public init(from: Node, to: Node) {
        self.from = from
        self.to = to
    }
}

extension GraphCycle: Sendable where Node: Sendable {}
extension GraphEdge: Sendable where Node: Sendable {}
