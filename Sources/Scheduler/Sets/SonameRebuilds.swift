import Foundation
import Graph

/// `soname_rebuilds = "auto"`: when a build's packages stop providing a soname its
/// repo's current packages provide, the packages linked against the old soname (in the
/// build's repo and every repo whose `depends_on` names it) are rebuilt against the new
/// library, and the library and the rebuilds form one ``RebuildSet`` published together.
///
/// Each consumer is queued as a rebuild of its current PKGBUILD with the next rebuild
/// number on pkgrel (``RebuildNumber``: the repo's `2` or `2.1` becomes `2.1` or `2.2`);
/// a PKGBUILD newer than the repo is queued at its own version; a consumer already
/// queued and not started joins the set as it is. A rebuild waits for the library build
/// and for the other consumers it depends on (by the names its PKGBUILD's depends,
/// makedepends and checkdepends give), so it installs them from the dependency
/// repository the waka writes from their builds, never the published repo. The library
/// build is held in the store (``BuildStore/stage(_:)``: its dependents become ready)
/// until the set is published.
public struct SonameRebuilds: Sendable {
    public var store: any BuildStore
    public var repos: [RepoConfig]
    public var stateDirectory: String

    public init(store: any BuildStore, repos: [RepoConfig], stateDirectory: String) {
        self.store = store
        self.repos = repos
        self.stateDirectory = stateDirectory
    }

    /// What ``queue(after:)`` did.
    public struct Outcome: Sendable {
        public var set: RebuildSet
        /// The builds queued or joined, each with its version.
        public var members: [BuildRecord]
        /// Consumers that could not be queued, each as a sentence.
        public var problems: [String]
    }

    /// Opens the set of a built build whose repo has `soname_rebuilds = "auto"` and whose
    /// packages drop a soname some package still needs; nil when there is nothing to do
    /// (another repo setting, no bump, no consumer, or a set already open for it).
    public func queue(after build: BuildRecord) throws -> Outcome? {
        guard build.state == .built, let repo = repos.first(where: { $0.name == build.package.repo }) else { return nil }
        if try store.rebuildSet(of: build.id) != nil {
            try hold(build)
            return nil
        }
        guard repo.sonameRebuilds == .auto else { return nil }
        var reviewer = BuildReviewer(repos: repos, store: store, stateDirectory: stateDirectory)
        let bump = reviewer.sonameBump(of: build, facts: try store.packageFacts(of: build.id))
        guard !bump.bumps.isEmpty, !bump.consumerBases.isEmpty else { return nil }
        var problems = bump.problems
        var planned: [(build: PlannedBuild, source: BuildSource)] = []
        var joining: [BuildID] = []
        for consumer in bump.consumerBases {
            guard let consumerRepo = repos.first(where: { $0.name == consumer.package.repo }) else { continue }
            let builds = try store.builds(of: consumer.package)
            if let queued = builds.last(where: { [.waiting, .ready, .blocked].contains($0.state.name) }) {
                joining.append(queued.id)
                continue
            }
            let source: BuildSource
            do { source = try BuildSource.current(consumer.package, in: consumerRepo) } catch {
                problems.append("\(consumer.package): not rebuilt: \(error)")
                continue
            }
            guard let version = Self.version(of: source.srcinfo.fullVersion, repo: consumer.version, builds: builds) else {
                problems.append("\(consumer.package): not rebuilt: its pkgrel \(source.srcinfo.base["pkgrel"]?.first ?? "?") "
                                + "has no room for a rebuild number (makepkg allows one dot); bump it by hand")
                continue
            }
            let planned1 = PlannedBuild(consumer.package, version: version, arch: consumerRepo.arch,
                                        priority: build.priority, dependencies: [build.package],
                                        requiredTags: consumerRepo.tags.required(for: consumer.package.pkgbase))
            planned.append((planned1, source))
        }
        // a rebuild waits for the rebuilds of the consumers it depends on
        let provided = planned.map { Set($0.source.srcinfo.pkgnames + Self.names($0.source.srcinfo, keys: ["provides"])) }
        for (index, item) in planned.enumerated() {
            let needs = Set(Self.names(item.source.srcinfo, keys: ["depends", "makedepends", "checkdepends"]))
            for (other, names) in provided.enumerated() where other != index && !names.isDisjoint(with: needs) {
                planned[index].build.dependencies.append(planned[other].build.package)
            }
        }
        guard !planned.isEmpty || !joining.isEmpty else {
            return nil
        }
        let gone = bump.bumps.map(\.soname).joined(separator: ", ")
        let reason = "\(build.package) \(build.version) drops \(gone)"
        let (set, _) = try store.enqueueSet(planned.map(\.build), root: build.id, joining: joining, reason: reason)
        try hold(try store.build(build.id))
        let members = try set.members.filter { $0.build != build.id }.map { try store.build($0.build) }
        return Outcome(set: set, members: members, problems: problems)
    }

    /// A built member of an open set, in a repo without a staging repo, is marked staged
    /// (held in the store): the members that depend on it become ready and install it from
    /// their dependency repository. A staging repo's build is staged by the waka as usual.
    public func hold(_ build: BuildRecord) throws {
        guard build.state == .built, build.stagedAt == nil,
              repos.first(where: { $0.name == build.package.repo })?.stagingTarget == nil,
              try store.rebuildSet(of: build.id) != nil else { return }
        try store.stage(build.id)
    }

    /// The version a consumer is rebuilt at: its PKGBUILD's own when that is newer than
    /// the repo's, else the PKGBUILD's with the next rebuild number above the repo's and
    /// every build's of it; nil when its pkgrel takes no rebuild number.
    static func version(of pkgbuildVersion: String, repo: String, builds: [BuildRecord]) -> String? {
        if Version.compare(pkgbuildVersion, repo) > 0 && RebuildNumber.number(of: repo, over: pkgbuildVersion) == nil {
            return pkgbuildVersion
        }
        let numbers = ([repo] + builds.map(\.version)).compactMap { RebuildNumber.number(of: $0, over: pkgbuildVersion) }
        return RebuildNumber.version(pkgbuildVersion, number: (numbers.max() ?? 0) + 1)
    }

    /// The package names the values of `keys` (and their `_ARCH` variants) name, of the
    /// pkgbase and each package, without version constraints.
    static func names(_ srcinfo: SrcInfo, keys: [String]) -> [String] {
        let sections = [srcinfo.base] + srcinfo.packages.map(\.section)
        return sections.flatMap { section in
            section.attributes.filter { attribute in keys.contains { attribute.key == $0 || attribute.key.hasPrefix($0 + "_") } }
                .flatMap(\.values)
        }.map { Dependency($0).name }
    }
}
