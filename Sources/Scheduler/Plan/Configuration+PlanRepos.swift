import Foundation
import Graph
import Repo

/// What went wrong reading a repo's inputs; the plan is still made from the rest.
public struct PlanInputProblem: Sendable, Codable, CustomStringConvertible {
    public var repo: String
    public var message: String
    public var description: String { "\(repo): \(message)" }
}

extension ArchPolicy {
    /// The `arch` values accepted for a repo building `repoArch` (see ``accepts(_:repoArch:)``).
    public func acceptedArches(repoArch: String) -> Set<String> {
        switch self {
        case .strict: [repoArch, "any"]
        case .port(let map): Set([repoArch, "any"] + map)
        }
    }
}

extension Configuration {
    /// Reads every configured repo's ABS trees (for its CARCH and makepkg.conf) and its
    /// database, for the planner. A missing database is an empty repo (nothing built
    /// yet); an unreadable one, a broken tree root or makepkg.conf is a problem reported
    /// beside the repos, never a reason to drop the others.
    public func planRepos() -> (repos: [PlanRepo], problems: [PlanInputProblem]) {
        var repos: [PlanRepo] = []
        var problems: [PlanInputProblem] = []
        for config in self.repos {
            let note = { (message: String) in problems.append(PlanInputProblem(repo: config.name, message: message)) }
            let (reader, problem) = config.reader()
            if let problem { note(problem) }
            var results: [PKGBUILDReader.Result] = []
            for root in config.abs {
                do { results += try PKGBUILDTree(root: root).read(with: reader) } catch { note("\(error)") }
            }
            var database: [DatabaseEntry] = []
            if FileManager.default.fileExists(atPath: config.db) {
                do {
                    let db = try SyncDatabase.read(at: config.db)
                    database = db.entries
                    for problem in db.problems { note("\(problem)") }
                } catch {
                    note("\(error) (planned as if the database were empty)")
                }
            }
            repos.append(PlanRepo(
                name: config.name, carch: config.arch, dependsOn: config.dependsOn, bootstrap: config.bootstrap,
                blacklist: Set(config.blacklist), acceptedArches: config.archPolicy.acceptedArches(repoArch: config.arch),
                pkgbuilds: results, database: database))
        }
        return (repos, problems)
    }
}
