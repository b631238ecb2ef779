import Foundation
import Graph
import Repo

/// The host side of one build, `WORK/`: `job/` is what the sandbox sees at
/// ``SandboxJob/mountPoint`` (the PKGBUILD's copy in `src/`, packages in `out/`, the
/// repositories in `repos/`, pacman.conf, makepkg.conf and the script), and
/// `build.log` and `packages/` (the verified copies) stay outside, where the build
/// cannot rewrite them.
struct BuildWorkspace {
    let directory: String
    var job: String { directory + "/job" }
    var log: String { directory + "/build.log" }
    var output: String { job + "/out" }
    /// The host's copies of the verified packages, outside `job/`: the sandbox never sees them.
    var packages: String { directory + "/packages" }

    /// Makes a fresh workspace; anything left from an earlier build there is removed.
    static func make(at directory: String) throws(SandboxError) -> BuildWorkspace {
        let workspace = BuildWorkspace(directory: directory)
        try? FileManager.default.removeItem(atPath: workspace.job)
        for path in [workspace.job, workspace.output, workspace.job + "/repos"] { try makeDirectory(path) }
        // builder reads everything below job/ (pacman, as root, writes the rest); the
        // directory around it is the host's alone: a sandbox that climbs out of job/
        // (UML's hostfs through `..`) finds no way on to the log, packages or state
        chmod(directory, geteuid() == 0 ? 0o700 : 0o755)
        chmod(workspace.job, 0o755)
        return workspace
    }

    /// Copies the pkgbase directory to `job/src`, as `cp -a` would (no symlinks followed
    /// out of it: a PKGBUILD tree is not trusted).
    func copySources(from directory: String) throws(SandboxError) {
        guard FileManager.default.fileExists(atPath: directory + "/PKGBUILD") else {
            throw .invalidJob("\(directory) has no PKGBUILD")
        }
        try HostCommand.run(["cp", "-a", "--no-dereference", directory + "/.", job + "/src/"].filter { !$0.isEmpty },
                            environment: ["PATH": "/usr/bin:/bin"])
    }

    /// Shows each repository to the sandbox without handing it anything published: the
    /// database is copied to `job/repos/NAME/NAME.db` (mode 0444, the host's), and each
    /// package file of the pool (a regular file named like a package, or its `.sig`) is a
    /// symbolic link `job/repos/NAME/FILE -> /pacbuild/.pools/NAME/FILE`, where the
    /// returned ``ReadOnlyBind`` shows the pool read-only. Never a hard link: a scriptlet
    /// running as root inside could write through one into the pool. A repository
    /// without a database yet (before its first publish) has nothing to offer and is
    /// left out.
    ///
    /// Refuses a repository name that is not one plain name (it becomes a path and a
    /// pacman.conf section) and a pool inside the job directory or holding the work
    /// directory (its read-only view would show the build its own workspace).
    func stageRepositories(_ repositories: [LocalRepository]) throws(SandboxError) -> StagedRepositories {
        var staged = StagedRepositories()
        for repository in repositories {
            if let reason = PackageNameRules.nameProblem(repository.name, field: "repository name") {
                throw .invalidJob("repository '\(repository.name)': \(reason)")
            }
            guard let source = Self.realPath(repository.database) else { continue }
            let pool = (source as NSString).deletingLastPathComponent
            try checkPool(pool, of: repository)
            let target = job + "/repos/" + repository.name
            try makeDirectory(target)
            let database = target + "/\(repository.name).db"
            do {
                try FileManager.default.copyItem(atPath: source, toPath: database)
            } catch {
                throw .io(path: database, reason: "cannot copy \(source): \(error.localizedDescription)")
            }
            guard chmod(database, 0o444) == 0 else { throw .io(path: database, reason: "cannot make it read-only: \(errnoText())") }
            let inside = SandboxJob.mountPoint + "/" + Self.poolsDirectory + "/" + repository.name
            try makeDirectory(job + "/" + Self.poolsDirectory + "/" + repository.name)  // where the pool appears
            for name in Self.poolFiles(in: pool) where symlink(inside + "/" + name, target + "/" + name) != 0 {
                throw .io(path: target + "/" + name, reason: "cannot link to \(inside)/\(name): \(errnoText())")
            }
            staged.repositories.append(LocalRepository(name: repository.name, database: database))
            staged.binds.append(ReadOnlyBind(host: pool, inside: inside))
        }
        return staged
    }

    /// `job/.pools/`: where the pools appear inside, below ``SandboxJob/mountPoint``.
    static let poolsDirectory = ".pools"

    /// The package files of a pool a build may install: regular files (by `lstat`, no
    /// link followed) named `NAME-VERSION-ARCH.pkg.tar[.EXT]` with valid values, and
    /// their `.sig`.
    static func poolFiles(in pool: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: pool)) ?? []
        return names.sorted().filter { name in
            let package = name.hasSuffix(".sig") ? String(name.dropLast(4)) : name
            var info = stat()
            return PackageFileName.parse(package) != nil && lstat(pool + "/" + name, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
        }
    }

    private func checkPool(_ pool: String, of repository: LocalRepository) throws(SandboxError) {
        let job = Self.realPath(job) ?? job, work = Self.realPath(directory) ?? directory
        if pool == job || pool.hasPrefix(job + "/") {
            throw .invalidJob("repository \(repository.name): its pool \(pool) is inside the job directory")
        }
        if pool == work || work.hasPrefix(pool == "/" ? "/" : pool + "/") {
            throw .invalidJob("repository \(repository.name): its pool \(pool) holds the build's work directory \(work)")
        }
    }

    /// The path with every link resolved (`realpath`), or `nil` when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    func write(_ text: String, to name: String, mode: Int = 0o644) throws(SandboxError) {
        let path = job + "/" + name
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: mode]) else {
            throw .io(path: path, reason: "cannot write")
        }
    }
}

/// The repositories as the sandbox sees them, and the pools it needs shown read-only.
struct StagedRepositories {
    /// Each with its database copy in `job/repos/NAME/NAME.db`.
    var repositories: [LocalRepository] = []
    var binds: [ReadOnlyBind] = []
}
