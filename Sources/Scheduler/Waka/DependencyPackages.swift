import Foundation
import Repo
import Sandbox

/// The packages a claimed build installs that its own dependency builds made, as a
/// throw-away repository in the build's work directory, so a waka needs none of the
/// repos' databases or pools (docs/distributed.md).
///
/// The dependency builds are walked transitively: pacman installing a dependency also
/// needs the packages that one depends on, and those may be builds of the same plan
/// that no repo database on this machine lists. Each build's uploaded package files
/// come through the ``PackageCache`` (fetched once per sha256, checked); a build with
/// nothing uploaded (SQLite, or a waka on the machine that built it) gives its reported
/// artifact paths when they are readable here. Packages that were in the repos before
/// the plan have no build and are not included: they still come from the configured
/// repos' databases, when this machine has them.
struct DependencyPackages: Sendable {
    /// The repository's name in the build's pacman.conf, listed before the configured repos.
    static let repositoryName = "pacbuild-deps"

    let store: any BuildStore
    let cache: PackageCache

    /// What ``repository(for:in:)`` wrote.
    struct Prepared: Sendable {
        var repository: LocalRepository
        /// The package files listed, in the repository directory.
        var packages: [String]
        /// File names fetched from the store this time (the rest were cached or local).
        var fetched: [String]
    }

    /// Every build `build` waits for, directly or through another, nearest first.
    func dependencyBuilds(of build: BuildID) throws -> [BuildID] {
        var order: [BuildID] = []
        var seen: Set<BuildID> = [build]
        var pending = [build]
        while !pending.isEmpty {
            for dependency in try store.dependencies(of: pending.removeFirst()) where seen.insert(dependency).inserted {
                order.append(dependency)
                pending.append(dependency)
            }
        }
        return order
    }

    /// Writes `DIRECTORY/pacbuild-deps.db.tar.gz` listing the dependency builds' packages
    /// (linked next to it); nil when they made none this machine can get.
    func repository(for build: BuildID, in directory: String) throws -> Prepared? {
        var sources: [(path: String, fetched: Bool)] = []
        for dependency in try dependencyBuilds(of: build) {
            sources += try packages(of: dependency)
        }
        guard !sources.isEmpty else { return nil }
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw SchedulerError.io(path: directory, reason: "cannot create the dependency repository: \(error.localizedDescription)")
        }
        var listed: [String] = []
        for source in sources {
            let name = (source.path as NSString).lastPathComponent
            do { try PackageFileName.check(name, from: source.path) } catch { throw SchedulerError.repo(error) }
            let target = directory + "/" + name
            guard !listed.contains(target) else { continue }
            try FileLinks.linkOrCopy(source.path, to: target)
            listed.append(target)
        }
        let database = directory + "/\(Self.repositoryName).db.tar.gz"
        let report: RepoUpdateReport
        do { report = try DatabaseWriter(path: database).add(listed) } catch { throw SchedulerError.repo(error) }
        if let failure = report.failures.first { throw SchedulerError.repo(failure) }
        return Prepared(repository: LocalRepository(name: Self.repositoryName, database: database), packages: listed,
                        fetched: sources.filter(\.fetched).map { ($0.path as NSString).lastPathComponent })
    }

    /// One dependency build's package files (not their `.sig`): uploaded ones through
    /// the cache, else its artifacts when readable here.
    private func packages(of build: BuildID) throws -> [(path: String, fetched: Bool)] {
        let stored = try store.files(of: build).filter { $0.kind == .package && !$0.name.hasSuffix(".sig") }
        if !stored.isEmpty { return try stored.map { try cache.file($0, from: store) } }
        return try store.build(build).artifacts.filter { access($0, R_OK) == 0 }.map { ($0, false) }
    }
}
