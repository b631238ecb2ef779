import Foundation
import Repo

/// `STATE/cache/packages/SHA256/NAME`: package files fetched from the store, kept by
/// their sha256 so a waka fetches each dependency package once, whichever build needs
/// it next. The file keeps its name because a repository database lists packages by
/// file name.
///
/// A cached file is trusted only after its sha256 is computed again: a file damaged on
/// disk (or a fetch cut short by a crash) is fetched anew rather than installed.
struct PackageCache: Sendable {
    let directory: String

    init(stateDirectory: String) {
        directory = stateDirectory + "/cache/packages"
    }

    /// Where `file` is kept. Its name and sha256 come from the store, where a waka
    /// uploaded them: each must be one plain path component (the sha256 lower-case hex).
    func path(of file: StoredFile) throws(SchedulerError) -> String {
        do { try PackageFileName.check(file.name, from: "build \(file.build)'s stored file") } catch { throw .repo(error) }
        guard file.sha256.count == 64, file.sha256.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            throw .io(path: directory, reason: "build \(file.build)'s stored file \(file.name) has no valid sha256 (\(file.sha256))")
        }
        return directory + "/" + file.sha256 + "/" + file.name
    }

    /// The local path of `file`, fetched from the store unless a copy with its sha256 is
    /// already here; `fetched` says which.
    func file(_ file: StoredFile, from store: any BuildStore) throws -> (path: String, fetched: Bool) {
        let target = try path(of: file)
        // Touched before it is checked and linked: ``CachePruner`` deletes the least
        // recently used files first and never one used in the last minutes.
        CachePruner.touch(target)
        if Self.holds(target, sha256: file.sha256) { return (target, false) }
        let parent = (target as NSString).deletingLastPathComponent
        do { try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true) } catch {
            throw SchedulerError.io(path: parent, reason: "cannot create the package cache: \(error.localizedDescription)")
        }
        // A name of its own, so two slots fetching the same package never write one
        // temporary file; fetchFile checks size and sha256 before the rename.
        let temporary = parent + "/.fetch-\(UUID().uuidString)"
        defer { unlink(temporary) }
        try store.fetchFile(file.build, kind: .package, name: file.name, to: temporary)
        guard rename(temporary, target) == 0 else {
            throw SchedulerError.io(path: target, reason: "cannot move the fetched package into the cache: \(String(cString: strerror(errno)))")
        }
        return (target, true)
    }

    /// Whether `path` exists with this sha256.
    static func holds(_ path: String, sha256: String) -> Bool {
        guard FileManager.default.fileExists(atPath: path) else { return false }
        return (try? FileChecksum.sha256(ofFileAt: path)) == sha256
    }
}
