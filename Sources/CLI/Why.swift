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
            for entry in matches {
                var out = "\(entry.id) \(entry.newVersion ?? "?")\(entry.pkgnames.count > 1 ? " (packages: \(entry.pkgnames.joined(separator: ", ")))" : "")\n"
                out += "  status: \(entry.status.rawValue): \(entry.reason)\n"
                out += "  in the database: \(entry.oldVersion ?? "nothing")\n"
                out += entry.status.isBuilt ? "  planned: yes, wave \(entry.wave ?? 0), priority \(PlanText.duration(entry.priority ?? 0))\n"
                    : "  planned: no\n"
                if !entry.needs.isEmpty { out += "  waits for: \(entry.needs.joined(separator: ", "))\n" }
                if !entry.blockedBy.isEmpty { out += "  blocked by: \(entry.blockedBy.joined(separator: " -> "))\n" }
                let blocks = plan.entries.filter { $0.blockedBy.contains(entry.id) }.map(\.id)
                if !blocks.isEmpty { out += "  blocks: \(blocks.joined(separator: ", "))\n" }
                let dependents = plan.entries.filter { $0.needs.contains(entry.id) }.map(\.id)
                if !dependents.isEmpty { out += "  needed first by: \(dependents.joined(separator: ", "))\n" }
                for reason in entry.unresolved { out += "  unresolved: \(reason)\n" }
                for diagnostic in entry.diagnostics { out += "  \(diagnostic)\n" }
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
                return out
            }
        }
    }
}
