import Foundation

/// Resolves the paths written in configuration files and checks them. Relative paths
/// resolve against the configuration directory (the one holding `pacbuild.toml` and
/// `repos.d/`), not the file's own directory, so that every file reads the same way;
/// a leading `~/` is the user's home.
struct ConfigPaths: Sendable {
    /// The configuration directory, absolute.
    let base: String

    func resolve(_ path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        let absolute = expanded.hasPrefix("/") ? expanded : base + "/" + expanded
        return (absolute as NSString).standardizingPath
    }

    /// What a path must be for the configuration to be usable.
    enum Requirement {
        /// An existing directory (an ABS root).
        case directory
        /// An existing regular file (a makepkg.conf).
        case file
        /// A directory that exists or can be created: the nearest existing ancestor is
        /// a writable directory (a pool or state directory made on first use).
        case creatableDirectory
        /// A file that may not exist yet (a repo database before its first publish), but
        /// is not a directory and whose directory is a ``creatableDirectory``.
        case creatableFile
    }

    /// Whether the resolved `path` meets `requirement`.
    func satisfies(_ path: String, _ requirement: Requirement) -> Bool {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        let exists = manager.fileExists(atPath: path, isDirectory: &isDirectory)
        switch requirement {
        case .directory:
            return exists && isDirectory.boolValue
        case .file:
            return exists && !isDirectory.boolValue
        case .creatableDirectory:
            if exists { return isDirectory.boolValue }
            return canCreate(under: (path as NSString).deletingLastPathComponent)
        case .creatableFile:
            if exists { return !isDirectory.boolValue }
            return satisfies((path as NSString).deletingLastPathComponent, .creatableDirectory)
        }
    }

    /// Whether the nearest existing ancestor of `path` (or `path` itself) is a
    /// writable directory, so that `createDirectory(withIntermediateDirectories:)` works.
    private func canCreate(under path: String) -> Bool {
        var current = path.isEmpty ? "/" : path
        var isDirectory: ObjCBool = false
        while !FileManager.default.fileExists(atPath: current, isDirectory: &isDirectory) {
            guard current != "/" else { return false }
            current = (current as NSString).deletingLastPathComponent
        }
        return isDirectory.boolValue && FileManager.default.isWritableFile(atPath: current)
    }

    /// `path` relative to the configuration directory when it lies inside it, for
    /// output people read; absolute otherwise.
    func display(_ path: String) -> String {
        if path == base { return "." }
        let prefix = base.hasSuffix("/") ? base : base + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}

extension ConfigTable {
    /// A path under `key`, resolved, checked against `requirement`; `nil` with an error
    /// when it does not meet it.
    mutating func path(
        _ key: String, _ paths: ConfigPaths, _ requirement: ConfigPaths.Requirement,
        required: Bool = false, expected: String
    ) -> String? {
        guard let raw = string(key, required: required, expected: "a path: \(expected)") else { return nil }
        return checked(raw, key: key, paths, requirement, expected: expected)
    }

    /// A list of paths (or a single one) under `key`, each resolved and checked.
    mutating func paths(
        _ key: String, _ paths: ConfigPaths, _ requirement: ConfigPaths.Requirement,
        required: Bool = false, expected: String
    ) -> [String]? {
        guard let raws = strings(key, required: required, single: true, expected: "a path or an array of paths: \(expected)")
        else { return nil }
        if raws.isEmpty {
            fail(key, .invalidValue(expected: "at least one path: \(expected)", found: "an empty array"))
            return nil
        }
        let resolved = raws.compactMap { checked($0, key: key, paths, requirement, expected: expected) }
        return resolved.count == raws.count ? resolved : nil
    }

    private mutating func checked(
        _ raw: String, key: String, _ paths: ConfigPaths, _ requirement: ConfigPaths.Requirement, expected: String
    ) -> String? {
        let resolved = paths.resolve(raw)
        if paths.satisfies(resolved, requirement) { return resolved }
        fail(key, .missingPath(path: raw, expected: expected))
        return nil
    }
}
