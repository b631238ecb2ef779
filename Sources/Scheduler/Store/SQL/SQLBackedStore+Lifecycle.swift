/// Carrying out ``BuildLifecycle``'s decisions in the database: every state change of
/// every operation goes through `apply`, `applyAll` or `reevaluate`, so the machine is
/// the one authority on what may happen.
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
    /// Every transition takes a build out of its staging database (accept, reject, cancel,
    /// blocked by a rejected dependency, built again), so it clears `staged_at` unless
    /// `columns` set it.
    func persist(_ db: any SQLConnection, _ ids: [BuildID], _ state: BuildState, attempts: Int?,
                 setting columns: [(String, SQLValue)] = []) throws {
        var parameters: [SQLValue] = [.text(state.name.rawValue), .optional(state.failureClass?.rawValue),
                                      state.blockedBy.map { .int($0.rawValue) } ?? .null, .time(now)]
        var assignments = ["state = $1", "failure_class = $2", "blocked_by = $3", "updated_at = $4"]
        if !columns.contains(where: { $0.0 == "staged_at" }) { assignments.append("staged_at = NULL") }
        for (column, value) in (attempts.map { [("attempts", SQLValue.int(Int64($0)))] } ?? []) + columns {
            parameters.append(value)
            assignments.append("\(column) = $\(parameters.count)")
        }
        let list = Self.list(ids, &parameters)
        try db.query("UPDATE builds SET \(assignments.joined(separator: ", ")) WHERE id IN (\(list))", parameters)
    }

    /// Feeds each build its own event and persists the outcomes with one UPDATE per
    /// resulting state (a chunk of ids each), for events that leave the attempts alone
    /// (dependencies, supersede); returns the builds whose dependents must look again.
    /// A refused event throws ``StoreError/refused(_:_:)`` before anything is written.
    func applyAll(_ changes: [(id: BuildID, machine: BuildLifecycle, event: BuildLifecycle.Event)],
                  _ db: any SQLConnection) throws -> [BuildID] {
        var moves: [BuildState: [BuildID]] = [:]
        var affected: [BuildID] = []
        for var change in changes {
            switch change.machine.event(change.event) {
            case .refuse(let refusal):
                throw StoreError.refused(change.id, refusal)
            case .keep:
                continue
            case .transition(let next, let effect):
                moves[next, default: []].append(change.id)
                if effect != .none { affected.append(change.id) }
            }
        }
        for (state, ids) in moves.sorted(by: { $0.value[0] < $1.value[0] }) {
            for chunk in ids.chunked(Self.idsPerStatement) { try persist(db, Array(chunk), state, attempts: nil) }
        }
        return affected
    }

    /// Looks again at the dependencies of the waiting, blocked, ready or built builds
    /// among `ids` and moves each to ready, waiting or blocked; then at the dependents of
    /// those whose blocking changed, and so on (blocking is transitive). Ready and built
    /// builds are looked at because a staged dependency made them ready: when it is
    /// rejected they were (or would be) built against a rejected package, so they are
    /// blocked by it. The builds are locked before
    /// their dependencies are read, so two transactions accepting two dependencies of
    /// the same build cannot both see the other's as unfinished and leave it waiting
    /// forever.
    func reevaluate(_ ids: [BuildID], _ db: any SQLConnection) throws {
        var next = ids
        var depth = 0
        // A round settles one more level of dependents. Each change spreads a root cause
        // (or its absence) one edge further, so this ends at the depth of the graph; the
        // bound only guards against a cycle of edges, which catch-up never queues.
        while !next.isEmpty && depth < Self.maxCascadeDepth {
            depth += 1
            var changed: [BuildID] = []
            for chunk in next.chunked(Self.idsPerStatement) {
                var parameters: [SQLValue] = []
                let list = Self.list(chunk, &parameters)
                let queued = try records(db, "SELECT \(Self.buildColumns) FROM builds WHERE id IN (\(list)) "
                                         + "AND state IN ('waiting', 'blocked', 'ready', 'built') ORDER BY id\(dialect.forUpdate)", parameters)
                changed += try settle(queued.map { ($0.id, lifecycle(of: $0)) }, db)
            }
            next = try dependents(of: changed, db)
        }
    }

    /// Moves each queued (or ready, or built) build where its dependencies put it; returns
    /// those whose blocking changed.
    func settle(_ queued: [(id: BuildID, machine: BuildLifecycle)], _ db: any SQLConnection) throws -> [BuildID] {
        guard !queued.isEmpty else { return [] }
        let status = try dependencyStatus(of: queued.map(\.id), db)
        return try applyAll(queued.map { ($0.id, $0.machine, .dependencies(status[$0.id] ?? .done)) }, db)
    }

    func reevaluateDependents(of ids: [BuildID], _ db: any SQLConnection) throws {
        try reevaluate(try dependents(of: ids, db), db)
    }

    /// The builds with an edge to one of `ids`, each once, by id.
    func dependents(of ids: [BuildID], _ db: any SQLConnection) throws -> [BuildID] {
        var found = Set<BuildID>()
        for chunk in ids.chunked(Self.idsPerStatement) {
            var parameters: [SQLValue] = []
            let list = Self.list(chunk, &parameters)
            let rows = try db.query("SELECT DISTINCT build_id FROM build_edges WHERE depends_on IN (\(list))", parameters)
            found.formUnion(rows.compactMap { $0.buildID(0) })
        }
        return found.sorted()
    }

    /// What each build's dependencies add up to (see ``DependencyStatus``); a build
    /// without edges is `.done`.
    func dependencyStatus(of ids: [BuildID], _ db: any SQLConnection) throws -> [BuildID: DependencyStatus] {
        var status: [BuildID: DependencyStatus] = [:]
        for chunk in ids.chunked(Self.idsPerStatement) {
            var parameters: [SQLValue] = []
            let list = Self.list(chunk, &parameters)
            let rows = try db.query("SELECT e.build_id, d.id, d.state, d.blocked_by, d.staged_at FROM build_edges e "
                                    + "JOIN builds d ON d.id = e.depends_on WHERE e.build_id IN (\(list))", parameters)
            for row in rows {
                guard let id = row.buildID(0), let dependency = row.buildID(1) else { continue }
                // A state this pacbuild does not know is not done.
                let one = BuildState.Name(rawValue: row.string(2)).map {
                    DependencyStatus(dependency: dependency, state: $0, blockedBy: row.buildID(3), staged: row.int(4) != nil)
                } ?? .pending
                status[id] = status[id]?.combined(with: one) ?? one
            }
        }
        return status
    }

    /// How many ids one statement inlines, and how many rows one multi-row statement
    /// carries: large enough that a 12,000-build catch-up is a few dozen statements,
    /// small enough to stay far below SQLite's 32,766 parameters.
    static var idsPerStatement: Int { 1000 }
    /// Rounds of `reevaluate` at most: far deeper than any distro's dependency chain.
    static var maxCascadeDepth: Int { 10_000 }

    /// Ids as an SQL list: they are integers, so inlining them is safe and lets one
    /// statement cover a whole chunk on both backends.
    static func list<S: Sequence<BuildID>>(_ ids: S) -> String { ids.map { String($0.rawValue) }.joined(separator: ", ") }

    /// Ids as an SQL list of parameters appended to `parameters` (`$5, $6, ...`): the
    /// statement's text then depends on how many ids there are, not which, so the
    /// connection's prepared statements serve the frequent one-build updates again
    /// (inlined, every build's report and accept compiled its statements anew).
    static func list<S: Sequence<BuildID>>(_ ids: S, _ parameters: inout [SQLValue]) -> String {
        ids.map { id in
            parameters.append(.int(id.rawValue))
            return "$\(parameters.count)"
        }.joined(separator: ", ")
    }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0 ..< Swift.min($0 + size, count)] }
    }
}
