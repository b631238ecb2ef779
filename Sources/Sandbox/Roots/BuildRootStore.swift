import Foundation

/// The build roots under `STATE/roots/`: listing, lookup, creation and removal.
public struct BuildRootStore: Sendable {
    /// `STATE/roots`.
    public let directory: String

    public init(stateDirectory: String) { directory = stateDirectory + "/roots" }

    /// Every root, complete or not, by name.
    public func list() -> [BuildRoot] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { BuildRoot(name: $0, directory: directory + "/" + $0) }
    }

    /// The complete root `name`.
    public func root(named name: String) throws(SandboxError) -> BuildRoot {
        try Self.check(name)
        let root = BuildRoot(name: name, directory: directory + "/" + name)
        guard FileManager.default.fileExists(atPath: root.directory) else {
            throw .rootNotFound(name: name, rootsDirectory: directory)
        }
        guard root.isComplete else { throw .rootIncomplete(name: name, directory: root.directory) }
        return root
    }

    /// Makes the root `name` from `source`. With `reuse`, a complete root of that name
    /// is returned as it is (tests create their root once); an incomplete one is always
    /// made again. Blocking: debootstrap takes a minute or more.
    public func create(_ name: String, from source: BuildRootSource, reuse: Bool = false) throws(SandboxError) -> BuildRoot {
        try Self.check(name)
        let root = BuildRoot(name: name, directory: directory + "/" + name)
        if root.isComplete {
            if reuse { return root }
            throw .rootExists(name: name, directory: root.directory)
        }
        try BuildRootCreator(root: root, source: source).create()
        return root
    }

    /// Refreshes the packages inside the complete root `name` and writes its stamp again
    /// (``BuildRootUpdater``); returns the root and the commands run. Blocking.
    public func update(_ name: String) throws(SandboxError) -> (root: BuildRoot, commands: [[String]]) {
        let root = try self.root(named: name)
        return (root, try BuildRootUpdater(root: root).update())
    }

    /// Removes the root `name` (directory, image, stamp); the stamp goes first, so an
    /// interrupted removal leaves an incomplete root, never a complete-looking broken one.
    public func remove(_ name: String) throws(SandboxError) {
        try Self.check(name)
        let root = BuildRoot(name: name, directory: directory + "/" + name)
        guard FileManager.default.fileExists(atPath: root.directory) else {
            throw .rootNotFound(name: name, rootsDirectory: directory)
        }
        unlink(root.stampPath)
        do { try FileManager.default.removeItem(atPath: root.directory) } catch {
            throw .io(path: root.directory, reason: "cannot remove: \(error.localizedDescription)")
        }
    }

    /// Names become directory names: no slashes, no leading dot.
    static func check(_ name: String) throws(SandboxError) {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "._-"))
        guard !name.isEmpty, !name.hasPrefix("."), name.unicodeScalars.allSatisfy(allowed.contains) else {
            throw .invalidRootName(name)
        }
    }
}
