import Foundation

/// `scripts/source-server` for a test: a loopback HTTP server over one directory that
/// counts the requests it answers, and serves slowly, without a length, or without end
/// on request (the script's header lists its paths). It dies with the test process.
public final class SourceServer: Sendable {
    public let port: Int
    private let process: Subprocess?

    /// Starts a server over `directory` on `port` (0: any free port).
    public init(directory: String, port: Int = 0) throws {
        let process = try Subprocess([Fixtures.packageRoot + "/scripts/source-server", "--dir", directory,
                                      "--port", String(port), "--parent", String(getpid())])
        guard let port = process.listeningPort() else {
            throw Subprocess.Failure(message: "scripts/source-server did not start: \(process.output)")
        }
        self.port = port
        self.process = process
    }

    private init(existing port: Int) {
        self.port = port
        process = nil
    }

    deinit { stop() }

    /// Stops the server (nothing when it was already listening before the test).
    public func stop() {
        guard let process else { return }
        // SIGKILL: the test thread that spawned it may block SIGTERM, and the child inherits the mask
        process.kill(SIGKILL)
        process.wait()
    }

    /// `http://127.0.0.1:PORT/PATH`.
    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)/" + path }

    /// The requests answered so far, by path (`/NAME`).
    public func requests() throws -> [String: Int] {
        let text = try Subprocess.run(["curl", "-sS", "--fail", url("__requests")])
        let data = Data((text.split(separator: "\n").last.map(String.init) ?? "").utf8)
        return try JSONDecoder().decode([String: Int].self, from: data)
    }

    /// The port the examples' URL sources name (`examples/abs`, `scripts/demo`).
    public static let examplesPort = 8717

    /// The server of `examples/sources` on ``examplesPort``, started once per test process;
    /// one already listening there (scripts/demo's, another test process's) is used when
    /// it serves the same directory.
    public static let examples: Result<SourceServer, Subprocess.Failure> = {
        let directory = Fixtures.packageRoot + "/examples/sources"
        do { return .success(try SourceServer(directory: directory, port: examplesPort)) } catch {
            let probe = SourceServer(existing: examplesPort)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            if let name = names.first, (try? Subprocess.run(["curl", "-sS", "--fail", "-o", "/dev/null", probe.url(name)])) != nil {
                return .success(probe)
            }
            return .failure(Subprocess.Failure(message: "cannot serve examples/sources on 127.0.0.1:\(examplesPort): \(error)"))
        }
    }()

    /// Makes sure ``examples`` is up; throws why not.
    public static func startExamples() throws {
        if case .failure(let failure) = examples { throw failure }
    }
}
