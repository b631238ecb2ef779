/// Carrying out ``BuildLifecycle``'s decisions in the database: every state change of
/// every operation goes through `apply` or `reevaluate`, so the machine is the one
/// authority on what may happen.
extension SQLBackedStore {
    func lifecycle(of record: BuildRecord) -> BuildLifecycle {
        BuildLifecycle(state: record.state, attempts: record.attempts, retryLimit: options.retryLimit)
    }

    /// Feeds `event` to the build's lifecycle and persists the outcome, setting `columns`
    /// alongside a transition; a refused event throws ``StoreError/refused(_:_:)``.
    @discardableResult
    func apply(_ event: BuildLifecycle.Event, to record: BuildRecord, _ db: any SQLConnection,
               setting columns: [(String, SQLValue)] = []) throws -> BuildState {
        var machine = lifecycle(of: record)
        switch machine.event(event) {
        case .refuse(let refusal):
            throw StoreError.refused(record.id, refusal)
        case .keep:
            return record.state
        case .transition(let next, let effect):
            try persist(db, [record.id], next, attempts: machine.attempts, setting: columns)
            if effect != .none { try reevaluateDependents(of: [record.id], db) }
            return next
        }
    }

    /// Writes a state (and its failure class and blocking build) to several builds at once.
    func persist(_ db: any SQLConnection, _ ids: [BuildID], _ state: BuildState, attempts: Int?,
                 setting columns: [(String, SQLValue)] = []) throws {
        var parameters: [SQLValue] = [.text(state.name.rawValue), .optional(state.failureClass?.rawValue),
                                      state.blockedBy.map { .int($0.rawValue) } ?? .null, .time(now)]
        var assignments = ["state = $1", "failure_class = $2", "blocked_by = $3", "updated_at = $4"]
        for (column, value) in (attempts.map { [("attempts", SQLValue.int(Int64($0)))] } ?? []) + columns {
            parameters.append(value)
            assignments.append("\(column) = $\(parameters.count)")
        }
        try db.query("UPDATE builds SET \(assignments.joined(separator: ", ")) WHERE id IN (\(Self.list(ids)))", parameters)
    }

    /// Looks again at the dependencies of the waiting or blocked builds among `ids` and
    /// moves each to ready, waiting or blocked. The builds are locked before their
    /// dependencies are read, so two transactions accepting two dependencies of the same
    /// build cannot both see the other's as unfinished and leave it waiting forever.
    func reevaluate(_ ids: [BuildID], _ db: any SQLConnection) throws {
        for chunk in ids.chunked(500) {
            let queued = try records(db, "SELECT \(Self.buildColumns) FROM builds WHERE id IN (\(Self.list(chunk))) "
                                     + "AND state IN ('waiting', 'blocked') ORDER BY id\(dialect.forUpdate)", [])
            guard !queued.isEmpty else { continue }
            let status = try dependencyStatus(of: queued.map(\.id), db)
            var moves: [BuildState: [BuildID]] = [:]
            for record in queued {
                var machine = lifecycle(of: record)
                if case .transition(let next, _) = machine.event(.dependencies(status[record.id] ?? .done)) {
                    moves[next, default: []].append(record.id)
                }
            }
            for (state, ids) in moves.sorted(by: { $0.value[0] < $1.value[0] }) {
                try persist(db, ids, state, attempts: nil)
            }
        }
    }

    func reevaluateDependents(of ids: [BuildID], _ db: any SQLConnection) throws {
        let rows = try db.query("SELECT DISTINCT build_id FROM build_edges WHERE depends_on IN (\(Self.list(ids)))")
        try reevaluate(rows.compactMap { $0.buildID(0) }, db)
    }

    /// What each build's dependencies add up to; a build without edges is `.done`. A
    /// superseded dependency counts as done: its dependents' edges moved to the newer build.
    func dependencyStatus(of ids: [BuildID], _ db: any SQLConnection) throws -> [BuildID: DependencyStatus] {
        var status: [BuildID: DependencyStatus] = [:]
        for chunk in ids.chunked(500) {
            let rows = try db.query("SELECT e.build_id, d.id, d.state FROM build_edges e JOIN builds d ON d.id = e.depends_on "
                                    + "WHERE e.build_id IN (\(Self.list(chunk)))")
            for row in rows {
                guard let id = row.buildID(0), let dependency = row.buildID(1) else { continue }
                switch (BuildState.Name(rawValue: row.string(2)), status[id]) {
                case (.accepted, _), (.superseded, _): status[id] = status[id] ?? .done
                case (.failed, .failed(let other)), (.rejected, .failed(let other)), (.cancelled, .failed(let other)):
                    status[id] = .failed(min(dependency, other))
                case (.failed, _), (.rejected, _), (.cancelled, _): status[id] = .failed(dependency)
                case (_, .failed): break
                default: status[id] = .pending
                }
            }
        }
        return status
    }

    /// Ids as an SQL list: they are integers, so inlining them is safe and lets one
    /// statement cover a whole chunk on both backends.
    static func list<S: Sequence<BuildID>>(_ ids: S) -> String { ids.map { String($0.rawValue) }.joined(separator: ", ") }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0 ..< Swift.min($0 + size, count)] }
    }
}
