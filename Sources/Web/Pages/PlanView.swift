import Foundation
import Scheduler

/// The plan page: what a catch-up would build, wave by wave, and what it would not and
/// why, above them the graph of the builds (``PlanGraph``); each entry links to its why page.
struct PlanView {
    struct Entry {
        var id: String
        var whyLink: String
        var status: String
        var versions: String
        var wave: String
        var needs: [Link]
        var blockedBy: [Link]
        var reason: String
    }

    struct Link {
        var id: String
        var whyLink: String
    }

    struct Count {
        var status: String
        var count: Int
    }

    var title = "plan"
    var counts: [Count]
    var planned: [Entry]
    var others: [Entry]
    var cycles: [String]
    var graph: PlanGraph?
    /// Why there is no graph, when builds are planned but too many to draw.
    var graphNote: String?

    init(_ plan: Plan) {
        graph = PlanGraph(plan.entries)
        let plannedCount = plan.entries.count { $0.status.isBuilt }
        if graph == nil, plannedCount > 0 {
            graphNote = "\(plannedCount) builds are planned, more than the graph draws (\(PlanGraph.maxNodes)): the table lists them."
        }
        let entries = plan.entries.map(Self.entry)
        planned = zip(plan.entries, entries).filter { $0.0.status.isBuilt }
            .sorted { ($0.0.wave ?? 0, $0.0.id) < ($1.0.wave ?? 0, $1.0.id) }.map(\.1)
        others = zip(plan.entries, entries).filter { !$0.0.status.isBuilt }.map(\.1)
        counts = Dictionary(grouping: plan.entries, by: \.status.rawValue).map { Count(status: $0.key, count: $0.value.count) }
            .sorted { $0.status < $1.status }
        cycles = plan.cycles.map { $0.members.joined(separator: " <-> ") }
    }

    static func entry(_ e: PlanEntry) -> Entry {
        Entry(id: e.id, whyLink: Paths.why(e.id), status: e.status.rawValue,
              versions: "\(e.oldVersion ?? "(new)") -> \(e.newVersion ?? "?")", wave: e.wave.map(String.init) ?? "",
              needs: e.needs.map { Link(id: $0, whyLink: Paths.why($0)) },
              blockedBy: e.blockedBy.map { Link(id: $0, whyLink: Paths.why($0)) }, reason: e.reason)
    }
}

/// One package's why page: its plan entry, what it blocks and what needs it, and its
/// builds in the store.
struct WhyView {
    struct Explained {
        var entry: PlanView.Entry
        var pkgnames: String
        var planned: Bool
        var priority: String
        var blocks: [PlanView.Link]
        var neededFirstBy: [PlanView.Link]
        var unresolved: [String]
        var diagnostics: [String]
        var builds: [BuildRow]
        var marks: [String]
    }

    var title: String
    var explained: [Explained]

    init(_ name: String, _ explanations: [PackageExplanation], now: Date = Date()) {
        title = "why " + name
        explained = explanations.map { x in
            Explained(entry: PlanView.entry(x.entry), pkgnames: x.entry.pkgnames.joined(separator: ", "),
                      planned: x.entry.status.isBuilt, priority: x.entry.priority.map { Formats.duration($0) } ?? "",
                      blocks: x.blocks.map { PlanView.Link(id: $0, whyLink: Paths.why($0)) },
                      neededFirstBy: x.neededFirstBy.map { PlanView.Link(id: $0, whyLink: Paths.why($0)) },
                      unresolved: x.entry.unresolved, diagnostics: x.entry.diagnostics,
                      builds: x.builds.reversed().map { BuildRow($0, now: now) },
                      marks: x.marks.map { "\($0.version): \($0.reason)" })
        }
    }
}
