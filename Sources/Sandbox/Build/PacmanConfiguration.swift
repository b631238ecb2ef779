/// The pacman.conf a build installs its dependencies with: only the given repositories,
/// as `file://` servers inside the sandbox, and no signature checks (the packages are
/// this installation's own, already checked by ``PackageVerifier`` when built).
enum PacmanConfiguration {
    static func text(repositories: [LocalRepository], carch: String) -> String {
        var text = """
            # Written by pacbuild for one build.
            [options]
            Architecture = \(carch)
            SigLevel = Never
            LocalFileSigLevel = Never

            """
        for repository in repositories {
            text += "\n[\(repository.name)]\nServer = file://\(SandboxJob.mountPoint)/repos/\(repository.name)\n"
        }
        return text
    }
}
