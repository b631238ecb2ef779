import Graph
import Repo

/// Splits a build's dependencies into those the configured repositories provide (by
/// name or `provides`), which pacman installs, and the rest.
///
/// The rest are taken as provided by the build root and passed to pacman as
/// `--assume-installed`: a Debian build root's pacman has an empty local database, so
/// `bash` or `glibc` are there as files but unknown to pacman; in an Arch root they are
/// in the local database and pacman's `--needed` skips them anyway. A dependency the
/// root does not really have then fails in the build, not silently at install time.
enum DependencyResolution {
    static func assumedInstalled(_ dependencies: [String], databases: [String]) throws(SandboxError) -> [String] {
        var provided: Set<String> = []
        for path in databases {
            let database: SyncDatabase
            do { database = try SyncDatabase.read(at: path) } catch {
                throw .io(path: path, reason: "cannot read the repository database: \(error)")
            }
            for entry in database.entries {
                provided.insert(entry.name)
                entry.provides.forEach { provided.insert($0.name) }
            }
        }
        return dependencies.map(Dependency.init).filter { !provided.contains($0.name) }.map { dependency in
            // A versioned dependency needs a versioned provision to be satisfied.
            if let version = dependency.version { return "\(dependency.name)=\(version)" }
            return dependency.name
        }
    }
}
