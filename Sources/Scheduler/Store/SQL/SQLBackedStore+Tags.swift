/// Required tags in the `builds.required_tags` column (schema 5): sorted, comma-joined,
/// '' for none. Tags hold no commas (``BuildTags/valid(_:)``), so the text round-trips.
extension SQLBackedStore {
    static func tagColumn(_ tags: [String]) -> String { BuildTags.normalized(tags).joined(separator: ",") }

    static func tags(_ column: String) -> [String] { column.split(separator: ",").map(String.init) }

    /// The claim's condition that every tag a build requires is among `tags`, with the
    /// worker's tags appended to `parameters`. Neither backend splits a string the same
    /// way, so the test is done on the text both know: `,a,b,` with each of the
    /// worker's tags `,t,` replaced by `,` leaves `,` exactly when nothing else was
    /// required. (A tag occurs once in the column, so the replacements do not overlap.)
    static func tagCondition(_ tags: [String], _ parameters: inout [SQLValue]) -> String {
        var remaining = "',' || required_tags || ','"
        for tag in BuildTags.normalized(tags) {
            parameters.append(.text("," + tag + ","))
            remaining = "replace(\(remaining), $\(parameters.count), ',')"
        }
        return "(required_tags = '' OR \(remaining) = ',')"
    }

    /// Sets the required tags of builds already queued (the same version planned again)
    /// where the plan's differ: a maintainer adds `big-memory` after a build ran out of
    /// memory, and its retry must go to such a waka. Builds that can no longer be claimed
    /// (building, built, accepted, superseded) keep the tags they were claimed under.
    /// Returns the builds changed.
    func retag(_ builds: [(build: PlannedBuild, id: BuildID)], _ db: any SQLConnection) throws -> [BuildID] {
        var byTags: [String: [BuildID]] = [:]
        for (build, id) in builds { byTags[Self.tagColumn(build.requiredTags), default: []].append(id) }
        var changed: [BuildID] = []
        for (tags, ids) in byTags.sorted(by: { $0.key < $1.key }) {
            for chunk in ids.chunked(Self.idsPerStatement) {
                var parameters: [SQLValue] = [.text(tags), .time(now)]
                let list = Self.list(chunk, &parameters)
                let rows = try db.query("UPDATE builds SET required_tags = $1, updated_at = $2 WHERE id IN (\(list)) "
                                        + "AND required_tags <> $1 AND state IN ('waiting', 'ready', 'blocked', 'failed', "
                                        + "'rejected', 'cancelled') RETURNING id", parameters)
                changed += rows.compactMap { $0.buildID(0) }
            }
        }
        return changed.sorted()
    }
}
