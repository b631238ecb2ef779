import Foundation
import Graph
import Repo

/// Accepts built builds into their repos: the packages are checked against the build
/// (every file a package of its pkgbase at its version, with the sha256 the store
/// recorded when the build was reported, and not older than what the repo holds),
/// published (pool, database, hooks: ``Publisher``), and only then is the build marked
/// accepted, so a crash before the mark leaves a build that a re-run of accept (or
/// ``Recovery``) completes: publishing is idempotent. A cycle member's pass 2 has the
/// version its accepted pass 1 has; it replaces pass 1's pool file of the same name
/// (only that one) and its database entry.
///
/// `pacbuild accept` and the waka's auto-accept (`review = "auto"`) both go through here.
public struct Acceptor: Sendable {
    public var store: any BuildStore
    public var repos: [String: RepoConfig]
    /// Where a build's artifacts are on this machine: the recorded paths by default; a
    /// store keeping them elsewhere (a remote waka's uploads) fetches them here.
    public var localArtifacts: @Sendable (BuildRecord) throws -> [String]
    /// How long to wait for a repo's lock held by another update.
    public var lockTimeout: TimeInterval = 300

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
        /// The build was accepted before this call; nothing was published again.
        public var alreadyAccepted = false
        /// The open rebuild set that holds the build back (approved, not published):
        /// it is published with the set once every member is built and approved.
        public var heldBy: RebuildSet? = nil
        /// The set publication this accept completed, every member's packages in every
        /// repo at once (docs/review.md#rebuild-sets).
        public var publication: SetPublisher.Publication? = nil
    }

    /// Artifacts as recorded when this machine can read them; otherwise fetched from the
    /// store's uploads (a remote waka's, docs/distributed.md) into
    /// `STATE/artifacts/ID/`, with the `.sig` when one was uploaded. Each fetched file's
    /// size and sha256 are checked against the upload's, and accept checks the package's
    /// sha256 against the one recorded at report as well.
    public static func fetchingArtifacts(from store: any BuildStore, stateDirectory: String)
        -> @Sendable (BuildRecord) throws -> [String] {
        { build in
            let missing = build.artifacts.filter { access($0, R_OK) != 0 }
            guard !missing.isEmpty else { return build.artifacts }
            let stored = Set(try store.files(of: build.id).filter { $0.kind == .package }.map(\.name))
            let directory = stateDirectory + "/artifacts/\(build.id.rawValue)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            return try build.artifacts.map { path in
                guard access(path, R_OK) != 0 else { return path }
                let name = (path as NSString).lastPathComponent
                // recorded by a waka: never a path of its choosing below this directory
                try PackageFileName.check(name, from: "build \(build.id)'s artifact \(path)")
                guard stored.contains(name) else { return path } // PackageFile.read reports it missing
                let local = directory + "/" + name
                try store.fetchFile(build.id, kind: .package, name: name, to: local)
                if stored.contains(name + ".sig") { try store.fetchFile(build.id, kind: .package, name: name + ".sig", to: local + ".sig") }
                return local
            }
        }
    }

    /// Accepts one build. An already accepted build is left alone: publishing it again
    /// could put an older version back over a newer one accepted since.
    public func accept(_ id: BuildID) throws -> Outcome {
        let build = try store.build(id)
        if build.state == .accepted { return Outcome(build: build, publish: PublishResult(), alreadyAccepted: true) }
        guard build.state == .built else {
            throw SchedulerError.notAcceptable(id: id.description, state: build.state.name.rawValue)
        }
        guard let repo = repos[build.package.repo] else {
            throw SchedulerError.unknownPackage(build.package.repo, repos: repos.keys.sorted())
        }
        if let set = try store.rebuildSet(of: id) {
            // held by its set: approved now, published with the set's other members
            _ = try checkedPackages(of: build, repo: repo)
            try store.approveSetMember(id)
            var publisher = SetPublisher(store: store, repos: Array(repos.values), localArtifacts: localArtifacts)
            publisher.lockTimeout = lockTimeout
            let publication = try publisher.publishIfComplete(set.id)
            return Outcome(build: try store.build(id), publish: publication?.results[repo.name] ?? PublishResult(),
                           heldBy: publication == nil ? try store.rebuildSet(set.id) : nil, publication: publication)
        }
        for dependency in try store.dependencies(of: id).map(store.build) where dependency.state == .built {
            throw SchedulerError.dependencyNotAccepted(id: id.description,
                                                       dependency: "\(dependency.id) \(dependency.package) \(dependency.version)")
        }
        let packages = try checkedPackages(of: build, repo: repo)
        var publisher = Publisher(target: PublishTarget(repo))
        publisher.lockTimeout = lockTimeout
        publisher.replaceable = try earlierPasses(of: build)
        var result = try publisher.publish(packages)
        do {
            try store.accept(id)
        } catch StoreError.refused(_, _) where (try? store.build(id).state) == .accepted {
            // another accept of the same build (or `pacbuild recover`) finished first
        }
        if repo.staging {
            // Published and accepted: leaving staging is cleanup, which the next staging,
            // accept or `pacbuild recover` repeats, so it cannot fail the accept.
            var stager = Stager(store: store, repos: Array(repos.values))
            stager.lockTimeout = lockTimeout
            do { result.unstaged = try stager.reconcile(repo) } catch { result.warnings.append("staging: \(error)") }
        }
        return Outcome(build: try store.build(id), publish: result)
    }

    /// The build's package files with their recorded sha256, checked: each a package of
    /// its pkgbase at its version, none older than what the repo holds.
    func checkedPackages(of build: BuildRecord, repo: RepoConfig) throws -> [(path: String, sha256: String?)] {
        let packages = try BuildPackages.withChecksums(of: build, store: store, localArtifacts: localArtifacts)
        let present = try Self.versionsInRepo(repo)
        for file in packages.map(\.path) {
            let info: PackageFile
            do {
                info = try PackageFile.read(at: file)
                try info.info.checkNames(file: file)
            } catch { throw SchedulerError.repo(error) }
            let version = info.info.version?.description ?? "?"
            let base = info.info.base ?? info.info.name ?? "?"
            guard base == build.package.pkgbase, version == build.version else {
                throw SchedulerError.wrongArtifact(file: file, expected: "\(build.package.pkgbase) \(build.version)",
                                                   found: "\(base) \(version)")
            }
            if let name = info.info.name, let old = present[name], Version.compare(old, version) > 0 {
                throw SchedulerError.olderThanRepo(file: file, present: "\(name) \(old)")
            }
        }
        return packages
    }

    /// The sha256 of the packages of the accepted earlier passes of `build`'s version: a
    /// cycle member's pass 2 replaces its pass 1 in the pool under the same file name.
    func earlierPasses(of build: BuildRecord) throws -> Set<String> {
        guard build.pass > 1 else { return [] }
        let earlier = try store.builds(of: build.package).filter {
            $0.version == build.version && $0.pass < build.pass && $0.state == .accepted
        }
        // recorded at report; a remote waka's packages are known by their upload instead
        return Set(try earlier.flatMap { pass in
            try Array(store.artifactChecksums(of: pass.id).values) + store.files(of: pass.id).filter { $0.kind == .package }.map(\.sha256)
        })
    }

    /// `builds` with each one's dependencies among them before it (a superseding version
    /// has a higher id than the dependents its edges moved to), otherwise by id; a cycle,
    /// which catch-up never queues, keeps the id order.
    public func dependencyOrder(_ builds: [BuildRecord]) throws -> [BuildRecord] {
        var left = builds.sorted { $0.id < $1.id }
        let ids = Set(left.map(\.id))
        var needs = [BuildID: Set<BuildID>]()
        for build in left { needs[build.id] = Set(try store.dependencies(of: build.id)).intersection(ids) }
        var order: [BuildRecord] = []
        var done = Set<BuildID>()
        while !left.isEmpty {
            let next = left.firstIndex { needs[$0.id, default: []].isSubset(of: done) } ?? 0
            let build = left.remove(at: next)
            order.append(build)
            done.insert(build.id)
        }
        return order
    }

    /// The version of each package now in the repo's database (none before its first publish).
    static func versionsInRepo(_ repo: RepoConfig) throws -> [String: String] {
        guard FileManager.default.fileExists(atPath: repo.db) else { return [:] }
        do {
            return Dictionary(try SyncDatabase.read(at: repo.db).entries.map { ($0.name, $0.version.description) },
                              uniquingKeysWith: { a, _ in a })
        } catch {
            throw SchedulerError.repo(error)
        }
    }
}
