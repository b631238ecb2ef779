import Foundation
import Scheduler

/// The plan's builds drawn as an SVG by the server, no JavaScript and no graphviz: one
/// column per wave (wave 0 needs nothing from the plan), each build a box that links to
/// its why page, and an arrow from each build to each build that needs it first. The
/// template (`plangraph`) writes every text with `{{ }}`, which escapes it for XML as for
/// HTML; the numbers and paths are made here from numbers only.
///
/// - Complexity: O(builds + edges).
struct PlanGraph {
    struct Node {
        var id: String
        var link: String
        var label: String
        /// The tooltip: id, versions, status, packages.
        var title: String
        var fill: String
        var x: Int, y: Int, width: Int, height: Int, textX: Int, textY: Int
    }

    struct Edge {
        var from: String
        var to: String
        var path: String
    }

    struct Wave {
        var number: Int
        var x: Int
        var y: Int
    }

    var width: Int
    var height: Int
    var nodes: [Node] = []
    var edges: [Edge] = []
    var waves: [Wave] = []

    /// The most builds drawn; a larger plan gets the table alone (the CLI's `--max-nodes`).
    static let maxNodes = 2000
    static let nodeWidth = 190, nodeHeight = 28, columnWidth = 250, rowGap = 10, margin = 16, header = 24
    /// The longest label in characters; the tooltip has the whole name.
    static let labelLimit = 26

    /// Nil when nothing is planned or more than ``maxNodes`` builds are.
    init?(_ entries: [PlanEntry]) {
        let planned = entries.filter { $0.status.isBuilt }
        guard !planned.isEmpty, planned.count <= Self.maxNodes else { return nil }
        var columns: [Int: [PlanEntry]] = [:]
        for entry in planned { columns[entry.wave ?? 0, default: []].append(entry) }
        let waveNumbers = columns.keys.sorted()
        var place: [String: (x: Int, y: Int)] = [:]
        var tallest = 0
        for (column, wave) in waveNumbers.enumerated() {
            let x = Self.margin + column * Self.columnWidth
            waves.append(Wave(number: wave, x: x, y: Self.margin + 12))
            let members = columns[wave, default: []].sorted { ($0.priority ?? 0, $1.id) > ($1.priority ?? 0, $0.id) }
            tallest = max(tallest, members.count)
            for (row, entry) in members.enumerated() {
                let y = Self.margin + Self.header + row * (Self.nodeHeight + Self.rowGap)
                place[entry.id] = (x, y)
                nodes.append(Node(id: entry.id, link: Paths.why(entry.id), label: Self.label(entry.id),
                                  title: "\(entry.id) \(entry.oldVersion ?? "(new)") -> \(entry.newVersion ?? "?"), \(entry.status.rawValue), wave \(wave)"
                                      + (entry.pkgnames.isEmpty ? "" : "; packages: " + entry.pkgnames.joined(separator: " ")),
                                  fill: Self.fill(entry.status), x: x, y: y, width: Self.nodeWidth, height: Self.nodeHeight,
                                  textX: x + 8, textY: y + 18))
            }
        }
        for entry in planned {
            guard let to = place[entry.id] else { continue }
            for need in entry.needs {
                guard let from = place[need] else { continue }
                let start = (x: from.x + Self.nodeWidth, y: from.y + Self.nodeHeight / 2), end = (x: to.x, y: to.y + Self.nodeHeight / 2)
                let bend = max(30, (end.x - start.x) / 2)
                edges.append(Edge(from: need, to: entry.id,
                                  path: "M\(start.x),\(start.y) C\(start.x + bend),\(start.y) \(end.x - bend),\(end.y) \(end.x),\(end.y)"))
            }
        }
        width = 2 * Self.margin + max(1, waveNumbers.count) * Self.columnWidth - (Self.columnWidth - Self.nodeWidth)
        height = 2 * Self.margin + Self.header + tallest * (Self.nodeHeight + Self.rowGap)
    }

    static func label(_ id: String) -> String {
        id.count > labelLimit ? String(id.prefix(labelLimit - 1)) + "\u{2026}" : id
    }

    static func fill(_ status: PlanStatus) -> String {
        switch status {
        case .new: "#e3f2e1"
        case .outdated: "#fdf3d8"
        case .rebuild: "#e1ecf7"
        default: "#eeeeee"
        }
    }
}
