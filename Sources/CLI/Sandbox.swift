import ArgumentParser

extension Pacbuild {
    /// `pacbuild sandbox ...`: build roots and throw-away sandboxes over them.
    struct SandboxCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sandbox",
            abstract: "Create, list and remove build roots; open a shell in a fresh sandbox.",
            subcommands: [SandboxCreate.self, SandboxList.self, SandboxUpdate.self, SandboxRemove.self, SandboxShell.self, SandboxPrepare.self])
    }
}
