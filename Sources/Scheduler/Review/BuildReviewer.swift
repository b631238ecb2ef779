import Foundation
import Graph
import Repo

/// Builds ``BuildReview``s: each build's package files read against its repo's files
/// database (read once per repo; the plain database when there is no files database,
/// which then shows no file differences).
public struct BuildReviewer {
    public var repos: [String: RepoConfig]
    /// Where the logs are read for the warning count: the reported path when readable
    /// here, else the log a remote waka uploaded (fetched into the cache); nil: only
    /// the reported path.
    public var logs: BuildLogs?
    private var databases: [String: Result<[DatabaseEntry], RepoError>] = [:]

    public init(repos: [RepoConfig], logs: BuildLogs? = nil) {
        self.repos = Dictionary(repos.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        self.logs = logs
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
        var changes: [PackageChange] = []
        for path in build.artifacts {
            do {
                changes.append(Self.change(try PackageFile.read(at: path)) { byName[$0] })
            } catch {
                problems.append(error.description)
            }
        }
        let made = Set(changes.map(\.name))
        return BuildReview(
            id: build.id, package: build.package, oldVersion: old.first?.version.description, newVersion: build.version,
            worker: build.worker, durationSeconds: zip(build.startedAt, build.finishedAt).map { $1.timeIntervalSince($0) },
            warnings: readableLog(of: build).flatMap(Self.warningCount), log: build.log, packages: changes,
            droppedPackages: old.map(\.name).filter { !made.contains($0) }.sorted(), problems: problems,
            stagedIn: build.stagedAt == nil ? nil : repos[build.package.repo]?.stagingRepository?.name ?? "staging",
            pass: build.pass)
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

    static func change(_ file: PackageFile, old lookup: (String) -> DatabaseEntry?) -> PackageChange {
        let name = file.info.name ?? ""
        var change = PackageChange(name: name, file: file.path, size: file.checksums.compressedSize,
                                   installedSize: file.info.installedSize)
        guard let old = lookup(name) else { return change }
        change.oldVersion = old.version.description
        if let new = file.info.installedSize, let before = old.installedSize { change.installedSizeChange = new - before }
        if let oldFiles = old.files {
            (change.filesAdded, change.filesRemoved) = Self.difference(file.files, oldFiles)
        }
        (change.dependsAdded, change.dependsRemoved) = Self.difference(file.info.depends.map(\.description), old.depends.map(\.description))
        (change.providesAdded, change.providesRemoved) = Self.difference(file.info.provides.map(\.description), old.provides.map(\.description))
        return change
    }

    /// What `new` has that `old` lacks, and the reverse, each sorted.
    static func difference(_ new: [String], _ old: [String]) -> (added: [String], removed: [String]) {
        let newSet = Set(new), oldSet = Set(old)
        return (newSet.subtracting(oldSet).sorted(), oldSet.subtracting(newSet).sorted())
    }

    private mutating func repoEntries(_ name: String) -> Result<[DatabaseEntry], RepoError> {
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
