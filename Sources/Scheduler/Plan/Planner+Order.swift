import Graph

extension Planner {
    /// Orders the builds, gives them waves and priorities, and assembles the plan.
    /// Moves the entries into the plan: the planner is spent afterwards.
    mutating func finish(options: PlanOptions) -> Plan {
        var entries: [PlanEntry] = []
        swap(&entries, &self.entries)
        let selection = Set(index.keys.filter { id in
            entries[index[id]!].status.isBuilt && (options.repo == nil || id.repo == options.repo)
        })
        let order = graph.buildOrder(of: selection, expectedTime: options.expectedTime)
        var buildOrder: [String] = []
        // a cycle's members keep their first-pass order; they rank by the cycle's top priority
        var cycleOf: [PackageBaseID: Int] = [:]
        for (n, cycle) in order.cycles.enumerated() { for member in cycle.members { cycleOf[member] = n } }
        for (wave, members) in order.waves.enumerated() {
            var groupPriority: [Int: Double] = [:]
            for id in members { if let c = cycleOf[id] { groupPriority[c] = max(groupPriority[c] ?? 0, order.priority(of: id) ?? 0) } }
            let ranked = members.enumerated().map { position, id in
                (id: id, priority: order.priority(of: id) ?? 0, rank: cycleOf[id].flatMap { groupPriority[$0] } ?? order.priority(of: id) ?? 0, position: position)
            }.sorted { ($0.rank, $1.position) > ($1.rank, $0.position) }
            for (id, priority, _, _) in ranked {
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
        var groups = order.cycles.map { cycle in
            (kind: "cycle", members: Set(cycle.members.filter(selection.contains).map(\.description)), requested: Set<String>())
        }
        if let reverseClosure {
            let ids = { (set: Set<PackageBaseID>) in Set(set.filter(selection.contains).map(\.description)) }
            groups.insert((kind: "rebuild", members: ids(reverseClosure.reached), requested: ids(reverseClosure.requested)), at: 0)
        }
        let sets = PlanSet.merge(groups, order: buildOrder)
        return Plan(entries: entries, buildOrder: buildOrder, cycles: cycles, totalSeconds: total, makespan: makespan, rebuild: rebuild,
                    sets: sets.isEmpty ? nil : sets)
    }

    static func describe(_ edge: BuildEdge) -> String {
        "\(edge.from) -> \(edge.to) (\(edge.kind.rawValue): \(edge.dependency))"
    }
}
