import Foundation
import Graph
import Sandbox

/// Builds a PKGBUILD of a test through SandboxBuild as the scheduler would (the job
/// derived from the reader's .SRCINFO), watching the scratch directories the backend makes.
struct ContainmentBuilder {
    let root: BuildRoot
    /// The test's directory: pkgbase directories, work directories and the scratch parent below it.
    let directory: String
    var backend: any SandboxBackend = NamespaceBackend()

    struct Run {
        var result: BuildResult
        var log: String
        var scratchNames: [String]
        var workDirectory: String
        var seconds: Double { result.seconds }
    }

    /// A pkgbase directory `DIR/src-NAME` with this PKGBUILD text.
    func pkgbase(_ name: String, pkgbuild: String) throws -> String {
        let path = directory + "/src-" + name
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try pkgbuild.write(toFile: path + "/PKGBUILD", atomically: true, encoding: .utf8)
        return path
    }

    /// Builds `pkgbuild` (written as the pkgbase `name`); the job comes from the reader.
    func build(_ name: String, pkgbuild: String, repositories: [LocalRepository] = [], timeout: Duration = .seconds(300),
               adjust: (inout BuildJob) -> Void = { _ in }) throws -> Run {
        let source = try pkgbase(name, pkgbuild: pkgbuild)
        let read = PKGBUILDTree.readOne(source, with: PKGBUILDReader())
        guard let srcinfo = read.srcinfo else { throw ContainmentFailure("\(source): the reader refused it: \(read.diagnostics)") }
        var job = BuildJob(srcinfo: srcinfo, directory: source, carch: "x86_64", repositories: repositories, timeout: timeout)
        adjust(&job)
        return try build(job)
    }

    /// Builds `job` as it is.
    func build(_ job: BuildJob) throws -> Run {
        let work = directory + "/work-" + job.pkgbase
        let scratch = directory + "/scratch"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let watcher = ScratchWatcher(scratch)
        let result: BuildResult
        do {
            result = try SandboxBuild(backend: backend, root: root, workDirectory: work, scratchParent: scratch).run(job)
        } catch {
            _ = watcher.stop()
            throw error
        }
        let names = watcher.stop()
        let log = (try? String(contentsOfFile: result.logPath, encoding: .utf8)) ?? ""
        return Run(result: result, log: log, scratchNames: names, workDirectory: work)
    }
}

/// The host side of one attack: the canary, the host's state before, and every check
/// after. ``problems(log:scratchNames:markers:)`` is what each test expects empty.
struct Containment {
    let directory: String
    let canary: Canary
    let snapshot: HostSnapshot

    /// Everything that escaped: attempts that worked (by the attack program's own
    /// account), the secret in the log or any file below the test directory, the canary
    /// read or changed, core_pattern or a pool changed, processes, mounts, loop devices,
    /// cgroups or immutable files left.
    ///
    /// `ownKernel`: the attacks ran under a kernel of their own (UML), where a file handle
    /// opened or a core_pattern written is that kernel's: only their effects on the host count.
    func problems(log: String, scratchNames: [String], markers: [String] = [], ownKernel: Bool = false) throws -> [String] {
        Self.keep(log, as: (directory as NSString).lastPathComponent)
        var problems = ownKernel ? [] : AttackProgram.successes(in: log).map { "the attack program says: \($0)" }
        if log.contains(canary.secret) { problems.append("the secret is in the build log") }
        problems += try canary.leaks(under: directory).map { "the secret is in \($0)" }
        problems += canary.problems()
        problems += try snapshot.changes()
        problems += Leftovers.all(directory: directory, markers: markers, scratchNames: scratchNames)
        problems += Leftovers.immutableFiles(under: directory)
        return problems
    }

    /// Where the attacks' logs are kept after their test directories are removed, as evidence.
    static let logDirectory = ContainmentRoot.stateDirectory + "/tests/containment-logs"

    static func keep(_ log: String, as name: String) {
        try? FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true)
        try? log.write(toFile: logDirectory + "/" + name + ".log", atomically: true, encoding: .utf8)
    }

    /// Removes the test directory as the host would; a sentence when it cannot.
    func removal() -> [String] { Leftovers.removal(of: directory) }
}

extension Containment {
    /// A canary in `DIR/canary` and a snapshot of core_pattern and `pools`.
    init(directory: String, pools: [String] = [], canaryText: String = "SECRET\n") throws {
        self.init(directory: directory, canary: try Canary(in: directory + "/canary", text: canaryText),
                  snapshot: try HostSnapshot.take(pools: pools))
    }
}
