import Foundation

/// Package facts (schema 10): one row per package file of a built build, the
/// ``PackageFacts`` as JSON text.
extension SQLBackedStore {
    public func packageFacts(of build: BuildID) throws -> [PackageFacts] {
        let rows = try autocommit { db in
            try db.query("SELECT filename, facts FROM package_facts WHERE build_id = $1 ORDER BY filename", .int(build.rawValue))
        }
        let decoder = JSONDecoder()
        return try rows.map { row in
            do {
                return try decoder.decode(PackageFacts.self, from: Data(row.string(1).utf8))
            } catch {
                throw StoreError.corruptRow(table: "package_facts", id: "\(build.rawValue) \(row.string(0))",
                                            detail: "the facts are not the JSON this pacbuild writes: \(error)")
            }
        }
    }

    /// Replaces a build's facts with `facts`, in the report's transaction: a build
    /// reported again (retried) keeps only its last build's.
    func recordFacts(_ facts: [PackageFacts], of build: BuildID, _ db: any SQLConnection) throws {
        try db.query("DELETE FROM package_facts WHERE build_id = $1", .int(build.rawValue))
        for fact in facts {
            try db.query("INSERT INTO package_facts (build_id, filename, facts) VALUES ($1, $2, $3)",
                         .int(build.rawValue), .text(fact.filename), .text(try Self.factsColumn(fact)))
        }
    }

    /// The `facts` column's text: the facts as JSON, keys sorted.
    static func factsColumn(_ fact: PackageFacts) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(fact), as: UTF8.self)
    }
}
