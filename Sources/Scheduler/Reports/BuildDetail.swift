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
        return BuildDetail(
            build: record, dependencies: try store.dependencies(of: record.id),
            artifactSHA256: try store.artifactChecksums(of: record.id),
            packageFacts: facts.facts, factsSource: facts.source,
            mark: try store.marks().first { $0.package == record.package && $0.version == record.version },
            logSource: LogSource(try BuildLogs(store: store, stateDirectory: stateDirectory).location(of: record)))
    }
}
