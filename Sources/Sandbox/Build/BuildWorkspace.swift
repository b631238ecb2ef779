import Foundation

/// The host side of one build, `WORK/`: `job/` is what the sandbox sees at
/// ``SandboxJob/mountPoint`` (the PKGBUILD's copy in `src/`, packages in `out/`, the
/// repositories in `repos/`, pacman.conf, makepkg.conf and the script), and
/// `build.log` stays outside, where the build cannot rewrite it.
struct BuildWorkspace {
    let directory: String
    var job: String { directory + "/job" }
    var log: String { directory + "/build.log" }
    var output: String { job + "/out" }

    /// Makes a fresh workspace; anything left from an earlier build there is removed.
    static func make(at directory: String) throws(SandboxError) -> BuildWorkspace {
        let workspace = BuildWorkspace(directory: directory)
        try? FileManager.default.removeItem(atPath: workspace.job)
        for path in [workspace.job, workspace.output, workspace.job + "/repos"] { try makeDirectory(path) }
        // builder reads everything below job/ (pacman, as root, writes the rest)
        chmod(directory, 0o755)
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

    /// Links each repository's database (as `NAME.db`) and its package files into
    /// `job/repos/NAME/`; hard links where possible, copies otherwise. A repository
    /// without a database yet (before its first publish) has nothing to offer and is
    /// left out. Returns the staged repositories with their staged database paths.
    func stageRepositories(_ repositories: [LocalRepository]) throws(SandboxError) -> [LocalRepository] {
        var staged: [LocalRepository] = []
        for repository in repositories {
            let source = (repository.database as NSString).resolvingSymlinksInPath
            guard FileManager.default.fileExists(atPath: source) else { continue }
            let target = job + "/repos/" + repository.name
            try makeDirectory(target)
            try linkOrCopy(source, to: target + "/\(repository.name).db")
            let poolDirectory = (source as NSString).deletingLastPathComponent
            let names = (try? FileManager.default.contentsOfDirectory(atPath: poolDirectory)) ?? []
            for name in names where name.contains(".pkg.tar") {
                try linkOrCopy(poolDirectory + "/" + name, to: target + "/" + name)
            }
            staged.append(LocalRepository(name: repository.name, database: target + "/\(repository.name).db"))
        }
        return staged
    }

    func write(_ text: String, to name: String, mode: Int = 0o644) throws(SandboxError) {
        let path = job + "/" + name
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: mode]) else {
            throw .io(path: path, reason: "cannot write")
        }
    }

    private func linkOrCopy(_ source: String, to target: String) throws(SandboxError) {
        if link(source, target) == 0 { return }
        do { try FileManager.default.copyItem(atPath: source, toPath: target) } catch {
            throw .io(path: target, reason: "cannot link or copy \(source): \(error.localizedDescription)")
        }
    }
}
