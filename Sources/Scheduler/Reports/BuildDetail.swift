import Foundation

/// Everything the store knows about one build (`pacbuild show`, the web build page,
/// `/api/v1/builds/ID`).
public struct BuildDetail: Sendable, Encodable {
    public var build: BuildRecord
    public var dependencies: [BuildID]
    public var artifactSHA256: [String: String]
    /// Each package's `.PKGINFO` facts, by file name order.
    public var packageFacts: [PackageFacts]
    /// `store` (recorded with the report), `files` (read from the package files here: a
    /// build reported before schema 10) or `none`.
    public var factsSource: BuildFacts.Source
    public var mark: RejectionMark?
    /// Where the log can be read: `local` (its path), `store` (uploaded; `pacbuild log`
    /// fetches it) or `none`.
    public var logSource: LogSource
    /// Sonames the repo's packages provide that this build's no longer do, with their
    /// consumers (as `checkbuilds` shows them): see ``withSonameCheck(repos:store:stateDirectory:)``.
    public var sonameBumps: [SonameBump] = []
    /// The architecture check's findings noted in the log (readable here), one per ELF file.
    public var architectureFindings: [String] = []
    public var sonamesAdded: [String] = []
    /// What the soname check could not read (a pool file, a database).
    public var sonameProblems: [String] = []
    /// The open rebuild set holding the build, with what holds the set (schema 16).
    public var set: RebuildSetReport?

    public enum LogSource: String, Sendable, Encodable {
        case local, store, none

        public init(_ location: BuildLogs.Location) {
            switch location {
            case .local: self = .local
            case .stored: self = .store
            case .missing: self = .none
            }
        }
    }

    public static func read(_ record: BuildRecord, from store: any BuildStore, stateDirectory: String) throws -> BuildDetail {
        let facts = try BuildFacts.of(record, in: store)
        var detail = BuildDetail(
            build: record, dependencies: try store.dependencies(of: record.id),
            artifactSHA256: try store.artifactChecksums(of: record.id),
            packageFacts: facts.facts, factsSource: facts.source,
            mark: try store.marks().first { $0.package == record.package && $0.version == record.version },
            logSource: LogSource(try BuildLogs(store: store, stateDirectory: stateDirectory).location(of: record)))
        detail.set = try store.rebuildSet(of: record.id).map { try RebuildSetReport($0, store: store) }
        detail.architectureFindings = ArchitectureFindings.fromLog(
            at: (try? BuildLogs(store: store, stateDirectory: stateDirectory).readablePath(of: record)) ?? record.log)
        return detail
    }

    /// With the soname check of a built build against its repo's current packages.
    public func withSonameCheck(repos: [RepoConfig], store: any BuildStore, stateDirectory: String) -> BuildDetail {
        guard build.state == .built && !build.artifacts.isEmpty else { return self }
        var reviewer = BuildReviewer(repos: repos, store: store, stateDirectory: stateDirectory)
        let bump = reviewer.sonameBump(of: build, facts: packageFacts)
        var checked = self
        (checked.sonameBumps, checked.sonamesAdded, checked.sonameProblems) = (bump.bumps, bump.added, bump.problems)
        return checked
    }
}
