import Foundation
import TestSupport
import Sandbox
import Scheduler

/// A copy of the shipped configuration and examples/abs in a temporary directory with
/// its own state directory and store, and the built `pacbuild` to run over it: the i586
/// repos `current` and `extra` only (the x86_64 twins are left out), building from the
/// Debian 12 i386 root the sandbox tests cache (their `build_root` set to its path; the
/// global `build_root` to the amd64 one).
struct RunFixture {
    static let testState = ProcessInfo.processInfo.environment["PACBUILD_TEST_STATE"] ?? "/var/tmp/pacbuild-test-state"
    /// The SandboxTests' root name: the same debootstrap, made once for both targets.
    static let rootName = "debian12-v4"
    static let i386RootName = "debian12-i386-v1"
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let canRun = geteuid() == 0

    /// The configuration directory.
    let directory: String

    init(_ label: String, jobs: Int = 2) throws {
        let root = try Self.buildRoot()
        try SourceServer.startExamples()  // ex-tzinfo's URL source
        let i386 = try Self.buildRoot(Self.i386RootName, arch: "i386")
        directory = Self.testState + "/tests/\(label)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory + "/examples", withIntermediateDirectories: true)
        for item in ["pacbuild.toml", "repos.d", "hooks", "makepkg"] {
            try FileManager.default.copyItem(atPath: Self.packageRoot + "/" + item, toPath: directory + "/" + item)
        }
        for twin in ["current-x86_64.toml", "extra-x86_64.toml"] { try FileManager.default.removeItem(atPath: directory + "/repos.d/" + twin) }
        try FileManager.default.copyItem(atPath: Self.packageRoot + "/examples/abs", toPath: directory + "/examples/abs")
        try edit("pacbuild.toml") { text in
            text.replacingOccurrences(of: "build_root = \"default\"", with: "build_root = \"\(root.directory)\"")
                .replacingOccurrences(of: "jobs = 2", with: "jobs = \(jobs)")
        }
        for repo in ["current-i586.toml", "extra-i586.toml"] {
            try edit("repos.d/" + repo) { $0.replacingOccurrences(of: "build_root = \"i386\"", with: "build_root = \"\(i386.directory)\"") }
        }
    }

    var state: String { directory + "/.pacbuild-state" }

    /// Rewrites a file of the copy.
    func edit(_ path: String, _ change: (String) -> String) throws {
        let file = directory + "/" + path
        try change(try String(contentsOfFile: file, encoding: .utf8)).write(toFile: file, atomically: true, encoding: .utf8)
    }

    func openStore() throws -> any BuildStore { try Store.open(url: "sqlite:" + state + "/pacbuild.sqlite") }

    /// `pacbuild run --json` over the copy: exit status and the JSON events.
    func run(_ extra: [String] = []) throws -> (status: Int32, events: [[String: Any]], stderr: String) {
        let (status, out, err) = try Self.execute(Self.binary, ["run", "--config", directory, "--json"] + extra)
        let events = out.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
        return (status, events, err)
    }

    /// `pacman -Sl` over the copy's two repos, with a throw-away pacman.conf.
    func pacmanList(extra: Bool = true) throws -> [String] {
        let repos = [("current", state + "/repo/current/i586")] + (extra ? [("extra", state + "/repo/extra/i586")] : [])
        let pacman = try ThrowAwayPacman(scratch: directory, repos: repos)
        try pacman.sync()
        return try pacman.list().split(separator: "\n").map(String.init)
    }

    /// The cached root, made under a file lock so parallel test targets wait for one debootstrap.
    static func buildRoot(_ name: String = rootName, arch: String? = nil) throws -> BuildRoot {
        try FileManager.default.createDirectory(atPath: testState, withIntermediateDirectories: true)
        let lock = open(testState + "/.create.lock", O_CREAT | O_RDWR, 0o644)
        defer { close(lock) }
        flock(lock, LOCK_EX)
        defer { flock(lock, LOCK_UN) }
        return try BuildRootStore(stateDirectory: testState).create(name, from: .debootstrap(mirror: nil, arch: arch), reuse: true)
    }

    /// SwiftPM puts `pacbuild` next to the test bundle (this target depends on CLI).
    static let binary: String = {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        while dir.path != "/" && !FileManager.default.isExecutableFile(atPath: dir.path + "/pacbuild") {
            dir = dir.deletingLastPathComponent()
        }
        return dir.path + "/pacbuild"
    }()

    static func execute(_ executable: String, _ arguments: [String]) throws -> (Int32, String, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let errFile = FileManager.default.temporaryDirectory.appendingPathComponent("pacbuild-err-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: errFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errFile) }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = try FileHandle(forWritingTo: errFile)
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let err = (try? String(contentsOf: errFile, encoding: .utf8)) ?? ""
        return (process.terminationStatus, String(decoding: data, as: UTF8.self), err)
    }
}
