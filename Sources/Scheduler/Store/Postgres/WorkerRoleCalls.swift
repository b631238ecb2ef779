import Foundation

/// A worker's writes when the store's connection is a PostgreSQL worker role: the role
/// may not write any table (docs/distributed.md), so each operation calls the store's
/// function for it (``WorkerFunctions``), which checks the claim as the owner. The
/// lifecycle and the holder are checked here first, on a plain read, only so that the
/// usual errors (``StoreError/notHolder(_:worker:holder:)``,
/// ``StoreError/refused(_:_:)``) come back; the function's check is the one that counts,
/// and a race past this one fails there with SQLSTATE 42501.
struct WorkerRoleCalls {
    let store: SQLBackedStore

    private var now: Date { store.now }
    private var leaseEnd: SQLValue { .time(now.addingTimeInterval(store.options.leaseDuration)) }

    func register(_ worker: WorkerInfo) throws {
        try store.autocommit { db in
            try db.query("SELECT pacbuild_worker_register($1, $2, $3, $4, $5, $6)",
                         .text(worker.name), .text(worker.host), .text(worker.arches.joined(separator: " ")),
                         .text(worker.tags.joined(separator: " ")), .int(Int64(worker.slots)), .time(worker.lastHeartbeat ?? now))
        }
    }

    func claim(worker: String, arches: [String], tags: [String]) throws -> BuildRecord? {
        let arches = try Self.json(Set(arches).union(["any"]).sorted())
        let tags = try Self.json(BuildTags.normalized(tags))
        return try store.claimTransaction { db in
            // As in SQLBackedStore.claim: the clock is read once the claim may run.
            let now = self.now
            let lease = SQLValue.time(now.addingTimeInterval(store.options.leaseDuration))
            guard let id = try db.query("SELECT pacbuild_worker_claim($1, $2, $3, $4, $5)",
                                        .text(worker), arches, tags, .time(now), lease).first?.buildID(0) else { return nil }
            return try store.load(db, id, forUpdate: false)
        }
    }

    func renewLease(_ build: BuildID, worker: String) throws {
        try store.transaction { db in
            try precheck(.renewLease, build, worker, db)
            try db.query("SELECT pacbuild_worker_renew($1, $2, $3)", .int(build.rawValue), .text(worker), leaseEnd)
        }
    }

    func heartbeat(worker: String) throws -> Int {
        try store.autocommit { db in
            Int(try db.query("SELECT pacbuild_worker_heartbeat($1, $2, $3)", .text(worker), .time(now), leaseEnd).first?.int(0) ?? 0)
        }
    }

    func expireLeases() throws -> [BuildID] {
        try store.autocommit { db in
            try db.query("SELECT pacbuild_worker_expire_leases($1, $2)", .time(now), .int(Int64(store.options.retryLimit)))
                .compactMap { $0.buildID(0) }
        }
    }

    func release(_ build: BuildID, worker: String) throws {
        try store.transaction { db in
            try precheck(.release, build, worker, db)
            try db.query("SELECT pacbuild_worker_release($1, $2, $3)", .int(build.rawValue), .text(worker), .time(now))
        }
    }

    func report(_ build: BuildID, worker: String, result: BuildResult, checksums: [String: String]) throws -> BuildRecord {
        try store.transaction { db in
            let id = SQLValue.int(build.rawValue)
            switch result {
            case .built(let log, let artifacts, let facts):
                try precheck(.built, build, worker, db)
                let byFile = try Dictionary(facts.map { ($0.filename, try SQLBackedStore.factsColumn($0)) },
                                            uniquingKeysWith: { _, last in last })
                try db.query("SELECT pacbuild_worker_report_built($1, $2, $3, $4, $5, $6, $7)",
                             id, .text(worker), .time(now), .optional(log), .text(artifacts.joined(separator: "\n")),
                             try Self.json(checksums), try Self.json(byFile))
            case .failed(let failure, let reason, let log):
                try precheck(.failed(failure), build, worker, db)
                try db.query("SELECT pacbuild_worker_report_failed($1, $2, $3, $4, $5, $6)",
                             id, .text(worker), .time(now), .text(failure.rawValue), .text(reason), .optional(log))
            }
            return try store.load(db, build, forUpdate: false)
        }
    }

    /// Starts an upload (`key`: build, kind, name) under the name that holds `build`,
    /// returned for the chunks: uploads carry no worker name, and the function accepts
    /// only a name of this role's that holds the build.
    func beginFile(_ build: BuildID, key: [SQLValue], sha256: String, _ db: any SQLConnection) throws -> String {
        let holder = try store.load(db, build, forUpdate: false).worker ?? ""
        try db.query("SELECT pacbuild_worker_begin_file($1, $2, $3, $4, $5)", [key[0], .text(holder), key[1], key[2], .text(sha256)])
        return holder
    }

    /// One chunk (`chunk`: build, kind, name, seq, data) of an upload begun by ``beginFile(_:key:sha256:_:)``.
    func putChunk(_ chunk: [SQLValue], holder: String, _ db: any SQLConnection) throws {
        try db.query("SELECT pacbuild_worker_put_chunk($1, $2, $3, $4, $5, $6)", [chunk[0], .text(holder)] + chunk[1...])
    }

    /// The holder and the lifecycle, as the owner's path checks them.
    private func precheck(_ event: BuildLifecycle.Event, _ build: BuildID, _ worker: String, _ db: any SQLConnection) throws {
        let record = try store.load(db, build, forUpdate: false)
        try store.requireHolder(record, worker)
        var machine = store.lifecycle(of: record)
        if case .refuse(let refusal) = machine.event(event) { throw StoreError.refused(build, refusal) }
    }

    private static func json<T: Encodable>(_ value: T) throws -> SQLValue {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return .text(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}

extension PostgresStore {
    /// Whether this connection is a worker role: a role that is not (a member of) the
    /// owner of the store's tables. Decided once, when the store is opened.
    static func connectsAsWorkerRole(_ connection: PostgresConnection) throws -> Bool {
        // No builds table yet: this connection creates the store and owns it.
        let rows = try connection.query("SELECT pg_has_role(current_user, c.relowner, 'USAGE') FROM pg_class c "
                                        + "WHERE c.oid = to_regclass('builds')", [])
        return rows.first?.text(0) == "f"
    }
}
