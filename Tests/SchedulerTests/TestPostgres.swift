import Foundation
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
    }

    static let server: Result<Server, TestSetupError> = {
        let env = ProcessInfo.processInfo.environment
        if let url = env["PACBUILD_TEST_PG_URL"], !url.isEmpty {
            return .success(Server(url: url, dataDirectory: env["PACBUILD_TEST_PG_DATA"]))
        }
        return Result { try start() }.mapError { $0 as? TestSetupError ?? TestSetupError("\($0)") }
    }()

    static let bin = "/usr/lib/postgresql/15/bin"

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

    /// Restarts the server (fast shutdown drops every connection).
    static func restart() throws {
        guard let data = try server.get().dataDirectory else { throw TestSetupError("the data directory is unknown") }
        try run(["runuser", "-u", "postgres", "--", "\(bin)/pg_ctl", "-D", data, "-w", "-m", "fast", "restart"])
    }

    private static func start() throws -> Server {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pacbuild-pg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try run(["chown", "postgres:postgres", dir])
        let data = dir + "/data"
        try run(["runuser", "-u", "postgres", "--", "\(bin)/initdb", "-D", data, "-A", "trust", "-U", "postgres"])
        let port = try freePort()
        stopAtExit = (dir, data)
        atexit {
            guard let (dir, data) = TestPostgres.stopAtExit else { return }
            _ = try? TestPostgres.run(["runuser", "-u", "postgres", "--", "\(TestPostgres.bin)/pg_ctl", "-D", data, "-w",
                                       "-m", "immediate", "stop"])
            try? FileManager.default.removeItem(atPath: dir)
        }
        try run(["runuser", "-u", "postgres", "--", "\(bin)/pg_ctl", "-D", data, "-w", "-l", dir + "/log", "-o",
                 "-p \(port) -k \(dir) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100", "start"])
        return Server(url: "postgresql://postgres@127.0.0.1:\(port)/postgres", dataDirectory: data)
    }

    /// Read only at exit, written once before the server starts.
    nonisolated(unsafe) private static var stopAtExit: (String, String)?

    /// A port nothing listens on now: bind port 0 on loopback and ask which one it got.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw TestSetupError("cannot find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @discardableResult
    static func run(_ arguments: [String]) throws -> String { try Subprocess.run(arguments) }
}

struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
