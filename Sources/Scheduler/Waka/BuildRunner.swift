import Foundation
import Repo
import Sandbox

/// Runs one claimed build to its report: finds its PKGBUILD, builds it in its repo's
/// sandbox against its dependency builds' packages and the repos' databases, keeps the
/// log and packages under `STATE/artifacts/ID/`, reports, stages it when the repo has
/// `staging = true`, and accepts it when the repo's review is `auto`. Every failure to even attempt the build is reported as a failure with a
/// class and a reason, so a claimed build never stays `building` by accident.
struct BuildRunner: Sendable {
    let configuration: Configuration
    let store: any BuildStore
    /// The build root of each repo, by name (``Configuration/openBuildRoots(arches:)``).
    let roots: [String: BuildRoot]
    let worker: String
    /// Serializes this waka's publishing: the database writer refuses a second writer
    /// rather than waiting for it.
    let publishLock: NSLock
    /// Told the served repos a build left out because their server has no database yet.
    var unpublished: @Sendable ([String]) -> Void = { _ in }

    /// How a claimed build ended for this waka.
    enum Outcome: Sendable {
        case reported(BuildRecord)
        /// Stopped at shutdown and given back.
        case gaveBack
    }

    func run(_ build: BuildRecord, shouldStop: @escaping @Sendable () -> Bool) throws -> Outcome {
        let state = configuration.global.stateDir
        let work = state + "/work/\(build.id.rawValue)"
        // this waka holds the build now: whatever an earlier attempt left there is dead
        try? FileManager.default.removeItem(atPath: work)
        ScratchLocks.shared.hold(work)  // in use while this process lives (WorkSweeper)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let result: Sandbox.BuildResult
        do {
            guard let repo = configuration.repo(named: build.package.repo) else {
                throw SchedulerError.cannotStart("repo \(build.package.repo) is not in this waka's configuration")
            }
            let source = try BuildSource.find(build, in: repo, store: store, work: work)
            guard let root = roots[repo.name] else {
                throw SchedulerError.cannotStart("repo \(repo.name) (\(repo.arch)) has no build root open on this waka")
            }
            var job = BuildJob(srcinfo: source.srcinfo, directory: source.directory, carch: repo.arch,
                               makepkgConf: repo.makepkgConf, network: repo.network)
            job.architectureCheck = repo.architectureCheck
            job.repositories = try repositories(for: build, of: repo, dependencies: job.dependencies, work: work)
            job.shouldStop = shouldStop
            job.limits = repo.limits
            // sources are shared through the store when it is shared (PostgreSQL), as logs are
            let shared: (any SharedSources)? = store is PostgresStore ? StoreSources(store: store, build: build.id) : nil
            job.sourceFetch = configuration.global.sources.fetchSettings(stateDirectory: state, shared: shared)
            let backend = try SandboxBackends.make(repo.sandbox, stateDirectory: state)
            result = try SandboxBuild(backend: backend, root: root, workDirectory: work, scratchParent: state + "/tmp",
                                    memory: configuration.global.umlMem).run(job)
        } catch let error as SchedulerError {
            let failureClass: FailureClass = switch error {
            case .cannotStart, .serverUnavailable: .sandbox
            case .dependenciesNotFound: .dependencies
            case .repo(.refusedValue): .verification
            default: .source
            }
            return .reported(try store.report(build.id, worker: worker, result: .failed(failureClass, reason: error.description, log: nil)))
        } catch {
            return .reported(try store.report(build.id, worker: worker, result: .failed(.sandbox, reason: "\(error)", log: nil)))
        }
        if shouldStop() {
            try store.release(build.id, worker: worker)
            return .gaveBack
        }
        return .reported(try report(build, result))
    }

    /// Where the build installs from, in pacman.conf order: its dependency builds'
    /// packages (``DependencyPackages``, from the store or this machine's artifacts), then
    /// the configured repos: those whose database is on this machine as they are, those
    /// without it but with a `server` as the packages fetched from there
    /// (``ServerPackages``), the rest left out (the waka said so at start).
    private func repositories(for build: BuildRecord, of repo: RepoConfig, dependencies: [String],
                              work: String) throws -> [LocalRepository] {
        let state = configuration.global.stateDir
        let prepared: DependencyPackages.Prepared?
        do {
            prepared = try DependencyPackages(store: store, cache: PackageCache(stateDirectory: state))
                .repository(for: build.id, in: work + "/deps")
        } catch {
            throw SchedulerError.cannotStart("cannot get the dependency packages of build \(build.id): \(error)")
        }
        var sources = prepared.map { [ServerPackages.Source.local($0.repository)] } ?? []
        for repository in configuration.buildRepositories(for: repo) {
            if FileManager.default.fileExists(atPath: repository.database) {
                sources.append(.local(repository))
            } else if let server = configuration.repo(named: repository.name)?.server {
                sources.append(.served(name: repository.name, server: server))
            }
        }
        let served = try ServerPackages(stateDirectory: state).repositories(sources, dependencies: dependencies, arch: repo.arch, work: work)
        if !served.unpublished.isEmpty { unpublished(served.unpublished) }
        return served.repositories
    }

    /// Keeps the log and packages, then reports, a built build with each package's
    /// `.PKGINFO` facts (review reads them from the store, wherever the files are); a
    /// failure's class maps by name (the scheduler's classes are the sandbox's plus `lost`).
    private func report(_ build: BuildRecord, _ result: Sandbox.BuildResult) throws -> BuildRecord {
        let kept: (log: String?, packages: [String])
        do {
            kept = try ArtifactDirectory(stateDirectory: configuration.global.stateDir, build: build.id)
                .keep(log: result.logPath, packages: result.failure == nil ? result.packages.map(\.path) : [])
        } catch {
            return try store.report(build.id, worker: worker, result: .failed(.sandbox, reason: error.description, log: nil))
        }
        do {
            try upload(build.id, log: kept.log, packages: kept.packages)
        } catch {
            return try store.report(build.id, worker: worker, result: .failed(
                .sandbox, reason: "cannot upload the build's files to the store: \(error)", log: kept.log))
        }
        guard let failure = result.failure else {
            let facts: [PackageFacts]
            do {
                facts = try kept.packages.map { path throws(RepoError) in try PackageFacts.read(at: path) }
            } catch {
                return try store.report(build.id, worker: worker, result: .failed(
                    .package, reason: "cannot read a kept package's .PKGINFO: \(error)", log: kept.log))
            }
            return try store.report(build.id, worker: worker, result: .built(log: kept.log, artifacts: kept.packages, facts: facts))
        }
        let failureClass = failure.failureClass
        return try store.report(build.id, worker: worker, result: .failed(failureClass, reason: failure.reason, log: kept.log))
    }

    /// With a shared store (PostgreSQL), the log and packages (with their `.sig`) go into
    /// the store before the report, so whoever accepts needs no access to this machine;
    /// with SQLite they stay in the state directory.
    private func upload(_ build: BuildID, log: String?, packages: [String]) throws {
        guard store is PostgresStore else { return }
        if let log { try store.putFile(build, kind: .log, name: BuildLogs.storedName, from: log) }
        for package in packages {
            let name = (package as NSString).lastPathComponent
            try store.putFile(build, kind: .package, name: name, from: package)
            if FileManager.default.fileExists(atPath: package + ".sig") {
                try store.putFile(build, kind: .package, name: name + ".sig", from: package + ".sig")
            }
        }
    }

    /// Publishes a built build of a `staging = true` repo to its staging database, so
    /// its dependents become ready; nil for other repos. Under the waka's publish lock,
    /// as accept: the database writer refuses a second writer rather than waiting.
    func stageIfStaging(_ build: BuildRecord) throws -> BuildRecord? {
        guard build.state == .built, configuration.repo(named: build.package.repo)?.staging == true else { return nil }
        publishLock.lock()
        defer { publishLock.unlock() }
        _ = try Stager(store: store, repos: configuration.repos,
                       localArtifacts: Acceptor.fetchingArtifacts(from: store, stateDirectory: configuration.global.stateDir))
            .stage(build.id)
        return try store.build(build.id)
    }

    /// Publishes a built build of a `review = "auto"` repo; nil when the repo wants review.
    /// A member of a rebuild set is approved and waits for the set (``Acceptor``).
    func acceptIfAuto(_ build: BuildRecord) throws -> Acceptor.Outcome? {
        guard build.state == .built, configuration.repo(named: build.package.repo)?.review == .auto else { return nil }
        publishLock.lock()
        defer { publishLock.unlock() }
        return try Acceptor(store: store, repos: configuration.repos,
                            localArtifacts: Acceptor.fetchingArtifacts(from: store, stateDirectory: configuration.global.stateDir))
            .accept(build.id)
    }

    /// After a rebuild set's publication: the built builds of `review = "auto"` repos that
    /// depend on a published member (an outside dependent of a cycle, of a `--reverse`
    /// set or of a soname rebuild, built against the held members), whose auto-accept was
    /// refused while the member was held, are accepted now, and so on for what those
    /// accepts publish in turn. Returns what happened, as events.
    func acceptDependents(of published: [BuildRecord]) -> [WakaEvent] {
        let repos = configuration.repos.filter { $0.review == .auto }.map(\.name)
        var events: [WakaEvent] = []
        var tried = Set(published.map(\.id))
        var wave = Set(published.map(\.id))
        while !wave.isEmpty {
            let candidates = (try? repos.flatMap { try store.builds(state: .built, repo: $0, limit: nil) }) ?? []
            var next = Set<BuildID>()
            for build in candidates where !tried.contains(build.id) {
                guard let dependencies = try? store.dependencies(of: build.id), !wave.isDisjoint(with: dependencies) else { continue }
                tried.insert(build.id)
                do {
                    guard let outcome = try acceptIfAuto(build) else { continue }
                    events.append(.accept(outcome))
                    if outcome.build.state == .accepted { next.insert(build.id) }
                    next.formUnion(outcome.publication?.published.map(\.id) ?? [])
                } catch {
                    events.append(.acceptFailed(build, reason: "\(error)"))
                }
            }
            wave = next
        }
        return events
    }

    /// Whether this waka opens, holds and publishes rebuild sets: only one that publishes
    /// builds does. A waka connected as a worker role may not write the sets (nor publish
    /// anything), and a `--root` waka (its repos from the store, none of their files here)
    /// publishes nothing; the owner's waka with the repos' files, or `pacbuild run`,
    /// handles the sets of their builds too (``ReportedBuilds``).
    var handlesSets: Bool {
        (store as? SQLBackedStore)?.workerRoleCalls == nil && !configuration.isFromStore
    }

    /// Opens the rebuild set of a built build whose repo has `soname_rebuilds = "auto"`
    /// and whose packages drop a soname other packages need, or holds a built member of
    /// an open set for its dependents (``SonameRebuilds``).
    /// Nothing on a waka that does not handle sets (``handlesSets``).
    func queueSonameRebuilds(_ build: BuildRecord) throws -> SonameRebuilds.Outcome? {
        guard build.state == .built, handlesSets else { return nil }
        publishLock.lock()
        defer { publishLock.unlock() }
        return try SonameRebuilds(store: store, repos: configuration.repos, stateDirectory: configuration.global.stateDir).queue(after: build)
    }
}
