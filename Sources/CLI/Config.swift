import ArgumentParser

extension Pacbuild {
    /// `pacbuild config ...`: the configuration directory (`pacbuild.toml`, `repos.d/`).
    struct Config: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "config",
            abstract: "Inspect the configuration (pacbuild.toml and repos.d/*.toml).",
            subcommands: [ConfigCheck.self])
    }
}
