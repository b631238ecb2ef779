import ArgumentParser
import Foundation
import Graph
import Scheduler

/// The plan's graph in graphviz's DOT language: every pkgbase that is not current,
/// coloured by status, with the edges between planned builds and the blocking chains;
/// or a smaller picture of it (``View``, ``chain``), since graphviz on a whole
/// distribution's plan runs for hours.
struct PlanDot {
    let plan: Plan
    var view = View.full
    /// Only this package (`repo/pkgbase`, pkgbase or pkgname) and what it waits for,
    /// transitively, and the chain that blocks it.
    var chain: String?

    /// What the picture shows.
    enum View: String, ExpressibleByArgument, CaseIterable {
        /// Every edge.
        case full
        /// The transitive reduction of the `needs` edges: an edge implied by a longer
        /// path is left out (between cycles; inside one every edge is kept).
        case reduced
        /// Each dependency cycle as one node, and the reduction.
        case cycles
        /// One node per wave of builds and per status of what is not built.
        case waves
    }

    static let colours: [PlanStatus: String] = [
        .new: "palegreen", .outdated: "lightblue", .incomplete: "lightyellow", .rebuild: "plum",
        .blocked: "orange", .unresolvable: "tomato", .needsFallback: "gold", .invalid: "salmon", .repoAhead: "lightgrey",
        .excluded: "white", .duplicate: "white",
    ]

    /// A picture: nodes with a label and a fill colour, edges with attributes.
    struct Picture {
        var nodes: [(id: String, label: String, colour: String)] = []
        var edges: [(from: String, to: String, attributes: String)] = []
    }

    var text: String { get throws { Self.render(try picture()) } }

    static func render(_ picture: Picture) -> String {
        var out = "digraph plan {\n  rankdir=LR;\n  node [shape=box, style=filled, fontname=\"monospace\"];\n"
        for node in picture.nodes { out += "  \(quote(node.id)) [label=\(quote(node.label)), fillcolor=\(node.colour)];\n" }
        for edge in picture.edges { out += "  \(quote(edge.from)) -> \(quote(edge.to))\(edge.attributes.isEmpty ? "" : " [\(edge.attributes)]");\n" }
        return out + "}\n"
    }

    private static func quote(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\\\"") + "\"" }

    /// The entries shown: every one that is not current, or the requested chain.
    func shownEntries() throws -> [PlanEntry] {
        let byID = plan.entriesByID
        guard let chain else { return plan.entries.filter { $0.status != .current && byID[$0.id]?.file == $0.file } }
        guard let start = plan.entry(named: chain) else {
            throw ValidationError("--chain \(chain): no such pkgbase or pkgname in the plan")
        }
        var seen: Set<String> = [start.id], queue = [start.id], head = 0
        while head < queue.count {
            let entry = byID[queue[head]]
            head += 1
            for next in (entry?.needs ?? []) + (entry?.blockedBy ?? []) where seen.insert(next).inserted { queue.append(next) }
        }
        return queue.compactMap { byID[$0] }
    }

    func picture() throws -> Picture {
        let entries = try shownEntries()
        let shown = Set(entries.map(\.id))
        let byID = plan.entriesByID
        let needs = { (id: String) in byID[id]?.needs.filter(shown.contains) ?? [] }
        var picture = Picture()
        switch view {
        case .waves: return wavePicture(entries)
        case .full:
            for entry in entries { for target in needs(entry.id) { picture.edges.append((entry.id, target, "")) } }
        case .reduced, .cycles:
            for edge in transitiveReduction(entries.map(\.id), successors: needs) { picture.edges.append((edge.from, edge.to, "")) }
        }
        var node: [String: String] = [:]  // entry id -> node id (a cycle's, with .cycles)
        if view == .cycles {
            for (n, cycle) in plan.cycles.enumerated() where cycle.members.contains(where: shown.contains) {
                let id = "cycle \(n + 1)"
                picture.nodes.append((id, "cycle \(n + 1) (\(cycle.strategy))\\n\(cycle.members.count) members", "plum"))
                for member in cycle.members { node[member] = id }
            }
        }
        for entry in entries where node[entry.id] == nil {
            picture.nodes.append((entry.id, "\(entry.id)\\n\(entry.newVersion ?? "?") \(entry.status.rawValue)", Self.colours[entry.status] ?? "white"))
        }
        for entry in entries { if let first = entry.blockedBy.first { picture.edges.append((entry.id, first, "color=red, style=dashed")) } }
        // with cycles collapsed: edges between their nodes, once each, none inside one
        var seen = Set<String>()
        picture.edges = picture.edges.compactMap { edge in
            let (from, to) = (node[edge.from] ?? edge.from, node[edge.to] ?? edge.to)
            guard from != to || node[edge.from] == nil, seen.insert("\(from)\u{0}\(to)\u{0}\(edge.attributes)").inserted else { return nil }
            return (from, to, edge.attributes)
        }
        return picture
    }

    /// One node per wave (its builds counted by status) and per status of what is not
    /// built; a wave needs the wave before it.
    private func wavePicture(_ entries: [PlanEntry]) -> Picture {
        var picture = Picture()
        let waves = Dictionary(grouping: entries.filter { $0.wave != nil }, by: { $0.wave! })
        for wave in waves.keys.sorted() {
            let members = waves[wave]!
            let counts = Dictionary(grouping: members, by: \.status).map { "\($0.value.count) \($0.key.rawValue)" }.sorted()
            picture.nodes.append(("wave \(wave)", "wave \(wave): \(members.count) builds\\n\(counts.joined(separator: ", "))", "lightblue"))
            if wave > 0 { picture.edges.append(("wave \(wave)", "wave \(wave - 1)", "")) }
        }
        for status in PlanStatus.allCases where !status.isBuilt {
            let count = entries.count { $0.status == status }
            guard count > 0 else { continue }
            picture.nodes.append((status.rawValue, "\(status.rawValue): \(count)", Self.colours[status] ?? "white"))
        }
        return picture
    }
}
