import Foundation

/// A throw-away PostgreSQL 15 started by `scripts/pg-scratch` (initdb in a temporary
/// directory, a free port, trust on loopback), for the tests that need a real server.
public struct ScratchPostgres: Sendable {
    /// The server's `postgres` database as the `postgres` superuser, over 127.0.0.1.
    public let url: String
    public let port: Int
    public let dataDirectory: String
    /// pg-scratch's directory, removed by ``stop()``.
    public let directory: String

    public static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/pg-scratch").path

    /// Starts a server; `options` are extra postgres options (`-c fsync=off`; a later
    /// `-c listen_addresses=...` replaces pg-scratch's loopback-only one).
    public static func start(options: String) throws -> ScratchPostgres {
        let exports = try Subprocess.run([script, "start", options])
        var values: [String: String] = [:]
        for line in exports.split(separator: "\n") where line.hasPrefix("export ") {
            let pair = line.dropFirst("export ".count).split(separator: "=", maxSplits: 1).map(String.init)
            if pair.count == 2 { values[pair[0]] = pair[1] }
        }
        guard let url = values["PACBUILD_TEST_PG_URL"], let dir = values["PACBUILD_TEST_PG_DIR"],
              let data = values["PACBUILD_TEST_PG_DATA"],
              let port = url.split(separator: ":").last?.split(separator: "/").first.flatMap({ Int($0) })
        else { throw Subprocess.Failure(message: "scripts/pg-scratch printed no URL: \(exports)") }
        return ScratchPostgres(url: url, port: port, dataDirectory: data, directory: dir)
    }

    /// Appends `line` to pg_hba.conf and reloads the server.
    public func allow(_ line: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: dataDirectory + "/pg_hba.conf"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((line + "\n").utf8))
        try handle.close()
        try Subprocess.run(["runuser", "-u", "postgres", "--", "/usr/lib/postgresql/15/bin/pg_ctl", "-D", dataDirectory, "reload"])
    }

    /// Runs SQL as the superuser with psql.
    @discardableResult
    public func psql(_ sql: String, database: String = "postgres") throws -> String {
        try Subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", String(port), "-U", "postgres",
                            "-d", database, "-c", sql])
    }

    /// Stops the server at once and removes its directory.
    public func stop() throws { try Subprocess.run([Self.script, "stop", directory]) }
}
