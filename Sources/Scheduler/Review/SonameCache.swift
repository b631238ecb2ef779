import Foundation
import Repo

/// The sonames of package files already in a repo's pool (which pacbuild may not have
/// built, so nothing recorded them), read once from the file and kept by its sha256:
/// in memory, and as `STATE/sonames/SHA256.json` when there is a state directory, so a
/// pool is read through once, not at every `checkbuilds`.
struct SonameCache {
    /// `STATE/sonames`; nil: memory only.
    let directory: String?
    private var known: [String: PackageLinkage] = [:]

    init(stateDirectory: String?) {
        directory = stateDirectory.map { $0 + "/sonames" }
    }

    /// The linkage of `entry`'s package file in `pool`: cached by the entry's
    /// `%SHA256SUM%`, else read from the file (and cached by the file's own sha256, which
    /// is the entry's unless the pool and database disagree).
    mutating func linkage(of entry: DatabaseEntry, pool: String) throws(RepoError) -> PackageLinkage {
        if let sha = entry.sha256sum, let cached = cached(sha) { return cached }
        guard !entry.filename.contains("/") else {
            throw .refusedValue(file: pool, field: "%FILENAME%", value: entry.filename, reason: "a file name with a slash")
        }
        let file = try PackageFile.read(at: pool + "/" + entry.filename, linkage: true)
        let linkage = file.linkage ?? PackageLinkage()
        store(linkage, for: file.checksums.sha256sum)
        return linkage
    }

    private mutating func cached(_ sha: String) -> PackageLinkage? {
        if let linkage = known[sha] { return linkage }
        guard let path = path(sha), let data = FileManager.default.contents(atPath: path),
              let linkage = try? JSONDecoder().decode(PackageLinkage.self, from: data) else { return nil }
        known[sha] = linkage
        return linkage
    }

    /// Keeps the sonames recorded with a build's package facts under the file's sha256,
    /// so that once accepted into the pool the file is not read again for them.
    mutating func remember(_ facts: PackageFacts) {
        guard let provides = facts.sonamesProvided, let needs = facts.sonamesNeeded, cached(facts.sha256) == nil else { return }
        store(PackageLinkage(provides: provides, needs: needs, problems: facts.sonameProblems ?? []), for: facts.sha256)
    }

    /// Keeps `linkage`; a cache file that cannot be written only costs a later re-read.
    private mutating func store(_ linkage: PackageLinkage, for sha: String) {
        known[sha] = linkage
        guard let directory, let path = path(sha), let data = try? JSONEncoder().encode(linkage) else { return }
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = path + ".tmp-\(getpid())"
        if FileManager.default.createFile(atPath: temporary, contents: data) { _ = rename(temporary, path) }
    }

    /// Only a 64-digit hex sha256 names a file: a database's text never becomes a path.
    private func path(_ sha: String) -> String? {
        guard let directory, sha.utf8.count == 64, sha.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else { return nil }
        return directory + "/" + sha + ".json"
    }
}
