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
///
/// A waka fetching packages from repo servers before the sandbox starts splits the same
/// way, so that it asks pacman for exactly what the sandbox's pacman will install.
public enum DependencyResolution {
    /// The dependencies (PKGBUILD strings, in their order) that a package of `databases`
    /// provides by name or `provides`.
    public static func provided(_ dependencies: [String], databases: [String]) throws(SandboxError) -> [String] {
        let names = try providedNames(databases)
        return dependencies.filter { names.contains(Dependency($0).name) }
    }

    /// The rest, as `--assume-installed` takes them (`name` or `name=version`).
    public static func assumedInstalled(_ dependencies: [String], databases: [String]) throws(SandboxError) -> [String] {
        let provided = try providedNames(databases)
        return dependencies.map(Dependency.init).filter { !provided.contains($0.name) }.map { dependency in
            // A versioned dependency needs a versioned provision to be satisfied.
            if let version = dependency.version { return "\(dependency.name)=\(version)" }
            return dependency.name
        }
    }

    private static func providedNames(_ databases: [String]) throws(SandboxError) -> Set<String> {
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
        return provided
    }
}
