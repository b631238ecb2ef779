import ArgumentParser
import Foundation
import Graph
import Scheduler

extension Pacbuild {
    /// `pacbuild why PKG`: one package's place in the plan.
    struct Why: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "why",
            abstract: "Explain one package: its status, what it waits for, what it blocks, and why it is or is not planned.")

        @OptionGroup var config: ConfigOptions
        @OptionGroup var store: StoreOption
        @Argument(help: "A pkgbase, a pkgname or repo/pkgbase.") var name: String
        @Flag(help: "Every item of every list (default: the first 25 of each, and how many more).") var full = false
        @Flag(help: "Print as JSON: per matching entry its plan entry, blocks, neededFirstBy, builds and marks.") var json = false

        func run() throws {
            let loaded = try loadValidConfiguration(config)
            let (plan, _, _) = try loadPlan(loaded, options: PlanOptions())
            if json {
                do {
                    print(try jsonText(try PackageExplanation.explain(name, in: plan, store: try existingStore(loaded))))
                } catch let error as SchedulerError { throw ValidationError(error.description) }
                return
            }
            let history = try storeHistory(loaded)
            let matches = plan.entries.filter { $0.id == name || $0.pkgbase == name || $0.pkgnames.contains(name) }
            guard !matches.isEmpty else {
                throw ValidationError(SchedulerError.unknownPackage(name, repos: Array(Set(plan.entries.map(\.repo))).sorted()).description)
            }
            let list = ShortList(full: full)
            // who names whom, once for the whole plan: a whole distribution has 12,000 entries
            var blocks: [String: [String]] = [:], neededBy: [String: [String]] = [:]
            for other in plan.entries {
                for id in Set(other.blockedBy) { blocks[id, default: []].append(other.id) }
                for id in other.needs { neededBy[id, default: []].append(other.id) }
            }
            for entry in matches {
                var out = "\(entry.id) \(entry.newVersion ?? "?")\(entry.pkgnames.count > 1 ? " (packages: \(entry.pkgnames.joined(separator: ", ")))" : "")\n"
                out += "  status: \(entry.status.rawValue): \(entry.reason)\n"
                out += "  in the database: \(entry.oldVersion ?? "nothing")\n"
                out += entry.status.isBuilt ? "  planned: yes, wave \(entry.wave ?? 0), priority \(PlanText.duration(entry.priority ?? 0))\n"
                    : "  planned: no\n"
                if let n = entry.cycle, n < plan.cycles.count {
                    let cycle = plan.cycles[n]
                    out += "  in cycle \(n + 1) (\(cycle.strategy)) of \(cycle.members.count) members: \(list.joined(cycle.members))\n"
                }
                let count = { (items: [String]) in items.count > 1 ? " (\(items.count))" : "" }
                if !entry.needs.isEmpty { out += "  waits for\(count(entry.needs)): \(list.joined(entry.needs))\n" }
                if !entry.blockedBy.isEmpty { out += "  blocked by: \(list.chain(entry.blockedBy))\n" }
                let blocked = blocks[entry.id] ?? []
                if !blocked.isEmpty { out += "  blocks\(count(blocked)): \(list.joined(blocked))\n" }
                let dependents = neededBy[entry.id] ?? []
                if !dependents.isEmpty { out += "  needed first by\(count(dependents)): \(list.joined(dependents))\n" }
                let (unresolved, moreUnresolved) = list.lines(entry.unresolved)
                for reason in unresolved { out += "  unresolved: \(reason)\n" }
                if let moreUnresolved { out += "  unresolved: \(moreUnresolved)\n" }
                for warning in entry.warnings { out += "  warning: \(warning)\n" }
                let (diagnostics, moreDiagnostics) = list.lines(entry.diagnostics)
                for diagnostic in diagnostics { out += "  \(diagnostic)\n" }
                if let moreDiagnostics { out += "  \(moreDiagnostics)\n" }
                out += history(entry.repo, entry.pkgbase)
                print(out, terminator: "")
            }
        }
    
        /// The store, nil when the configured SQLite store does not exist yet (`why` creates none).
        func existingStore(_ loaded: Configuration) throws -> (any BuildStore)? {
            if store.url == nil, case .sqlite(let path) = loaded.global.store, !FileManager.default.fileExists(atPath: path) { return nil }
            return try loaded.openStore(url: store.url)
        }

        /// What the store knows of a pkgbase (nothing when no store exists yet): its
        /// builds with state, failure class and reason, and rejection marks.
        func storeHistory(_ loaded: Configuration) throws -> (String, String) -> String {
            guard let buildStore = try existingStore(loaded) else {
                let path = if case .sqlite(let path) = loaded.global.store { path } else { loaded.global.store.description }
                return { _, _ in "  store: nothing queued yet (no store at \(path))\n" }
            }
            let marks = try buildStore.marks()
            return { repo, pkgbase in
                let id = PackageBaseID(repo: repo, pkgbase: pkgbase)
                var out = ""
                for build in (try? buildStore.builds(of: id)) ?? [] {
                    var line = "  store: \(build.id) \(build.version)\(build.passNote) \(build.state.name.rawValue)"
                    if let failure = build.state.failureClass { line += " (\(failure.rawValue))" }
                    if let blocker = build.state.blockedBy { line += " by \(blocker)" }
                    if let reason = build.reason { line += ": \(reason)" }
                    if let log = build.log { line += "; log \(log)" }
                    out += line + "\n"
                }
                for mark in marks where mark.package == id { out += "  rejected: \(mark.version): \(mark.reason)\n" }
                // the rebuild sets its builds are in: what holds them
                var sets = Set<Int64>()
                for build in (try? buildStore.builds(of: id)) ?? [] {
                    guard let set = try? buildStore.rebuildSet(of: build.id), sets.insert(set.id).inserted,
                          let report = try? RebuildSetReport(set, store: buildStore) else { continue }
                    out += report.lines.map { "  \($0)\n" }.joined()
                }
                return out
            }
        }
    }
}
