import Foundation
import Sandbox

extension Configuration {
    /// The `file` of a repo read from the store's settings, not from repos.d.
    static let storeFile = "store"

    /// A `--root` waka's configuration (``remote(storeURL:settings:stateDirectory:buildRoot:)``):
    /// every repo from the store, none of their files here.
    public var isFromStore: Bool { !repos.isEmpty && repos.allSatisfy { $0.file == Self.storeFile } }

    /// The configuration of a waka that has no configuration directory, only a store and
    /// a build root (`pacbuild waka --store URL --root DIR`): each repo as the store
    /// recorded it at catchup (``RepoSettings``), with no ABS trees (PKGBUILDs come from
    /// the store) and databases that do not exist here (dependency packages come from the
    /// store). Such a waka never publishes: it cannot reach the repos' databases, so every
    /// repo is treated as `review = "manual"` and its builds wait `built` for the owner.
    /// A repo's makepkg.conf is written under `STATE/remote/NAME/` for the build.
    public static func remote(storeURL: String, settings: [RepoSettings], stateDirectory: String,
                              buildRoot: String) throws(SchedulerError) -> Configuration {
        guard !settings.isEmpty else {
            throw .cannotStart("the store records no repo settings; run pacbuild catchup on the master with this pacbuild version first")
        }
        let here = ConfigPaths(base: FileManager.default.currentDirectoryPath)
        let state = here.resolve(stateDirectory)
        var repos: [RepoConfig] = []
        for repo in settings {
            let directory = state + "/remote/\(repo.repo)"
            do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
                throw .io(path: directory, reason: "cannot create: \(error.localizedDescription)")
            }
            let makepkgConf = repo.makepkgConf.map { _ in directory + "/makepkg.conf" }
            if let path = makepkgConf, let contents = repo.makepkgConf,
               !FileManager.default.createFile(atPath: path, contents: Data(contents.utf8)) {
                throw .io(path: path, reason: "cannot write the repo's makepkg.conf")
            }
            repos.append(RepoConfig(
                name: repo.repo, arch: repo.arch, abs: [], db: directory + "/\(repo.repo).db.tar.gz", pool: directory,
                dependsOn: repo.dependsOn, makepkgConf: makepkgConf, pacmanConf: nil, sandbox: repo.sandbox, network: repo.network,
                review: .manual, staging: false, stagingDb: nil, hooks: RepoHooks(workingDirectory: state), blacklist: [],
                bootstrap: [], archPolicy: .strict, tags: BuildTags(), server: repo.server, file: Self.storeFile))
        }
        var global = GlobalConfig.defaults(paths: ConfigPaths(base: state))
        global.stateDir = state
        global.store = StoreLocation(url: storeURL, resolve: { $0 }) ?? global.store
        global.buildRoot = buildRoot.contains("/") ? here.resolve(buildRoot) : buildRoot
        return Configuration(directory: state, global: global, repos: repos, errors: [])
    }
}
