import Foundation
import Graph
import Repo
import Sandbox
import TestSupport

/// The sandbox tests' Debian 12 root and state directory (`debian12-v3` under
/// `/var/tmp/pacbuild-test-state`, made once by debootstrap under their file lock), and
/// builds through a backend as the scheduler runs them. (Test targets share nothing but
/// TestSupport, which knows no Sandbox: SandboxTests' TestRoot does the same.)
enum VMTestRoot {
    static let stateDirectory = ProcessInfo.processInfo.environment["PACBUILD_TEST_STATE"] ?? "/var/tmp/pacbuild-test-state"
    static let name = "debian12-v3"
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let examples = packageRoot + "/examples/abs"

    /// Root (mounts, namespaces, cgroups) and QEMU (`scripts/setup` installs it).
    static let canRun = geteuid() == 0
    static let missing: String? = {
        for tool in ["/usr/bin/qemu-system-x86_64", "/usr/bin/qemu-img", "/bin/busybox"] where !FileManager.default.isExecutableFile(atPath: tool) {
            return "\(tool) is missing: run scripts/setup (qemu-system-x86, qemu-utils, busybox-static)"
        }
        return nil
    }()

    static func debian12() throws -> BuildRoot {
        if let missing { throw SandboxError.invalidJob(missing) }
        try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        let lock = open(stateDirectory + "/.create.lock", O_CREAT | O_RDWR, 0o644)
        defer { close(lock) }
        flock(lock, LOCK_EX)
        defer { flock(lock, LOCK_UN) }
        let root = try BuildRootStore(stateDirectory: stateDirectory).create(name, from: .debootstrap(mirror: nil), reuse: true)
        printAcceleratorOnce()
        return root
    }

    /// The tests say once which accelerator the machines run with.
    private static let announced: Void = { print("VMSandboxTests: QEMU runs with \(VMAccelerator.current)") }()
    static func printAcceleratorOnce() { _ = announced }

    static func backend() -> VMBackend { VMBackend(stateDirectory: stateDirectory) }

    /// A fresh directory for one test.
    static func temporaryDirectory(_ label: String) throws -> String {
        let path = stateDirectory + "/tests/vm-\(label)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Builds `directory` as the scheduler would, in `backend`.
    static func build(_ directory: String, root: BuildRoot, work: String, backend: any SandboxBackend,
                      timeout: Duration = .seconds(900), adjust: (inout BuildJob) -> Void = { _ in }) throws -> BuildResult {
        let read = PKGBUILDTree.readOne(directory, with: PKGBUILDReader())
        guard let srcinfo = read.srcinfo else { throw SandboxError.invalidJob("\(directory): \(read.diagnostics)") }
        var job = BuildJob(srcinfo: srcinfo, directory: directory, carch: "x86_64", repositories: [], timeout: timeout)
        // the fetch stage, as a waka runs it: the examples' URL sources come from SourceServer.examples
        job.sourceFetch = SourceFetchSettings(cacheDirectory: work + "/sources", allowedHosts: ["127.0.0.1"])
        if srcinfo.base["source"]?.contains(where: { $0.contains("127.0.0.1:\(SourceServer.examplesPort)/") }) == true {
            try SourceServer.startExamples()
        }
        adjust(&job)
        let build = SandboxBuild(backend: backend, root: root, workDirectory: work + "/work-" + srcinfo.pkgbase + "-\(backend.kind)",
                                 scratchParent: work)
        return try build.run(job)
    }

    /// A pkgbase directory with this PKGBUILD text.
    static func pkgbuild(_ text: String, in directory: String) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try text.write(toFile: directory + "/PKGBUILD", atomically: true, encoding: .utf8)
        return directory
    }

    /// The run's scratch left in `work` (the overlay lives there).
    static func scratchLeft(in work: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: work)) ?? []).filter { $0.hasPrefix("pacbuild-vm") }
    }

    static func log(_ result: BuildResult) -> String { (try? String(contentsOfFile: result.logPath, encoding: .utf8)) ?? "" }
}
