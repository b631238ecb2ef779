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
    ///
    /// With `cache` (a file, usually ``parseCacheFile``), PKGBUILDs unchanged since the
    /// last run are not parsed again (see ``ParseCache``); the cache is then written
    /// back, and failing to write it is only a problem reported beside the repos.
    public func planRepos(cache cacheFile: String? = nil) -> (repos: [PlanRepo], problems: [PlanInputProblem]) {
        var repos: [PlanRepo] = []
        var problems: [PlanInputProblem] = []
        var cache = cacheFile.map(ParseCache.load(from:))
        var seen = Set<ParseCache.Key>()
        for config in self.repos {
            let note = { (message: String) in problems.append(PlanInputProblem(repo: config.name, message: message)) }
            let (reader, problem) = config.reader()
            if let problem { note(problem) }
            let fingerprint = ParseCache.environment(
                carch: config.arch, makepkgConf: config.makepkgConf.flatMap { FileManager.default.contents(atPath: $0) })
            var results: [PKGBUILDReader.Result] = []
            for root in config.abs {
                do {
                    let tree = try PKGBUILDTree(root: root)
                    if cache != nil {
                        results += cache!.read(directories: tree.directories, with: reader, environment: fingerprint, root: root)
                        for directory in tree.directories { seen.insert(ParseCache.Key(path: directory + "/PKGBUILD", environment: fingerprint)) }
                    } else {
                        results += tree.read(with: reader)
                    }
                } catch {
                    note("\(error)")
                }
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
        if var cache, let cacheFile {
            cache.retain(seen)
            if cache.isModified {
                do { try cache.save(to: cacheFile) } catch { problems.append(PlanInputProblem(repo: "*", message: error.description)) }
            }
        }
        return (repos, problems)
    }

    /// Where `pacbuild plan` keeps its parse cache: `STATE_DIR/cache/pkgbuild-cache.bin`.
    public var parseCacheFile: String { ParseCache.file(stateDirectory: global.stateDir) }
}
