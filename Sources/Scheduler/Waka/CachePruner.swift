import Foundation

/// Keeps a waka's package caches (`STATE/cache/packages/`, from the store, and
/// `STATE/cache/server-packages/`, from the repos' servers) under a size bound
/// (`[workers] cache_max_mb`) by deleting the least recently used files first. A use
/// sets a file's modification time (``touch(_:)``), so mtime order is use order.
///
/// A file used within `idleSeconds` is never deleted, whatever the bound: several slots
/// of one waka share the caches, and a slot touches a file just before it links it into
/// its build's work directory (a hard link, which outlives the cache's name). A build
/// that is running has therefore linked its files already, and one about to start has
/// touched them moments ago. The bound may thus be exceeded for a while by what recent
/// builds use. Hidden files (`.lock`, `.fetch-*` temporaries) and pacman's `*.part`
/// downloads are never counted or deleted.
struct CachePruner: Sendable {
    /// What one pass removed and what stays.
    struct Report: Sendable, Equatable {
        var removedFiles = 0
        var removedBytes: Int64 = 0
        var keptBytes: Int64 = 0
    }

    let directories: [String]
    let maxBytes: Int64
    var idleSeconds: TimeInterval = 600

    init(stateDirectory: String, maxBytes: Int64) {
        directories = [PackageCache(stateDirectory: stateDirectory).directory,
                       ServerPackages(stateDirectory: stateDirectory).cacheDirectory]
        self.maxBytes = maxBytes
    }

    init(directories: [String], maxBytes: Int64, idleSeconds: TimeInterval) {
        self.directories = directories
        self.maxBytes = maxBytes
        self.idleSeconds = idleSeconds
    }

    /// Deletes the oldest idle files until the caches together hold at most `maxBytes`.
    /// Best effort: a file that cannot be read or deleted is skipped.
    func prune(now: Date = Date()) -> Report {
        // A cache with a `.lock` (the server packages': pacman downloads under it) is
        // pruned under it, so a file pacman found cached is touched before it can go.
        let locks = directories.map { open($0 + "/.lock", O_RDWR | O_CLOEXEC) }
        defer { for lock in locks where lock >= 0 { close(lock) } }
        for lock in locks where lock >= 0 { flock(lock, LOCK_EX) }
        var files = directories.flatMap(Self.files(under:)).sorted { $0.used < $1.used }
        var report = Report(keptBytes: files.reduce(0) { $0 + $1.size })
        let idleBefore = now.addingTimeInterval(-idleSeconds)
        while report.keptBytes > maxBytes, !files.isEmpty {
            let file = files.removeFirst()
            // Looked at again just before: a slot may have touched it since the listing.
            guard file.used < idleBefore, let used = Self.usedAt(file.path), used < idleBefore else { continue }
            guard unlink(file.path) == 0 else { continue }
            rmdir((file.path as NSString).deletingLastPathComponent)  // a package cache's SHA256/ once empty
            report.removedFiles += 1
            report.removedBytes += file.size
            report.keptBytes -= file.size
        }
        return report
    }

    /// Marks `path` as used now (its modification time), so pruning keeps it longest.
    static func touch(_ path: String) {
        _ = utimes(path, nil)
    }

    private static func usedAt(_ path: String) -> Date? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec) + TimeInterval(info.st_mtim.tv_nsec) / 1e9)
    }

    /// Regular files below `directory`, with their size and last use.
    private static func files(under directory: String) -> [(path: String, size: Int64, used: Date)] {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
        var found: [(path: String, size: Int64, used: Date)] = []
        while let relative = walker.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix(".") || name.hasSuffix(".part") { continue }
            let path = directory + "/" + relative
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, let used = usedAt(path) else { continue }
            found.append((path, Int64(info.st_size), used))
        }
        return found
    }
}
