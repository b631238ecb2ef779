import Foundation

/// A child process started with posix_spawn and reaped with waitpid. Foundation's
/// `Process` was seen to miss the exit of `runuser` here and wait forever, and tests
/// need plain pids to SIGKILL claimers anyway.
public struct Subprocess: Sendable {
    public let pid: pid_t
    /// Where its standard output and error go (a file: the postmaster would hold a pipe
    /// open for ever).
    public let outputPath: String

    public init(_ arguments: [String], outputPath: String? = nil) throws {
        let output = outputPath ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("pacbuild-run-\(UUID().uuidString)").path
        self.outputPath = output
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let code = posix_spawnp(&pid, arguments[0], &actions, nil, argv, environ)
        guard code == 0 else { throw Failure(message: "cannot start \(arguments[0]): \(String(cString: strerror(code)))") }
        self.pid = pid
    }

    /// Waits for the exit and returns the exit status (128 + signal when killed).
    @discardableResult
    public func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    public func kill(_ signal: Int32) { _ = Glibc.kill(pid, signal) }

    public var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

    /// The port a loopback server prints as its first line (scripts/source-server,
    /// scripts/webhook-receiver); nil when it exits first or says nothing for 30 s, when
    /// it is killed.
    public func listeningPort() -> Int? {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let line = output.split(separator: "\n").first, let port = Int(line) { return port }
            if Glibc.kill(pid, 0) != 0 || waitpid(pid, nil, WNOHANG) == pid { break }
            usleep(50_000)
        }
        kill(SIGKILL)
        wait()
        return nil
    }

    /// Runs a command to its end; throws with its output when it fails.
    @discardableResult
    public static func run(_ arguments: [String]) throws -> String {
        let process = try Subprocess(arguments)
        defer { try? FileManager.default.removeItem(atPath: process.outputPath) }
        let status = process.wait()
        guard status == 0 else { throw Failure(message: "\(arguments.joined(separator: " ")) failed (\(status)): \(process.output)") }
        return process.output
    }

    public struct Failure: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
        public init(message: String) { self.message = message }
    }
}
