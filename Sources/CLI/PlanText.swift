import Foundation
import Scheduler

/// The plan as a maintainer reads it before anything is built: the counts first, then
/// each list cut to ``ShortList/limit`` items with the count of the rest (all of them
/// with `--full`; `--format json` has every entry).
struct PlanText {
    let plan: Plan
    let workers: Int
    /// How PKGBUILDs that need makepkg were read (or why not).
    var fallback: String?
    var list = ShortList(full: false)

    var text: String {
        var out = summary
        if let fallback { out += fallback + "\n" }
        if let rebuild = plan.rebuild {
            let left = ["depends", "makedepends", "checkdepends"].filter { !rebuild.followed.contains($0) }
            let edges = rebuild.followed.isEmpty ? "" : "; the closure followed \(rebuild.followed.joined(separator: ", ")) edges"
                + (left.isEmpty ? "" : ", not \(left.joined(separator: ", "))")
            out += "rebuild: \(rebuild.requested.joined(separator: " "))\(rebuild.reverse ? " and what needs them" : ""): "
                + "\(rebuild.pkgbases) pkgbase\(rebuild.pkgbases == 1 ? "" : "s")\(edges)\n"
        }
        if let bump = plan.sonameBump { out += Self.sonameBumpText(bump, list: list) }
        out += "\n"
        let byID = plan.entriesByID
        let builds = plan.buildOrder.compactMap { byID[$0] }
        out += "builds (\(builds.count)):\n"
        if builds.isEmpty { out += "  nothing to build\n" }
        out += section(builds) { entry in
            let versions = entry.oldVersion.map { "\($0) -> \(entry.newVersion ?? "?")" } ?? (entry.newVersion ?? "?")
            let cycle = entry.cycle.map { " [cycle \($0 + 1)]" } ?? ""
            return ["wave \(entry.wave ?? 0)  \(entry.id)  \(versions)  \(entry.status.rawValue): \(entry.reason)\(cycle)"]
        }
        for status in [PlanStatus.blocked, .unresolvable, .invalid, .needsFallback, .repoAhead, .excluded, .duplicate] {
            let entries = plan.entries.filter { $0.status == status }
            guard !entries.isEmpty else { continue }
            out += "\n\(status.rawValue) (\(entries.count)):\n"
            out += section(entries) { entry in
                var lines = ["\(entry.id) \(entry.newVersion ?? ""): \(entry.reason)"]
                if status == .blocked { lines.append("  chain: \(list.chain([entry.id] + entry.blockedBy))") }
                if status == .needsFallback || status == .invalid { lines += entry.diagnostics.prefix(3).map { "  \($0)" } }
                return lines
            }
        }
        let warned = plan.entries.filter { !$0.warnings.isEmpty }
        if !warned.isEmpty {
            out += "\nwarnings (\(warned.count)):\n"
            out += section(warned) { entry in entry.warnings.map { "\(entry.id): \($0)" } }
        }
        if !plan.cycles.isEmpty {
            out += "\ncycles (\(plan.cycles.count)):\n"
            out += section(Array(plan.cycles.enumerated())) { n, cycle in
                ["cycle \(n + 1) (\(cycle.strategy)): \(cycle.members.count) member\(cycle.members.count == 1 ? "" : "s"), "
                 + "built again after the cycle: \(list.joined(cycle.members))"]
                    + edgeLines("closed by", cycle.closingEdges) + edgeLines("first pass ignores", cycle.droppedEdges)
            }
        }
        if let sets = plan.sets {
            out += "\nrebuild sets (\(sets.count)), each published together once every member is built:\n"
            out += section(Array(sets.enumerated())) { n, set in
                ["set \(n + 1) (\(set.kind)): \(set.members.count) pkgbase\(set.members.count == 1 ? "" : "s"): \(list.joined(set.members))"]
                    + (set.preview.map { ["  " + Self.previewText($0)] } ?? [])
            }
        }
        return out
    }

    /// One item's lines per element, indented, the list cut by ``list``.
    private func section<T>(_ items: [T], _ lines: (T) -> [String]) -> String {
        let shown = list.full || items.count <= list.limit ? items[...] : items.prefix(list.limit)
        var out = shown.flatMap(lines).map { "  \($0)\n" }.joined()
        if shown.count < items.count { out += "  ... and \(items.count - shown.count) more (--full lists them all)\n" }
        return out
    }

    private func edgeLines(_ label: String, _ edges: [String]) -> [String] {
        let (shown, more) = list.lines(edges)
        return shown.map { "  \(label) \($0)" } + (more.map { ["  \($0)"] } ?? [])
    }

    var summary: String {
        let counts = PlanStatus.allCases.compactMap { status -> String? in
            let n = plan.count(status)
            return n == 0 ? nil : "\(n) \(status.rawValue)"
        }
        let makespan = plan.makespan[String(workers)].map(Self.duration) ?? "?"
        let largest = plan.cycles.map(\.members.count).max()
        let cycles = plan.cycles.isEmpty ? "" : "\ncycles: \(plan.cycles.count), the largest of \(largest ?? 0) members"
        return """
            plan: \(plan.entries.count) pkgbases: \(counts.joined(separator: ", "))
            builds: \(plan.buildOrder.count) in \(plan.entries.compactMap(\.wave).max().map { $0 + 1 } ?? 0) waves; \
            expected \(Self.duration(plan.totalSeconds)) of building, about \(makespan) on \(workers) worker\(workers == 1 ? "" : "s")\(cycles)

            """
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? "\(s / 3600)h\(String(format: "%02d", s % 3600 / 60))m" : s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
    }
}

extension PlanText {
    /// `--soname-bump`: each soname's providers and consumers, then the set's cost.
    static func sonameBumpText(_ bump: PlanSonameBump, list: ShortList) -> String {
        var out = ""
        for users in bump.sonames {
            let count = users.consumers.count
            out += "soname bump \(users.request): \(users.provided.joined(separator: " ")) provided by \(users.providers.joined(separator: " ")); "
                + "needed by \(count) package\(count == 1 ? "" : "s") of \(users.consumerBases.count) pkgbase\(users.consumerBases.count == 1 ? "" : "s")"
                + (count == 0 ? "\n" : ": \(list.joined(users.consumers, separator: " "))\n")
            for problem in users.problems { out += "  not read: \(problem)\n" }
        }
        return out + "set: " + previewText(bump.set) + "\n"
    }

    /// A set's cost: builds, waves, critical path, total and simulated makespan.
    static func previewText(_ set: RebuildSetPreview) -> String {
        "\(set.builds) build\(set.builds == 1 ? "" : "s") in \(set.waves) wave\(set.waves == 1 ? "" : "s"); "
            + "critical path \(duration(set.criticalPathSeconds)), \(duration(set.totalSeconds)) of building; "
            + "simulated makespan \(duration(set.makespanSeconds)) on \(set.workers) worker\(set.workers == 1 ? "" : "s")"
    }
}

