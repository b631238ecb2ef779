import Foundation
import Sandbox

/// The whole configuration: `pacbuild.toml` and every `repos.d/*.toml` of one
/// directory. Loading never throws: it returns the repos that are valid together with
/// every error found, so `pacbuild config check` can list them all and each command
/// decides whether errors stop it.
public struct Configuration: Sendable {
    /// The configuration directory, absolute; relative paths in the files resolve here.
    public let directory: String
    public let global: GlobalConfig
    /// The valid repos, in file name order: the configuration order that breaks ties
    /// between providers. Every `depends_on` of these names one of these.
    public let repos: [RepoConfig]
    /// Every problem, file by file in the order read, then those across repos.
    public let errors: [ConfigError]

    public static let globalFile = "pacbuild.toml"
    public static let reposDirectory = "repos.d"

    public var isValid: Bool { errors.isEmpty }

    public func repo(named name: String) -> RepoConfig? { repos.first { $0.name == name } }

    /// `path` relative to the configuration directory when inside it, for output.
    public func display(_ path: String) -> String { ConfigPaths(base: directory).display(path) }

    /// Reads `directory/pacbuild.toml` (optional) and `directory/repos.d/*.toml` (in
    /// name order). A directory holding neither is an error: it is almost certainly the
    /// wrong `--config`.
    public static func load(directory: String) -> Configuration {
        let paths = ConfigPaths(base: ConfigPaths(base: FileManager.default.currentDirectoryPath).resolve(directory))
        let globalPath = paths.base + "/" + globalFile, reposPath = paths.base + "/" + reposDirectory
        let manager = FileManager.default
        guard manager.fileExists(atPath: globalPath) || manager.fileExists(atPath: reposPath) else {
            let problem = ConfigError.Problem.unreadable("holds neither \(globalFile) nor \(reposDirectory)/")
            return Configuration(directory: paths.base, global: .defaults(paths: paths), repos: [],
                                 errors: [ConfigError(file: directory, line: nil, key: nil, problem: problem)])
        }
        var errors: [ConfigError] = []
        var global = GlobalConfig.defaults(paths: paths)
        if manager.fileExists(atPath: globalPath) {
            switch ConfigSource.read(path: globalPath, name: globalFile) {
            case .success(let source):
                let (parsed, globalErrors) = GlobalConfig.parse(source, paths: paths)
                global = parsed
                errors += globalErrors
            case .failure(let error):
                errors.append(error)
            }
        }
        var parsed: [ParsedRepo] = []
        for file in repoFiles(in: reposPath, errors: &errors) {
            let name = reposDirectory + "/" + file
            switch ConfigSource.read(path: reposPath + "/" + file, name: name) {
            case .success(let source):
                parsed.append(RepoConfig.parse(source, paths: paths, defaultSandbox: global.sandbox, defaultLimits: global.limits))
            case .failure(let error):
                parsed.append(ParsedRepo(file: name, name: nil, dependsOn: [], repo: nil, source: nil, errors: [error]))
            }
        }
        RepoSetChecks.apply(to: &parsed)
        errors += parsed.flatMap(\.errors)
        return Configuration(directory: paths.base, global: global, repos: parsed.compactMap(\.repo), errors: errors)
    }

    /// The `*.toml` files of `repos.d`, sorted by name; a missing `repos.d` means no repos.
    private static func repoFiles(in path: String, errors: inout [ConfigError]) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return [] }
        do {
            return try FileManager.default.contentsOfDirectory(atPath: path)
                .filter { $0.hasSuffix(".toml") && !$0.hasPrefix(".") }
                .sorted()
        } catch {
            errors.append(ConfigError(file: reposDirectory, line: nil, key: nil, problem: .unreadable("not a readable directory")))
            return []
        }
    }
}
