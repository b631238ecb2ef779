/// What reading one `repos.d` file gave: the repo when the file is valid, and what the
/// checks across repos need even when it is not (its name, so that `depends_on` in
/// other files can tell "unknown" from "broken").
struct ParsedRepo: Sendable {
    /// The file, relative to the configuration directory.
    let file: String
    /// The repo name, when the file has a valid one.
    let name: String?
    /// Its `depends_on`, when readable: checked even when the file has other errors, so
    /// that one run reports everything.
    let dependsOn: [String]
    /// The repo, when the file has no errors.
    var repo: RepoConfig?
    /// The parsed file, for the lines of keys in cross-repo errors (`nil`: unparseable).
    let source: ConfigSource?
    /// This file's errors.
    var errors: [ConfigError]

    /// Records a cross-repo problem with `key` and drops the repo: a repo whose
    /// dependencies cannot be resolved cannot be planned.
    mutating func reject(_ key: String, _ problem: ConfigError.Problem) {
        errors.append(ConfigError(file: file, line: source?.locator.line(of: [key]), key: key, problem: problem))
        repo = nil
    }
}
