/// How urgent each node is: the longest weighted chain from it to the end of the plan,
/// and an estimate of how long the whole plan takes on a number of workers.
///
/// With weights being expected build times, starting the node with the longest chain
/// behind it first is the classic critical-path heuristic for list scheduling: the
/// chain that decides the makespan is never left waiting for a free worker.
/// A cycle is one unit whose weight is the sum of its members' weights (its members
/// build one after another); every member gets the unit's priority.
public struct CriticalPath<Node: Hashable> {
    public let condensation: Condensation<Node>
    /// The weight of each component of ``condensation``.
    public let componentWeight: [Double]
    /// For each component, its weight plus the longest chain of dependents after it.
    public let componentPriority: [Double]

    /// - Complexity: O(V + E), plus one call of `weight` per node.
    public init(_ condensation: Condensation<Node>, weight: (Node) -> Double) {
        self.condensation = condensation
        componentWeight = condensation.components.map { $0.reduce(0) { $0 + weight($1) } }
        // Dependents always come later in the component list, so walking it backwards
        // finishes every dependent before the components it needs.
        var longestAfter = [Double](repeating: 0, count: componentWeight.count)
        var priority = longestAfter
        for c in componentWeight.indices.reversed() {
            priority[c] = componentWeight[c] + longestAfter[c]
            for s in condensation.componentSuccessors[c] { longestAfter[s] = max(longestAfter[s], priority[c]) }
        }
        componentPriority = priority
    }

    /// Builds the condensation of `nodes` first; see ``Condensation/init(nodes:successors:)``.
    public init(nodes: some Sequence<Node>, successors: (Node) throws -> [Node], weight: (Node) -> Double) rethrows {
        self.init(try Condensation(nodes: nodes, successors: successors), weight: weight)
    }

    /// The priority of `node`: its weight plus the longest weighted chain of what
    /// waits for it (its dependents, transitively). Nil for a node not in the graph.
    public func priority(of node: Node) -> Double? {
        condensation.component(of: node).map { componentPriority[$0] }
    }

    /// The longest chain of the whole plan: no number of workers finishes faster.
    public var length: Double { componentPriority.max() ?? 0 }

    /// The time the plan takes on `workers` workers under list scheduling: whenever a
    /// worker is free it takes the ready unit with the highest priority (ties: the
    /// earlier component), a unit being ready once everything it needs has finished.
    /// Greedy list scheduling is within a factor of 2 of the optimum (Graham's bound)
    /// and critical-path priorities make it close to it in practice.
    /// - Complexity: O((V + E) log V).
    public func makespan(workers: Int) -> Double {
        let count = componentWeight.count
        var waitingFor = condensation.componentSuccessors.map(\.count)
        var dependents = [[Int]](repeating: [], count: count)
        for (c, successors) in condensation.componentSuccessors.enumerated() {
            for s in successors { dependents[s].append(c) }
        }
        var ready = Heap<Int> { a, b in
            componentPriority[a] != componentPriority[b] ? componentPriority[a] > componentPriority[b] : a < b
        }
        for c in 0..<count where waitingFor[c] == 0 { ready.push(c) }
        var running = Heap<(finish: Double, component: Int)> { $0.finish < $1.finish }
        var now = 0.0
        while !ready.isEmpty || !running.isEmpty {
            while running.count < max(workers, 1), let c = ready.pop() {
                running.push((now + componentWeight[c], c))
            }
            guard let (finish, done) = running.pop() else { break }
            now = finish
            for d in dependents[done] {
                waitingFor[d] -= 1
                if waitingFor[d] == 0 { ready.push(d) }
            }
        }
        return now
    }
}

extension CriticalPath: Sendable where Node: Sendable {}
