import ArgumentParser
import Foundation
import Graph
import Sandbox

extension Pacbuild {
    /// `pacbuild build DIR --root NAME`: one pkgbase in a sandbox, for developers; the
    /// scheduler calls the same library API for its builds.
    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "build",
            abstract: "Build one pkgbase directory in a fresh sandbox and print the result.",
            discussion: """
                Dependencies are installed with pacman from the --repo-db databases (in that order); \
                names none of them provides are taken as present in the build root. The packages are \
                verified against the PKGBUILD (names, version, arch) and copied to --out. \
                Exit status 0 on success, 1 on a failed build (its class and last log lines printed).
                """)

        @OptionGroup var state: StateOptions
        @Argument(help: "The pkgbase directory (holding the PKGBUILD).") var directory: String
        @Option(help: "The build root (pacbuild sandbox create).") var root: String
        @Option(help: "namespace, uml or vm (host needs --unsafe-host).") var backend: SandboxBackendKind = .namespace
        @Option(name: .customLong("repo-db"), help: "A repository database NAME.db.tar.EXT to install dependencies from (repeatable).")
        var repoDatabases: [String] = []
        @Option(help: "Where to copy the built packages (default: the current directory).") var out: String = "."
        @OptionGroup var readerOptions: ReaderOptions
        @Flag(help: "Allow network access during the build.") var network = false
        @Option(name: .customLong("allow-source-host"),
                help: "A host (or host:port) URL sources may be downloaded from although it is internal, e.g. a loopback mirror (repeatable).")
        var allowSourceHosts: [String] = []
        @Option(help: "Seconds before the sandbox is stopped.") var timeout: Int = 3600
        @Option(help: "UML memory (mem=).") var memory: String = "1024M"
        @Flag(name: .customLong("unsafe-host"), help: "Allow the host backend (no isolation).") var unsafeHost = false
        @Flag(help: "Print the result as JSON.") var json = false

        func run() throws {
            let reader = try readerOptions.reader()
            let read = PKGBUILDTree.readOne(directory, with: reader)
            guard let srcinfo = read.srcinfo, !read.hasErrors else {
                read.diagnostics.forEach { printError("\($0)") }
                throw ExitCode(1)
            }
            let absolute = (directory.hasPrefix("/") ? directory : FileManager.default.currentDirectoryPath + "/" + directory)
            var result: BuildResult?
            try failing { () throws(SandboxError) in
                let buildRoot = try state.store.root(named: root)
                var job = BuildJob(srcinfo: srcinfo, directory: absolute, carch: reader.environment.carch,
                                   repositories: repoDatabases.map { LocalRepository(database: $0) }, makepkgConf: readerOptions.makepkgConf,
                                   network: network, timeout: .seconds(timeout))
                // the fetch stage with [sources]' defaults, into this state directory's cache
                job.sourceFetch = SourceFetchSettings(cacheDirectory: state.resolved + "/sources", allowedHosts: allowSourceHosts)
                let work = state.resolved + "/builds/" + srcinfo.pkgbase
                if backend == .vm { printError("QEMU runs with \(VMAccelerator.current)") }
                let build = SandboxBuild(backend: try SandboxBackends.make(backend, stateDirectory: state.resolved, allowUnsafeHost: unsafeHost),
                                         root: buildRoot, workDirectory: work, scratchParent: state.resolved + "/tmp", memory: memory)
                result = try build.run(job)
            }
            guard var result else { throw ExitCode(1) }
            try copyPackages(&result)
            print(json ? try jsonText(result) : text(result))
            if !result.succeeded { throw ExitCode(1) }
        }

        private func copyPackages(_ result: inout BuildResult) throws {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            for index in result.packages.indices {
                let target = out + "/" + (result.packages[index].path as NSString).lastPathComponent
                try? FileManager.default.removeItem(atPath: target)
                try FileManager.default.copyItem(atPath: result.packages[index].path, toPath: target)
                result.packages[index].path = target
            }
        }

        private func text(_ result: BuildResult) -> String {
            var lines = [String(format: "%@: %@ in %.1f s", result.pkgbase, result.succeeded ? "built" : "FAILED", result.seconds)]
            if let failure = result.failure {
                lines.append("failure: \(failure.failureClass.rawValue): \(failure.reason)")
                lines.append("last lines of \(result.logPath):")
                lines += result.logTail.suffix(20).map { "  " + $0 }
            }
            lines += result.packages.map { "  \($0.name) \($0.version) \($0.arch)  \($0.path)" }
            if !result.assumedInstalled.isEmpty { lines.append("assumed installed: \(result.assumedInstalled.joined(separator: " "))") }
            lines.append("log: \(result.logPath)")
            return lines.joined(separator: "\n")
        }
    }
}
