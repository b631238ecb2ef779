import Foundation
import Graph
import Repo

/// Accepts built builds into their repos: the packages are checked against the build
/// (every file a package of its pkgbase at its version), published (pool, database,
/// hooks: ``Publisher``), and only then is the build marked accepted, so a crash before
/// the mark leaves a build that a re-run of accept completes (publishing is idempotent).
public struct Acceptor: Sendable {
    public var store: any BuildStore
    public var repos: [String: RepoConfig]
    /// Where a build's artifacts are on this machine: the recorded paths by default; a
    /// store keeping them elsewhere (a remote waka's uploads) fetches them here.
    public var localArtifacts: @Sendable (BuildRecord) throws -> [String]

    public init(store: any BuildStore, repos: [RepoConfig],
                localArtifacts: @escaping @Sendable (BuildRecord) throws -> [String] = { $0.artifacts }) {
        self.store = store
        self.repos = Dictionary(repos.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        self.localArtifacts = localArtifacts
    }

    /// What accepting one build did.
    public struct Outcome: Sendable {
        public var build: BuildRecord
        public var publish: PublishResult
    }

    public func accept(_ id: BuildID) throws -> Outcome {
        let build = try store.build(id)
        guard build.state.name == .built || build.state.name == .accepted else {
            throw SchedulerError.notAcceptable(id: id.description, state: build.state.name.rawValue)
        }
        guard let repo = repos[build.package.repo] else {
            throw SchedulerError.unknownPackage(build.package.repo, repos: repos.keys.sorted())
        }
        let files = try localArtifacts(build)
        guard !files.isEmpty else { throw SchedulerError.noArtifacts(id: id.description) }
        for file in files {
            let info: PackageFile
            do { info = try PackageFile.read(at: file) } catch { throw SchedulerError.repo(error) }
            let version = info.info.version?.description ?? "?"
            let base = info.info.base ?? info.info.name ?? "?"
            guard base == build.package.pkgbase, version == build.version else {
                throw SchedulerError.wrongArtifact(file: file, expected: "\(build.package.pkgbase) \(build.version)",
                                                   found: "\(base) \(version)")
            }
        }
        let result = try Publisher(target: PublishTarget(repo)).publish(files.map { ($0, nil) })
        if build.state.name == .built { try store.accept(id) }
        return Outcome(build: try store.build(id), publish: result)
    }
}
