import Foundation

/// What a repo's hook saw happen: the environment every hook command gets.
public struct HookEvent: Sendable {
    public var repoName: String
    public var repoArch: String
    public var database: String
    public var pool: String
    /// Package files added to the pool by this change.
    public var added: [String]
    /// Package files removed from the pool by this change.
    public var removed: [String]

    public init(repoName: String, repoArch: String, database: String, pool: String, added: [String] = [], removed: [String] = []) {
        self.repoName = repoName
        self.repoArch = repoArch
        self.database = database
        self.pool = pool
        self.added = added
        self.removed = removed
    }

    /// `REPO_NAME`, `REPO_ARCH`, `REPO_DB`, `REPO_POOL`, `ADDED` and `REMOVED` (one
    /// file a line), on top of the caller's environment (documented in docs/configuration.md).
    public var environment: [String: String] {
        ["REPO_NAME": repoName, "REPO_ARCH": repoArch, "REPO_DB": database, "REPO_POOL": pool,
         "ADDED": added.joined(separator: "\n"), "REMOVED": removed.joined(separator: "\n")]
    }
}

/// How one hook command ended.
public struct HookResult: Sendable, Codable {
    public var command: String
    public var status: Int32
    public var timedOut: Bool
    /// Standard output and error, interleaved as written.
    public var output: String
    public var succeeded: Bool { status == 0 && !timedOut }
}

/// Runs a repo's hook commands one after another with `/bin/sh -c` in the configuration
/// directory. A failing or hanging hook is reported, never fatal: the database change it
/// follows has already happened. A timeout kills the hook's whole process group
/// (coreutils `timeout` runs the command in its own group and signals all of it).
public struct HookRunner: Sendable {
    public var timeoutSeconds: Int
    public var workingDirectory: String

    public init(timeoutSeconds: Int, workingDirectory: String) {
        self.timeoutSeconds = timeoutSeconds
        self.workingDirectory = workingDirectory
    }

    public func run(_ commands: [String], event: HookEvent) -> [HookResult] {
        commands.map { run($0, event: event) }
    }

    public func run(_ command: String, event: HookEvent) -> HookResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["--kill-after=5", String(timeoutSeconds), "/bin/sh", "-c", command]
        process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory)
        process.environment = ProcessInfo.processInfo.environment.merging(event.environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return HookResult(command: command, status: 127, timedOut: false, output: "cannot start /usr/bin/timeout: \(error)")
        }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        // timeout(1) exits 124 when the time ran out (137 when it had to SIGKILL)
        let status = process.terminationStatus
        return HookResult(command: command, status: status, timedOut: status == 124 || status == 137,
                          output: String(decoding: output, as: UTF8.self))
    }
}
