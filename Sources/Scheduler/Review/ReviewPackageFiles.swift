import Foundation
import Repo

/// A reviewed build's package files on this machine, looked for at most once: the
/// reported paths when readable here, else the copies a remote waka uploaded, fetched
/// into `STATE/artifacts/ID/` as accept fetches them (``Acceptor/fetchingArtifacts(from:stateDirectory:)``).
/// Review needs a file only for what the recorded facts do not hold (its file list), or
/// for everything when a build has no recorded facts.
struct ReviewPackageFiles {
    let build: BuildRecord
    /// nil: only the reported paths are looked at.
    let fetch: ((BuildRecord) throws -> [String])?
    private var paths: Result<[String], ReviewFileError>?

    init(build: BuildRecord, fetch: ((BuildRecord) throws -> [String])?) {
        self.build = build
        self.fetch = fetch
    }

    /// The package file reported at `index`, read; the error says why it cannot be.
    /// With `linkage`, the ELF files' sonames are read too.
    mutating func read(at index: Int, linkage: Bool = false) -> Result<PackageFile, ReviewFileError> {
        let reported = build.artifacts[index]
        let local: [String]
        switch localPaths() {
        case .success(let list): local = list
        case .failure(let error): return .failure(error)
        }
        let path = local.indices.contains(index) ? local[index] : reported
        guard access(path, R_OK) == 0 else { return .failure(.unavailable(path: reported, fetched: fetch != nil)) }
        return Result { () throws(RepoError) in try PackageFile.read(at: path, linkage: linkage) }.mapError(ReviewFileError.unreadable)
    }

    private mutating func localPaths() -> Result<[String], ReviewFileError> {
        if let paths { return paths }
        let found: Result<[String], ReviewFileError>
        if let fetch {
            do { found = .success(try fetch(build)) } catch { found = .failure(.fetchFailed(reason: "\(error)")) }
        } else {
            found = .success(build.artifacts)
        }
        paths = found
        return found
    }
}

/// Why review could not read a package file.
enum ReviewFileError: Error, CustomStringConvertible {
    /// Neither at the reported path on this machine nor (when the store was asked)
    /// uploaded to the store.
    case unavailable(path: String, fetched: Bool)
    /// Uploaded, but fetching it failed.
    case fetchFailed(reason: String)
    /// Here, but not a readable package.
    case unreadable(RepoError)

    var description: String {
        switch self {
        case .unavailable(let path, let fetched):
            "\(path) is not on this machine" + (fetched ? " and not uploaded to the store (an SQLite waka uploads nothing; review on its machine)" : "")
        case .fetchFailed(let reason): "cannot fetch the package files from the store: \(reason)"
        case .unreadable(let error): error.description
        }
    }
}
