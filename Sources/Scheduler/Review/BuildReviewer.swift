import Foundation
import Graph
import Repo

/// Builds ``BuildReview``s: each build's packages, by the `.PKGINFO` facts its waka
/// recorded with the report (read from the package file for a build reported without
/// them), against its repo's files database (read once per repo; the plain database
/// when there is no files database, which then shows no file differences). The package
/// file itself is needed only for its file list: the reported path when readable here,
/// else the copy uploaded to the store.
public struct BuildReviewer {
    public var repos: [String: RepoConfig]
    /// Where the logs are read for the warning count: the reported path when readable
    /// here, else the log a remote waka uploaded (fetched into the cache); nil: only
    /// the reported path.
    public var logs: BuildLogs?
    /// The store of the reviewed builds, for their recorded facts; nil: every package
    /// is read from its reported path.
    private let store: (any BuildStore)?
    /// Finds a build's package files on this machine, fetching uploaded ones.
    private let localArtifacts: (@Sendable (BuildRecord) throws -> [String])?
    private var databases: [String: Result<[DatabaseEntry], RepoError>] = [:]
    /// The sonames of the pool's package files, for soname bumps.
    var sonames: SonameCache

    /// A reviewer that reads only what is at the reported paths on this machine.
    public init(repos: [RepoConfig]) {
        self.init(repos: repos, logs: nil, store: nil, localArtifacts: nil, stateDirectory: nil)
    }

    /// A reviewer that reads the facts recorded in `store`, and fetches uploaded logs
    /// and package files into `stateDirectory` when the reported paths are not here.
    public init(repos: [RepoConfig], store: any BuildStore, stateDirectory: String) {
        self.init(repos: repos, logs: BuildLogs(store: store, stateDirectory: stateDirectory), store: store,
                  localArtifacts: Acceptor.fetchingArtifacts(from: store, stateDirectory: stateDirectory), stateDirectory: stateDirectory)
    }

    private init(repos: [RepoConfig], logs: BuildLogs?, store: (any BuildStore)?,
                 localArtifacts: (@Sendable (BuildRecord) throws -> [String])?, stateDirectory: String?) {
        self.repos = Dictionary(repos.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        self.logs = logs
        self.store = store
        self.localArtifacts = localArtifacts
        sonames = SonameCache(stateDirectory: stateDirectory)
    }

    public mutating func review(_ build: BuildRecord) -> BuildReview {
        var problems: [String] = []
        let entries: [DatabaseEntry]
        switch repoEntries(build.package.repo) {
        case .success(let list): entries = list
        case .failure(let error): entries = []; problems.append(error.description)
        }
        let old = entries.filter { ($0.base ?? $0.name) == build.package.pkgbase }
        let byName = Dictionary(old.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var recorded: [String: PackageFacts] = [:]
        do {
            recorded = Dictionary(try store?.packageFacts(of: build.id).map { ($0.filename, $0) } ?? [], uniquingKeysWith: { a, _ in a })
        } catch {
            problems.append("cannot read the recorded package facts: \(error)")
        }
        var files = ReviewPackageFiles(build: build, fetch: localArtifacts)
        var changes: [PackageChange] = []
        var built: [PackageFacts] = []
        for (index, path) in build.artifacts.enumerated() {
            if let facts = recorded[(path as NSString).lastPathComponent] {
                built.append(facts)
                var change = Self.change(facts, file: path, old: byName[facts.name])
                if let oldFiles = byName[facts.name]?.files {
                    switch files.read(at: index) {
                    case .success(let file): (change.filesAdded, change.filesRemoved) = Self.difference(file.files, oldFiles)
                    case .failure(let error): change.filesUnavailable = error.description
                    }
                }
                changes.append(change)
                continue
            }
            // No facts recorded (a build reported before schema 10): the file says it all.
            switch files.read(at: index, linkage: true) {
            case .success(let file):
                built.append(PackageFacts(file))
                var change = Self.change(PackageFacts(file), file: path, old: byName[file.info.name ?? ""])
                if let oldFiles = byName[change.name]?.files {
                    (change.filesAdded, change.filesRemoved) = Self.difference(file.files, oldFiles)
                }
                changes.append(change)
            case .failure(let error):
                problems.append(error.description)
            }
        }
        let made = Set(changes.map(\.name))
        let log = readableLog(of: build)
        // A package not read (a problem above) could hold the soname: no bump is claimed then.
        let bump = built.count == build.artifacts.count ? sonameBump(of: build, built: built, old: old) : SonameBumpResult()
        problems += bump.problems
        var review = BuildReview(
            id: build.id, package: build.package, oldVersion: old.first?.version.description, newVersion: build.version,
            worker: build.worker, durationSeconds: zip(build.startedAt, build.finishedAt).map { $1.timeIntervalSince($0) },
            warnings: log.flatMap(Self.warningCount), log: build.log, packages: changes,
            droppedPackages: old.map(\.name).filter { !made.contains($0) }.sorted(), problems: problems,
            stagedIn: build.stagedAt == nil ? nil : repos[build.package.repo]?.stagingRepository?.name ?? "staging",
            pass: build.pass)
        (review.sonameBumps, review.sonamesAdded) = (bump.bumps, bump.added)
        review.architectureFindings = ArchitectureFindings.fromLog(at: log)
        return review
    }

    /// The log's path on this machine, fetched from the store when only uploaded there;
    /// nil when there is none (the review then counts no warnings).
    private func readableLog(of build: BuildRecord) -> String? {
        guard let logs else { return build.log }
        return (try? logs.readablePath(of: build)) ?? build.log
    }

    /// makepkg's `==> WARNING:` lines in a log file; nil when it cannot be read here.
    public static func warningCount(inLogAt path: String) -> Int? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").count { $0.hasPrefix("==> WARNING:") }
    }

    /// A package's change against the repo's entry of its name, all but the files (the
    /// caller compares those when it has the package's file list).
    static func change(_ facts: PackageFacts, file: String, old: DatabaseEntry?) -> PackageChange {
        var change = PackageChange(name: facts.name, file: file, size: facts.fileSize, installedSize: facts.installedSize)
        guard let old else { return change }
        change.oldVersion = old.version.description
        if let new = facts.installedSize, let before = old.installedSize { change.installedSizeChange = new - before }
        (change.dependsAdded, change.dependsRemoved) = Self.difference(facts.depends, old.depends.map(\.description))
        (change.providesAdded, change.providesRemoved) = Self.difference(facts.provides, old.provides.map(\.description))
        return change
    }

    /// What `new` has that `old` lacks, and the reverse, each sorted.
    static func difference(_ new: [String], _ old: [String]) -> (added: [String], removed: [String]) {
        let newSet = Set(new), oldSet = Set(old)
        return (newSet.subtracting(oldSet).sorted(), oldSet.subtracting(newSet).sorted())
    }

    mutating func repoEntries(_ name: String) -> Result<[DatabaseEntry], RepoError> {
        if let cached = databases[name] { return cached }
        guard let repo = repos[name] else { return .success([]) }
        let filesDB = (try? DatabaseWriter(path: repo.db))?.archivePath(.files)
        let path = filesDB.flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil } ?? repo.db
        let result: Result<[DatabaseEntry], RepoError> = FileManager.default.fileExists(atPath: path)
            ? Result { () throws(RepoError) in try SyncDatabase.read(at: path).entries } : .success([])
        databases[name] = result
        return result
    }
}

private func zip<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}
