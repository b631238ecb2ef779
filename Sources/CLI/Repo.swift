import ArgumentParser

extension Pacbuild {
    /// `pacbuild repo ...`: pacman repository databases (list, add, remove).
    struct Repo: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "repo",
            abstract: "Read and update pacman repository databases like repo-add and repo-remove.",
            subcommands: [RepoList.self, RepoAdd.self, RepoRemove.self])
    }
}
