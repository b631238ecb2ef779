import Foundation

/// `STATE/sources/`: downloaded sources, content-addressed. The file itself is
/// `sha256/HEX` (root's, mode 0444); every other sum a PKGBUILD verified it with is a
/// hard link to it, `ALG/SUM` (`b2/HEX`, `md5/HEX`, `ck/DECIMAL`), so a PKGBUILD that
/// gives only `b2sums` finds it as well. `tmp/` holds downloads in progress.
///
/// A file is never trusted for its name alone: a lookup computes every sum the entry
/// gives again before it is used (a file damaged on disk is fetched anew).
public struct SourceCache: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// The cache file for a sum (`sha256/HEX`); nil for a sum that cannot be a file name.
    public func path(for checksum: SourceChecksum) -> String? {
        checksum.isKey ? directory + "/" + checksum.algorithm.rawValue + "/" + checksum.normalized : nil
    }

    var temporaryDirectory: String { directory + "/tmp" }

    /// A new name for a file on its way in. Files a killed process left in `tmp/` more
    /// than two days ago (no download lasts a day: `sources.timeout` is at most 86400 s)
    /// are removed on the way.
    func temporaryPath() throws(SandboxError) -> String {
        try makeDirectory(temporaryDirectory)
        chmod(directory, 0o755)
        chmod(temporaryDirectory, 0o700)
        let stale = time(nil) - 2 * 86_400
        for name in (try? FileManager.default.contentsOfDirectory(atPath: temporaryDirectory)) ?? [] {
            var info = stat()
            let path = temporaryDirectory + "/" + name
            if lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG && info.st_mtim.tv_sec < stale { unlink(path) }
        }
        return temporaryDirectory + "/" + UUID().uuidString
    }

    /// The first cache file one of `keys` names, if any (not yet verified).
    func candidate(_ keys: [SourceChecksum]) -> String? {
        for key in keys {
            guard let path = path(for: key) else { continue }
            var info = stat()
            if lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG { return path }
        }
        return nil
    }

    /// Moves a verified file into the cache under its sha256 and links every other sum
    /// of `checksums` to it; returns the `sha256/HEX` path. The file becomes root's
    /// (this process's) and read-only.
    func insert(_ file: String, sha256: String, checksums: [SourceChecksum]) throws(SandboxError) -> String {
        let key = SourceChecksum(.sha256, sha256)
        guard let target = path(for: key) else { throw .invalidJob("\(sha256) is not a sha256") }
        try makeDirectory((target as NSString).deletingLastPathComponent)
        chmod(file, 0o444)
        guard rename(file, target) == 0 else {
            throw .io(path: target, reason: "cannot move the download into the source cache: \(String(cString: strerror(errno)))")
        }
        for checksum in checksums where checksum.algorithm != .sha256 {
            guard let link = path(for: checksum) else { continue }
            try makeDirectory((link as NSString).deletingLastPathComponent)
            let temporary = link + ".new-" + UUID().uuidString
            guard Glibc.link(target, temporary) == 0 else { continue }
            if rename(temporary, link) != 0 { unlink(temporary) }
        }
        return target
    }
}
