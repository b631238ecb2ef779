import Graph

extension Planner {
    /// Orders the builds, gives them waves and priorities, and assembles the plan.
    func finish(options: PlanOptions) -> Plan {
        var entries = entries
        let selection = Set(index.keys.filter { id in
            entries[index[id]!].status.isBuilt && (options.repo == nil || id.repo == options.repo)
        })
        let order = graph.buildOrder(of: selection, expectedTime: options.expectedTime)
        var buildOrder: [String] = []
        for (wave, members) in order.waves.enumerated() {
            let ranked = members.map { id in (id: id, priority: order.priority(of: id) ?? 0) }
                .sorted { ($0.priority, $1.id) > ($1.priority, $0.id) }
            for (id, priority) in ranked {
                let i = index[id]!
                entries[i].wave = wave
                entries[i].priority = priority
                entries[i].needs = graph.dependencies(of: id).filter(selection.contains).map(\.description)
                buildOrder.append(id.description)
            }
        }
        let cycles = order.cycles.enumerated().map { n, cycle in
            for member in cycle.members { entries[index[member]!].cycle = n }
            return PlanCycle(members: cycle.firstPass.map(\.description),
                             closingEdges: cycle.closingEdges.map(Self.describe),
                             droppedEdges: cycle.droppedEdges.map(Self.describe),
                             strategy: cycle.strategy.rawValue)
        }
        let total = selection.reduce(0) { $0 + options.expectedTime($1) }
        let makespan = Dictionary(uniqueKeysWithValues: [1, 2, 4, 8].map { (String($0), order.makespan(workers: $0)) })
        return Plan(entries: entries, buildOrder: buildOrder, cycles: cycles, totalSeconds: total, makespan: makespan)
    }

    static func describe(_ edge: BuildEdge) -> String {
        "\(edge.from) -> \(edge.to) (\(edge.kind.rawValue): \(edge.dependency))"
    }
}
