import ArgumentParser
import Foundation
import Sandbox

extension Pacbuild {
    /// `pacbuild sandbox shell NAME`: a shell in a fresh sandbox, gone when it exits.
    struct SandboxShell: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "shell", abstract: "Open a root shell in a fresh, throw-away sandbox over a build root.",
            discussion: "The current directory is shared at /pacbuild (as root in the namespace backend, its files belong to host users, so root inside only reads them); everything else written is discarded.")
        @OptionGroup var state: StateOptions
        @Argument(help: "The build root.") var name: String
        @Option(help: "namespace or uml.") var backend: SandboxBackendKind = .namespace
        @Flag(help: "Allow network access.") var network = false
        @Argument(parsing: .postTerminator, help: "A command instead of the shell (after --).") var command: [String] = []

        func run() throws {
            var status: Int32 = 0
            try failing { () throws(SandboxError) in
                let root = try state.store.root(named: name)
                let job = SandboxJob(root: root, jobDirectory: FileManager.default.currentDirectoryPath,
                                     command: command.isEmpty ? ["/bin/bash", "-l"] : command, network: network,
                                     logPath: "/dev/null", interactive: true)
                status = try SandboxBackends.make(backend, stateDirectory: state.resolved).run(job).exitStatus
            }
            if status != 0 { throw ExitCode(status) }
        }
    }
}

extension SandboxBackendKind: ExpressibleByArgument {}
