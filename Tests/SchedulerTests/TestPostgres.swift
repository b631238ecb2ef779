import Foundation
import TestSupport
@testable import Scheduler

/// The PostgreSQL the store tests run against: `PACBUILD_TEST_PG_URL` when
/// `scripts/test` started one, otherwise a throw-away PostgreSQL 15 this process starts
/// on loopback (initdb as the `postgres` user in a temp directory, a free port) and
/// stops when it exits.
enum TestPostgres {
    struct Server: Sendable {
        /// A URL of the server's `postgres` database, for creating per-test databases.
        let url: String
        /// The data directory when known, for the restart test.
        let dataDirectory: String?
        /// pg-scratch's directory when this process started the server.
        var directory: String? = nil
    }

    static let server: Result<Server, TestSetupError> = {
        let env = ProcessInfo.processInfo.environment
        if let url = env["PACBUILD_TEST_PG_URL"], !url.isEmpty {
            return .success(Server(url: url, dataDirectory: env["PACBUILD_TEST_PG_DATA"]))
        }
        return Result { try start() }.mapError { $0 as? TestSetupError ?? TestSetupError("\($0)") }
    }()

    /// A new empty database on the test server; each test gets its own.
    static func freshDatabase() throws -> String {
        let server = try server.get()
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let admin = try PostgresConnection(url: server.url, name: "test server")
        try admin.query("CREATE DATABASE \(name)")
        guard let path = server.url.range(of: "/postgres", options: .backwards) else {
            throw TestSetupError("\(server.url): the test server's URL must name the postgres database")
        }
        return server.url.replacingCharacters(in: path, with: "/\(name)")
    }

    /// Starts a server with `scripts/pg-scratch` (the same one `scripts/test` uses) and
    /// stops it when this process exits.
    static func start() throws -> Server {
        let scratch = try ScratchPostgres.start(options: "-c fsync=off")
        let server = Server(url: scratch.url, dataDirectory: scratch.dataDirectory, directory: scratch.directory)
        started.withLock { $0.append(scratch.directory) }
        if !registeredStop.withLock({ ($0, $0 = true).0 }) {
            atexit { for dir in TestPostgres.started.withLock({ $0 }) { _ = try? TestPostgres.stop(dir) } }
        }
        return server
    }

    static func stop(_ dir: String) throws { try run([ScratchPostgres.script, "stop", dir]) }

    /// Restarts a server (a fast shutdown drops every connection).
    static func restart(_ server: Server) throws {
        guard let data = server.dataDirectory else { throw TestSetupError("the data directory is unknown") }
        try run(["runuser", "-u", "postgres", "--", "/usr/lib/postgresql/15/bin/pg_ctl", "-D", data, "-w", "-m", "fast", "restart"])
    }

    private static let started = Locked<[String]>([])
    private static let registeredStop = Locked(false)

    @discardableResult
    static func run(_ arguments: [String]) throws -> String { try Subprocess.run(arguments) }
}

/// A value behind a lock, for the few globals the test helpers share between tests.
final class Locked<Value>: @unchecked Sendable {
    // @unchecked: `value` is only touched under `lock`.
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) -> T) -> T { lock.withLock { body(&value) } }
}

struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
