import Graph

/// A dependency cycle's second pass (schema 9) added to a store that queued its members
/// once (by a pacbuild before schema 9, or before the cycle existed): the queued builds
/// outside the cycle that wait for a member's pass 1 must wait for its pass 2 instead.
extension SQLBackedStore {
    /// Moves the edges of queued dependents of each pkgbase's pass 1 to its new last
    /// pass, except those of builds that wait for pass 1 on purpose (the batch's builds
    /// naming the pkgbase in `firstPassDependencies`). Returns the dependents moved, for
    /// the caller to re-evaluate.
    func moveToLastPass(_ created: [(build: PlannedBuild, id: BuildID)], batch: BatchIDs,
                        firstPassUsers: [(build: PlannedBuild, id: BuildID)], _ db: any SQLConnection) throws -> [BuildID] {
        var moves: [(first: BuildID, last: BuildID, keep: Set<BuildID>)] = []
        for (build, id) in created where build.pass > 1 && batch.last[build.package] == id {
            guard let first = batch.first[build.package], first != id else { continue }
            let users = firstPassUsers.filter { $0.build.firstPassDependencies.contains(build.package) }.map(\.id)
            moves.append((first, id, Set(users + [id])))
        }
        var moved: [BuildID] = []
        for move in moves {
            let rows = try db.query("SELECT e.build_id FROM build_edges e JOIN builds b ON b.id = e.build_id "
                                    + "WHERE e.depends_on = $1 AND b.state IN ('waiting', 'ready', 'blocked') ORDER BY e.build_id",
                                    .int(move.first.rawValue))
            let dependents = rows.compactMap { $0.buildID(0) }.filter { !move.keep.contains($0) }
            guard !dependents.isEmpty else { continue }
            let list = Self.list(dependents)
            try db.query("INSERT INTO build_edges (build_id, depends_on) SELECT id, $1 FROM builds WHERE id IN (\(list)) "
                         + "ON CONFLICT DO NOTHING", .int(move.last.rawValue))
            try db.query("DELETE FROM build_edges WHERE depends_on = $1 AND build_id IN (\(list))", .int(move.first.rawValue))
            moved += dependents
        }
        return moved
    }
}
