import Foundation
import Sandbox

/// The Debian 12 build root the sandbox tests share: made once by debootstrap (about a
/// minute) under a fixed state directory and reused while its stamp is there.
enum TestRoot {
    static let stateDirectory = ProcessInfo.processInfo.environment["PACBUILD_TEST_STATE"] ?? "/var/tmp/pacbuild-test-state"
    /// Versioned: a change of ``BuildRootSource/debootstrapPackages`` needs a new name.
    static let name = "debian12-v4"
    /// The 32-bit (i386) root of the i586 tests, made and cached the same way.
    static let i386Name = "debian12-i386-v1"
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let examples = packageRoot + "/examples/abs"

    /// Whether the real-sandbox tests can run: they need root (mounts, namespaces).
    static let canRun = geteuid() == 0

    /// The root, created under a file lock so that parallel tests wait for one debootstrap.
    static func debian12() throws -> BuildRoot {
        try cached(name, from: .debootstrap(mirror: nil))
    }

    /// Debian 12's i386 root (`sandbox create --debootstrap --arch i386`).
    static func debian12i386() throws -> BuildRoot {
        try cached(i386Name, from: .debootstrap(mirror: nil, arch: "i386"))
    }

    private static func cached(_ name: String, from source: BuildRootSource) throws -> BuildRoot {
        try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        let lock = open(stateDirectory + "/.create.lock", O_CREAT | O_RDWR, 0o644)
        defer { close(lock) }
        flock(lock, LOCK_EX)
        defer { flock(lock, LOCK_UN) }
        return try BuildRootStore(stateDirectory: stateDirectory).create(name, from: source, reuse: true)
    }

    /// A fresh directory for one test.
    static func temporaryDirectory(_ label: String) throws -> String {
        let path = stateDirectory + "/tests/\(label)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A listing of every file in the root with size, mode, owner and mtime, hashed: equal
    /// before and after a build only if the build changed nothing in it.
    static func fingerprint(_ directory: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "cd \"$0\" && find . -xdev -printf '%p %s %m %U %G %T@ %l\\n' | LC_ALL=C sort | sha256sum", directory]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// Runs a shell command on the host, returning status and output.
    @discardableResult
    static func shell(_ command: String) throws -> (Int32, String) {
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

    /// A one-connection listener on the host's 127.0.0.1 for 20 seconds that writes
    /// `marker` when reached: a sandbox without network must not reach it.
    static func listen(on port: Int, marker: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["20", "python3", "-c", """
            import socket, sys
            s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", \(port))); s.listen(); s.settimeout(19)
            c, _ = s.accept(); open(sys.argv[1], "w").write("reached")
            """, marker]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        usleep(300_000)
    }

    /// Connects from the host to the listener: proves it was alive, so that "the
    /// sandbox did not reach it" means something.
    static func reachFromHost(port: Int, marker: String) throws -> Bool {
        try shell("bash -c 'exec 3<>/dev/tcp/127.0.0.1/\(port)'; sleep 0.3")
        return FileManager.default.fileExists(atPath: marker)
    }
}
