import Foundation
@testable import Scheduler

/// The two backends every store test runs against.
enum StoreBackend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres

    var description: String { rawValue }

    /// A URL of a new, empty store.
    func freshURL() throws -> String {
        switch self {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pacbuild-store-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            return "sqlite:" + dir.appendingPathComponent("store.sqlite").path
        case .postgres:
            return try TestPostgres.freshDatabase()
        }
    }

    /// Opens a store at `url` whose schema stops at `schema` (an old store).
    func open(_ url: String, options: StoreOptions = StoreOptions(), schema: Int = Schema.latest) throws -> SQLBackedStore {
        switch try Store.Location(url) {
        case .sqlite(let path): try SQLiteStore(path: path, options: options, schema: schema)
        case .postgres(let url): try PostgresStore(url: url, options: options, schema: schema)
        }
    }

    func fresh(options: StoreOptions = StoreOptions()) throws -> SQLBackedStore {
        try open(freshURL(), options: options)
    }
}

/// A clock tests move by hand, so lease expiry needs no sleeping.
final class TestClock: @unchecked Sendable {
    // @unchecked: `time` is only read and written under `lock`.
    private let lock = NSLock()
    private var time = Date(timeIntervalSince1970: 1_700_000_000)

    var now: Date { lock.withLock { time } }
    func advance(_ seconds: TimeInterval) { lock.withLock { time += seconds } }
    var options: StoreOptions { StoreOptions(leaseDuration: 60, retryLimit: 2, now: { [self] in now }) }
}
