import Foundation
import Graph
import Sandbox

extension Configuration {
    /// The build root every build starts from: `build_root` as a path, or the named
    /// root under the state directory; throws when it is missing or incomplete, so a
    /// waka refuses to start instead of failing every build it claims.
    public func openBuildRoot() throws(SandboxError) -> BuildRoot {
        try openBuildRoot(named: global.buildRoot)
    }

    /// The build root builds of `repo` start from: its own `build_root`, else the global one.
    public func openBuildRoot(for repo: RepoConfig) throws(SandboxError) -> BuildRoot {
        try openBuildRoot(named: repo.buildRoot ?? global.buildRoot)
    }

    /// The build roots of the repos whose arch is among `arches` (every repo when
    /// empty), by repo name; throws for the first that is missing or incomplete.
    public func openBuildRoots(arches: [String]) throws(SandboxError) -> [String: BuildRoot] {
        var roots: [String: BuildRoot] = [:]
        for repo in repos where arches.isEmpty || arches.contains(repo.arch) {
            roots[repo.name] = try openBuildRoot(for: repo)
        }
        return roots
    }

    private func openBuildRoot(named name: String) throws(SandboxError) -> BuildRoot {
        guard name.contains("/") else { return try BuildRootStore(stateDirectory: global.stateDir).root(named: name) }
        let root = BuildRoot(name: (name as NSString).lastPathComponent, directory: name)
        guard FileManager.default.fileExists(atPath: root.directory) else {
            throw .rootNotFound(name: root.name, rootsDirectory: (name as NSString).deletingLastPathComponent)
        }
        guard root.isComplete else { throw .rootIncomplete(name: root.name, directory: root.directory) }
        return root
    }

    /// The repositories a build of `repo` installs from, in pacman.conf order: the repo
    /// itself, then its `depends_on` repos and theirs, each once (a package of `current`
    /// may be needed by a build of a repo that names only `extra`); each staging repo
    /// (`staging = true`) just before its real repo, so a dependency that is staged but
    /// not yet accepted is installed from staging, as Arch's `[staging]` precedes `[core]`.
    public func buildRepositories(for repo: RepoConfig) -> [LocalRepository] {
        var order: [RepoConfig] = []
        var pending = [repo]
        while !pending.isEmpty {
            let next = pending.removeFirst()
            guard !order.contains(where: { $0.name == next.name }) else { continue }
            order.append(next)
            pending += next.dependsOn.compactMap(self.repo(named:))
        }
        return order.flatMap { [$0.stagingRepository].compactMap { $0 } + [LocalRepository(name: $0.name, database: $0.db)] }
    }
}

extension RepoConfig {
    /// The reader its PKGBUILDs are evaluated with: its CARCH and makepkg.conf (Debian's
    /// default when it names none); `problem` says why a named one could not be read.
    public func reader() -> (reader: PKGBUILDReader, problem: String?) {
        guard let conf = makepkgConf else { return (PKGBUILDReader(environment: .debianDefault(carch: arch)), nil) }
        guard let data = FileManager.default.contents(atPath: conf) else {
            return (PKGBUILDReader(environment: .debianDefault(carch: arch)), "\(conf): cannot read the makepkg.conf; Debian's default is used")
        }
        return (PKGBUILDReader(environment: MakepkgEnvironment(makepkgConf: String(decoding: data, as: UTF8.self), carch: arch)), nil)
    }
}
