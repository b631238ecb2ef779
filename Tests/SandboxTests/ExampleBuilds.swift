import Foundation
import Graph
import Repo
import Sandbox
import TestSupport

/// Builds pkgbase directories through the namespace backend for the tests.
struct ExampleBuilder {
    let root: BuildRoot
    let work: String
    var backend: any SandboxBackend = NamespaceBackend()

    /// Builds `directory` against `repositories`; the job is derived from the PKGBUILD
    /// as the scheduler derives it, `adjust` may change it.
    func build(_ directory: String, repositories: [LocalRepository] = [], timeout: Duration = .seconds(300),
               carch: String = "x86_64", adjust: (inout BuildJob) -> Void = { _ in }) throws -> BuildResult {
        let read = PKGBUILDTree.readOne(directory, with: PKGBUILDReader())
        guard let srcinfo = read.srcinfo else { throw SandboxError.invalidJob("\(directory): \(read.diagnostics)") }
        var job = BuildJob(srcinfo: srcinfo, directory: directory, carch: carch, repositories: repositories, timeout: timeout)
        // the fetch stage, as a waka runs it; the examples' URL sources come from SourceServer.examples
        job.sourceFetch = SourceFetchSettings(cacheDirectory: work + "/sources", allowedHosts: ["127.0.0.1"])  // the tests' source servers are on the loopback
        if srcinfo.base["source"]?.contains(where: { $0.contains("127.0.0.1:\(SourceServer.examplesPort)/") }) == true {
            try SourceServer.startExamples()
        }
        adjust(&job)
        let build = SandboxBuild(backend: backend, root: root, workDirectory: work + "/work-" + srcinfo.pkgbase, scratchParent: work)
        return try build.run(job)
    }

    /// Makes an empty repository database `DIR/NAME.db.tar.gz`.
    static func repository(_ name: String, in directory: String) throws -> LocalRepository {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let database = directory + "/\(name).db.tar.gz"
        return LocalRepository(name: name, database: database)
    }

    /// Copies the result's packages into the repository's directory and adds them.
    static func publish(_ result: BuildResult, to repository: LocalRepository) throws {
        let writer = try DatabaseWriter(path: repository.database)
        var added: [String] = []
        for package in result.packages {
            let target = writer.directory + "/" + (package.path as NSString).lastPathComponent
            try? FileManager.default.removeItem(atPath: target)
            try FileManager.default.copyItem(atPath: package.path, toPath: target)
            added.append(target)
        }
        let report = try writer.add(added)
        if !report.failures.isEmpty { throw SandboxError.invalidJob("repo add: \(report.failures)") }
    }

    /// A pkgbase directory with this PKGBUILD text.
    static func pkgbuild(_ text: String, in directory: String) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try text.write(toFile: directory + "/PKGBUILD", atomically: true, encoding: .utf8)
        return directory
    }
}
