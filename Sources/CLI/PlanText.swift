import Foundation
import Scheduler

/// The plan as a maintainer reads it before anything is built.
struct PlanText {
    let plan: Plan
    let workers: Int
    /// How PKGBUILDs that need makepkg were read (or why not).
    var fallback: String?

    var text: String {
        var out = summary
        if let fallback { out += fallback + "\n" }
        out += "\n"
        // a pkgbase given twice in one repo has two entries with one id; the first is the
        // one planned (the other is excluded), as in `Plan.entry(named:)`
        let byID = Dictionary(plan.entries.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let builds = plan.buildOrder.compactMap { byID[$0] }
        out += "builds (\(builds.count)):\n"
        if builds.isEmpty { out += "  nothing to build\n" }
        for entry in builds {
            let versions = entry.oldVersion.map { "\($0) -> \(entry.newVersion ?? "?")" } ?? (entry.newVersion ?? "?")
            let cycle = entry.cycle.map { " [cycle \($0 + 1)]" } ?? ""
            out += "  wave \(entry.wave ?? 0)  \(entry.id)  \(versions)  \(entry.status.rawValue): \(entry.reason)\(cycle)\n"
        }
        for status in [PlanStatus.blocked, .unresolvable, .invalid, .needsFallback, .repoAhead, .excluded] {
            let entries = plan.entries.filter { $0.status == status }
            guard !entries.isEmpty else { continue }
            out += "\n\(status.rawValue) (\(entries.count)):\n"
            for entry in entries {
                out += "  \(entry.id) \(entry.newVersion ?? ""): \(entry.reason)\n"
                if status == .blocked { out += "    chain: \(([entry.id] + entry.blockedBy).joined(separator: " -> "))\n" }
                if status == .needsFallback || status == .invalid { for d in entry.diagnostics.prefix(3) { out += "    \(d)\n" } }
            }
        }
        if !plan.cycles.isEmpty {
            out += "\ncycles (\(plan.cycles.count)):\n"
            for (n, cycle) in plan.cycles.enumerated() {
                out += "  cycle \(n + 1) (\(cycle.strategy)): \(cycle.members.joined(separator: ", ")); members are built again after the cycle\n"
                for edge in cycle.closingEdges { out += "    closed by \(edge)\n" }
                for edge in cycle.droppedEdges { out += "    first pass ignores \(edge)\n" }
            }
        }
        return out
    }

    var summary: String {
        let counts = PlanStatus.allCases.compactMap { status -> String? in
            let n = plan.count(status)
            return n == 0 ? nil : "\(n) \(status.rawValue)"
        }
        let makespan = plan.makespan[String(workers)].map(Self.duration) ?? "?"
        return """
            plan: \(plan.entries.count) pkgbases: \(counts.joined(separator: ", "))
            builds: \(plan.buildOrder.count) in \(plan.entries.compactMap(\.wave).max().map { $0 + 1 } ?? 0) waves; \
            expected \(Self.duration(plan.totalSeconds)) of building, about \(makespan) on \(workers) worker\(workers == 1 ? "" : "s")

            """
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? "\(s / 3600)h\(String(format: "%02d", s % 3600 / 60))m" : s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
    }
}
