import ArgumentParser
import Scheduler

extension Pacbuild {
    /// `pacbuild why PKG`: one package's place in the plan.
    struct Why: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Explain one package: its status, what it waits for, what it blocks, and why it is or is not planned.")

        @OptionGroup var config: ConfigOptions
        @Argument(help: "A pkgbase, a pkgname or repo/pkgbase.") var name: String

        func run() throws {
            let (plan, _) = try loadPlan(config: config, options: PlanOptions())
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
                print(out, terminator: "")
            }
        }
    }
}
