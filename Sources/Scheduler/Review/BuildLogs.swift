import Foundation
import Repo

/// Where a build's log can be read on this machine: at the path the waka reported when
/// that is readable here (the same machine, or a shared filesystem), else the copy a
/// PostgreSQL waka uploaded to the store (docs/distributed.md), fetched into
/// `STATE/cache/logs/ID/build.log` and fetched again only when the stored one changed
/// (a retried build uploads a new log under the same name).
public struct BuildLogs: Sendable {
    public let store: any BuildStore
    public let stateDirectory: String

    /// The name a waka uploads the log under (kind `log`).
    public static let storedName = "build.log"

    public init(store: any BuildStore, stateDirectory: String) {
        self.store = store
        self.stateDirectory = stateDirectory
    }

    /// Where a log is, without fetching anything.
    public enum Location: Sendable, Equatable {
        /// Readable at the reported path.
        case local(String)
        /// Not readable here, but uploaded to the store.
        case stored(StoredFile)
        /// Neither: the waka reported none, or its path is on another machine and it
        /// uploaded nothing (an SQLite waka never uploads).
        case missing
    }

    public func location(of build: BuildRecord) throws -> Location {
        if let log = build.log, access(log, R_OK) == 0 { return .local(log) }
        let stored = try store.files(of: build.id).first { $0.kind == .log && $0.name == Self.storedName }
        return stored.map(Location.stored) ?? .missing
    }

    /// A path on this machine the log can be read from, fetching the uploaded copy into
    /// the cache when the reported path is not readable here.
    /// - Throws: ``SchedulerError/logNotFound(build:tried:)`` when there is neither.
    public func readablePath(of build: BuildRecord) throws -> String {
        switch try location(of: build) {
        case .local(let path):
            return path
        case .stored(let file):
            let path = cachePath(of: build.id)
            if !Self.matches(path, file) {
                do {
                    try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                            withIntermediateDirectories: true)
                } catch {
                    throw SchedulerError.io(path: path, reason: "cannot create the log cache: \(error.localizedDescription)")
                }
                try store.fetchFile(build.id, kind: .log, name: Self.storedName, to: path)
            }
            return path
        case .missing:
            throw SchedulerError.logNotFound(build: "\(build.id) \(build.package) \(build.version) (\(build.state))", tried: build.log)
        }
    }

    /// Where a waka on this machine writes the log of `build` while it builds: makepkg's
    /// output in its work directory (`STATE/work/ID/build.log`, Sandbox's
    /// `BuildWorkspace`), removed once the build is reported and its log kept.
    public func livePath(of build: BuildID) -> String {
        stateDirectory + "/work/\(build.rawValue)/build.log"
    }

    /// Where a fetched log of `build` is kept.
    public func cachePath(of build: BuildID) -> String {
        stateDirectory + "/cache/logs/\(build.rawValue)/" + Self.storedName
    }

    /// Whether the cached copy is the stored file (size first, so a changed log is
    /// usually told apart without reading it).
    private static func matches(_ path: String, _ file: StoredFile) -> Bool {
        guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int64, size == file.size
        else { return false }
        return (try? FileChecksum.sha256(ofFileAt: path)) == file.sha256
    }
}
