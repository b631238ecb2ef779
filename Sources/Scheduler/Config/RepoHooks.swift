/// Commands a repo runs after its database changes (the `[hooks]` table): e.g. writing
/// a `packages.txt` or syncing a mirror. Each command is a shell command line, run with
/// `/bin/sh -c` in the configuration directory, so `hooks/packages-txt` names a script
/// next to `repos.d/`; the environment they get is defined where they are run.
public struct RepoHooks: Sendable, Equatable {
    /// Run after builds are accepted into the repo.
    public var postAccept: [String]
    /// Run after every change to the repo database (accept, remove, ...).
    public var postUpdate: [String]
    /// Seconds each command may run before it is stopped and reported as failed.
    public var timeout: Int
    /// The directory the commands run in: the configuration directory.
    public var workingDirectory: String

    /// Five minutes: enough for a `packages.txt` or an rsync of one repo, short enough
    /// that a hung hook does not hold the repo lock for long.
    public static let defaultTimeout = 300

    public init(postAccept: [String] = [], postUpdate: [String] = [], timeout: Int = defaultTimeout, workingDirectory: String) {
        self.postAccept = postAccept
        self.postUpdate = postUpdate
        self.timeout = timeout
        self.workingDirectory = workingDirectory
    }

    public var isEmpty: Bool { postAccept.isEmpty && postUpdate.isEmpty }
}
