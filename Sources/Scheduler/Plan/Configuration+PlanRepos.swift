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
        let (repos, problems, cacheWrite) = planReposWritingCacheMeanwhile(cache: cacheFile)
        return (repos, problems + (cacheWrite?.wait() ?? []))
    }

    /// ``planRepos(cache:)`` that writes the parse cache back on a thread of its own:
    /// the caller plans meanwhile (mostly on one core) and waits for the write, and its
    /// problem if any, before it ends (a cold plan of a full distribution writes ~10 MB).
    public func planReposWritingCacheMeanwhile(cache cacheFile: String?)
        -> (repos: [PlanRepo], problems: [PlanInputProblem], cacheWrite: BackgroundTask<[PlanInputProblem]>?)
    {
        var repos: [PlanRepo] = []
        var problems: [PlanInputProblem] = []
        var cache = cacheFile.map(ParseCache.load(from:))
        var seen = Set<ParseCache.Key>()
        // the databases are read meanwhile, on a thread of their own
        let databases = DatabaseReads.start(paths: self.repos.map(\.db))
        var results: [[PKGBUILDReader.Result]] = []
        var notes: [[String]] = []
        for config in self.repos {
            var repoNotes: [String] = []
            let (reader, problem) = config.reader()
            if let problem { repoNotes.append(problem) }
            let fingerprint = ParseCache.environment(
                carch: config.arch, makepkgConf: config.makepkgConf.flatMap { FileManager.default.contents(atPath: $0) })
            var pkgbuilds: [PKGBUILDReader.Result] = []
            for root in config.abs {
                do {
                    let tree = try PKGBUILDTree(root: root)
                    if cache != nil {
                        pkgbuilds += cache!.read(directories: tree.directories, with: reader, environment: fingerprint, root: root)
                        for directory in tree.directories { seen.insert(ParseCache.Key(path: directory + "/PKGBUILD", environment: fingerprint)) }
                    } else {
                        pkgbuilds += tree.read(with: reader)
                    }
                } catch {
                    repoNotes.append("\(error)")
                }
            }
            results.append(pkgbuilds)
            notes.append(repoNotes)
        }
        for ((config, database), (pkgbuilds, repoNotes)) in zip(zip(self.repos, databases.wait()), zip(results, notes)) {
            // per repo: the reader's and the trees' problems, then the database's
            for message in repoNotes + database.problems { problems.append(PlanInputProblem(repo: config.name, message: message)) }
            repos.append(PlanRepo(
                name: config.name, carch: config.arch, dependsOn: config.dependsOn, bootstrap: config.bootstrap,
                blacklist: Set(config.blacklist), acceptedArches: config.archPolicy.acceptedArches(repoArch: config.arch),
                pkgbuilds: pkgbuilds, database: database.entries))
        }
        var cacheWrite: BackgroundTask<[PlanInputProblem]>?
        if var cache, let cacheFile {
            cache.retain(seen)
            if cache.isModified {
                let written = cache
                cacheWrite = BackgroundTask {
                    do throws(SchedulerError) { try written.save(to: cacheFile); return [] } catch {
                        return [PlanInputProblem(repo: "*", message: error.description)]
                    }
                }
            }
        }
        return (repos, problems, cacheWrite)
    }

    /// Where `pacbuild plan` keeps its parse cache: `STATE_DIR/cache/pkgbuild-cache.bin`.
    public var parseCacheFile: String { ParseCache.file(stateDirectory: global.stateDir) }
}
