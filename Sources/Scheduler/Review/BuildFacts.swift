import Foundation

/// A build's package facts for `pacbuild show`: those its waka recorded with the report,
/// else (a build reported before schema 10) read from its package files where they are
/// readable on this machine. Nothing is fetched from the store.
public enum BuildFacts {
    /// Where the facts came from.
    public enum Source: String, Sendable, Codable {
        /// Recorded with the report.
        case store
        /// Read from the package files here (none were recorded).
        case files
        /// Neither: none recorded and no package file readable here (or none built).
        case none
    }

    public static func of(_ build: BuildRecord, in store: any BuildStore) throws -> (facts: [PackageFacts], source: Source) {
        let recorded = try store.packageFacts(of: build.id)
        if !recorded.isEmpty { return (recorded, .store) }
        let read = build.artifacts.filter { access($0, R_OK) == 0 }.compactMap { try? PackageFacts.read(at: $0) }
        return (read, read.isEmpty ? .none : .files)
    }
}
