import Foundation
import Sandbox

/// The Debian 12 build root and state directory the sandbox tests use (`debian12-v4`
/// under `/var/tmp/pacbuild-test-state`), shared with them: made once by debootstrap
/// under the same file lock, reused while its stamp is there. (SandboxTests' TestRoot
/// does the same; test targets share nothing but TestSupport, which knows no Sandbox.)
enum ContainmentRoot {
    static let stateDirectory = ProcessInfo.processInfo.environment["PACBUILD_TEST_STATE"] ?? "/var/tmp/pacbuild-test-state"
    static let name = "debian12-v4"

    /// Root (mounts, namespaces, cgroups) and a C compiler for the attack program.
    static let canRun = geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/gcc")
    static let canRunUML = canRun && FileManager.default.isExecutableFile(atPath: "/usr/bin/linux")

    static func debian12() throws -> BuildRoot {
        try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        let lock = open(stateDirectory + "/.create.lock", O_CREAT | O_RDWR, 0o644)
        defer { close(lock) }
        flock(lock, LOCK_EX)
        defer { flock(lock, LOCK_UN) }
        return try BuildRootStore(stateDirectory: stateDirectory).create(name, from: .debootstrap(mirror: nil), reuse: true)
    }

    /// A fresh directory for one test (mode 0755: the sandbox's scratch is made below it).
    static func temporaryDirectory(_ label: String) throws -> String {
        let path = stateDirectory + "/tests/contain-\(label)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Runs a shell command on the host; status and combined output.
    @discardableResult
    static func shell(_ command: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Like ``shell(_:)`` but throws when the command fails.
    @discardableResult
    static func run(_ command: String) throws -> String {
        let (status, output) = try shell(command)
        guard status == 0 else { throw ContainmentFailure("`\(command)` failed (\(status)): \(output)") }
        return output
    }
}

/// A set-up step of a containment test that failed (not an escape: a broken fixture).
struct ContainmentFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// `'text'` for sh.
func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
