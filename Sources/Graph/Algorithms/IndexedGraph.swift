/// A graph whose nodes are numbered densely, so the algorithms work on arrays of
/// integers instead of hashing nodes at every step.
///
/// Numbering is deterministic: the roots in the order given, then every node reached
/// from them in breadth-first order of the `successors` lists. Every algorithm in this
/// folder breaks ties by these numbers, so the same input always gives the same output.
struct IndexedGraph<Node: Hashable> {
    private(set) var nodes: [Node] = []
    private(set) var number: [Node: Int] = [:]
    /// `edges[n]` lists the successors of node `n`, duplicates removed, in first-seen order.
    private(set) var edges: [[Int]] = []

    /// - Complexity: O(V + E) calls and hash look-ups; `successors` is called once per node.
    init(roots: some Sequence<Node>, successors: (Node) throws -> [Node]) rethrows {
        for root in roots { _ = add(root) }
        var next = 0
        while next < nodes.count {
            var seen = Set<Int>()
            var list: [Int] = []
            for successor in try successors(nodes[next]) {
                let n = add(successor)
                if seen.insert(n).inserted { list.append(n) }
            }
            edges[next] = list
            next += 1
        }
    }

    var count: Int { nodes.count }

    private mutating func add(_ node: Node) -> Int {
        if let n = number[node] { return n }
        number[node] = nodes.count
        nodes.append(node)
        edges.append([])
        return nodes.count - 1
    }

    /// The edges reversed: `result[n]` lists the nodes that have `n` as a successor.
    func reversedEdges() -> [[Int]] {
        var result = [[Int]](repeating: [], count: count)
        for (from, list) in edges.enumerated() {
            for to in list { result[to].append(from) }
        }
        return result
    }

    /// Tarjan's strongly connected components, with an explicit stack instead of
    /// recursion so that a chain of 100,000 nodes does not overflow the thread's stack.
    ///
    /// Components come out in reverse topological order: each one after every component
    /// it reaches (dependencies first, when edges point at what a node needs). Members
    /// of a component are sorted by node number.
    /// - Complexity: O(V + E) time, O(V) extra space.
    func stronglyConnectedComponents() -> [[Int]] {
        var index = [Int](repeating: -1, count: count)
        var low = [Int](repeating: 0, count: count)
        var onStack = [Bool](repeating: false, count: count)
        var stack: [Int] = []
        var calls: [(node: Int, nextEdge: Int)] = []
        var counter = 0
        var components: [[Int]] = []

        func enter(_ node: Int) {
            index[node] = counter
            low[node] = counter
            counter += 1
            stack.append(node)
            onStack[node] = true
            calls.append((node, 0))
        }

        for root in 0..<count where index[root] < 0 {
            enter(root)
            while let (node, nextEdge) = calls.last {
                if nextEdge < edges[node].count {
                    calls[calls.count - 1].nextEdge += 1
                    let successor = edges[node][nextEdge]
                    if index[successor] < 0 {
                        enter(successor)
                    } else if onStack[successor] {
                        low[node] = min(low[node], index[successor])
                    }
                    continue
                }
                calls.removeLast()
                if let parent = calls.last?.node { low[parent] = min(low[parent], low[node]) }
                guard low[node] == index[node] else { continue }
                var component: [Int] = []
                while let member = stack.popLast() {
                    onStack[member] = false
                    component.append(member)
                    if member == node { break }
                }
                components.append(component.sorted())
            }
        }
        return components
    }
}
