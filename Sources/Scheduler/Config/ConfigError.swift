/// A problem in the configuration directory, naming the file, the line and the key so
/// that a maintainer can go straight to it. Loading collects every one of these rather
/// than stopping at the first: fixing a config one error per run is tedious.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file, relative to the configuration directory (`repos.d/extra.toml`).
    public let file: String
    /// The 1-based line of the key, or `nil` where there is none (a missing key at the
    /// top of a file, an unreadable file).
    public let line: Int?
    /// The dotted key (`hooks.timeout`), or `nil` for problems of a whole file.
    public let key: String?
    /// What is wrong, and what was expected instead.
    public let problem: Problem

    public init(file: String, line: Int?, key: String?, problem: Problem) {
        self.file = file
        self.line = line
        self.key = key
        self.problem = problem
    }

    /// The kinds of configuration problems, each carrying what a message needs.
    public enum Problem: Sendable, Equatable {
        /// The file is not valid TOML (the parser's message).
        case syntax(String)
        /// The file or directory cannot be read.
        case unreadable(String)
        /// A key the schema does not have, with the closest known key if one is close.
        case unknownKey(suggestion: String?)
        /// A value of the wrong TOML type.
        case wrongType(expected: String, found: String)
        /// A required key that is absent.
        case missingKey(expected: String)
        /// A value of the right type that is not acceptable.
        case invalidValue(expected: String, found: String)
        /// A path that does not exist (or is not what it should be).
        case missingPath(path: String, expected: String)
        /// `depends_on` names a repo that no file defines.
        case unknownRepo(String, known: [String])
        /// `depends_on` names a repo whose own file has errors, so neither can be used.
        case repoNotLoaded(String)
        /// A second file defines a repo name already taken.
        case duplicateRepo(String, firstFile: String)
    }

    public var description: String {
        var prefix = file
        if let line { prefix += ":\(line)" }
        prefix += ": "
        if let key { prefix += "key '\(key)': " }
        return prefix + problem.description
    }
}

extension ConfigError.Problem: CustomStringConvertible {
    public var description: String {
        switch self {
        case .syntax(let message):
            return "not valid TOML: \(message)"
        case .unreadable(let reason):
            return "cannot be read: \(reason)"
        case .unknownKey(let suggestion):
            return suggestion.map { "unknown key (did you mean '\($0)'?)" } ?? "unknown key (see docs/configuration.md)"
        case .wrongType(let expected, let found):
            return "expected \(expected), found \(found)"
        case .missingKey(let expected):
            return "required key is missing (expected \(expected))"
        case .invalidValue(let expected, let found):
            return "expected \(expected), found \(found)"
        case .missingPath(let path, let expected):
            return "'\(path)' does not exist or is not usable (expected \(expected))"
        case .unknownRepo(let name, let known):
            return "unknown repo '\(name)' (known: \(known.isEmpty ? "none" : known.joined(separator: ", ")))"
        case .repoNotLoaded(let name):
            return "repo '\(name)' is not loaded because its own configuration has errors"
        case .duplicateRepo(let name, let firstFile):
            return "repo '\(name)' is already defined in \(firstFile)"
        }
    }
}
