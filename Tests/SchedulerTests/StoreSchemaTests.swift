import Foundation
import Graph
import Testing
@testable import Scheduler

/// Migrations: an old store is brought up to date with its data; a newer one is refused.
@Suite struct StoreSchemaTests {
    @Test(arguments: StoreBackend.allCases)
    func olderSchemaIsMigrated(_ backend: StoreBackend) throws {
        let url = try backend.freshURL()
        let old = try backend.open(url, schema: 1)
        #expect(try old.schemaVersion == 1)
        let glibc = PackageBaseID(repo: "core", pkgbase: "glibc")
        let id = try Self.insertReadyBuild(glibc, version: "2.39-1", into: old)
        #expect(throws: StoreError.self) { try old.appendHistory(glibc, version: "2.39-1", seconds: 1) }

        let migrated = try backend.open(url)
        #expect(try migrated.schemaVersion == Schema.latest)
        let build = try migrated.build(id)
        #expect(build.package == glibc && build.version == "2.39-1" && build.state == .ready)
        #expect(build.stagedAt == nil && build.requiredTags.isEmpty)
        try migrated.appendHistory(glibc, version: "2.39-1", seconds: 4)
        #expect(try migrated.averageDuration(of: glibc, window: 5) == 4)
        try migrated.register(WorkerInfo(name: "w", host: "h", arches: ["x86_64"], tags: ["t"], slots: 3))
        #expect(try migrated.workers().first?.slots == 3)
        #expect(try backend.open(url).schemaVersion == Schema.latest, "opening again changes nothing")
    }

    /// A ready build as an older pacbuild wrote it: only the columns of schema 1 (this
    /// pacbuild's enqueue writes columns an old store does not have).
    static func insertReadyBuild(_ package: PackageBaseID, version: String, into store: SQLBackedStore) throws -> BuildID {
        try store.autocommit { db in
            let row = try db.query("INSERT INTO builds (repo, pkgbase, version, arch, state, created_at, updated_at) "
                                   + "VALUES ($1, $2, $3, 'any', 'ready', 0, 0) RETURNING id",
                                   .text(package.repo), .text(package.pkgbase), .text(version)).first
            return try #require(row?.buildID(0))
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func newerSchemaIsRefused(_ backend: StoreBackend) throws {
        let url = try backend.freshURL()
        let store = try backend.open(url)
        try store.autocommit { db in try db.query("INSERT INTO schema_version (version) VALUES ($1)", .int(Int64(Schema.latest + 5))) }
        let expected = StoreError.schemaTooNew(store: store.storeName, found: Schema.latest + 5, supported: Schema.latest)
        #expect(throws: expected) { try backend.open(url) }
        #expect(expected.description.contains("schema version \(Schema.latest + 5)"))
        #expect(expected.description.contains("up to \(Schema.latest)"))
    }

    @Test func storeURLs() throws {
        #expect(try Store.Location("/var/lib/pacbuild/store.sqlite") == .sqlite(path: "/var/lib/pacbuild/store.sqlite"))
        #expect(try Store.Location("sqlite:state/store.db") == .sqlite(path: "state/store.db"))
        #expect(try Store.Location("sqlite:///abs/store.db") == .sqlite(path: "/abs/store.db"))
        #expect(try Store.Location("postgresql://u@h/db") == .postgres("postgresql://u@h/db"))
        #expect(throws: StoreError.unsupportedURL("mysql://h/db")) { try Store.Location("mysql://h/db") }
        #expect(PostgresStore.redactingPassword("postgresql://u:secret@h/db") == "postgresql://u@h/db")
        #expect(throws: StoreError.self) { try Store.open(url: "postgresql://nobody@127.0.0.1:1/none") }
    }
}
