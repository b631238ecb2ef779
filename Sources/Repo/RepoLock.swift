import Glibc

/// repo-add's lock: the file `DB.lck`, created exclusively and holding the owner's pid,
/// removed when the update ends. Two writers (pacbuild or repo-add) never update one
/// database at once. Like repo-add's, a lock left by a killed process stays until a
/// maintainer removes it, because a pid alone cannot prove the holder is gone.
///
/// Owns the lock file: ``release()`` (or `deinit`) removes it exactly once.
/// Not `Sendable`: the lock belongs to the one update that took it. Public so that
/// pacbuild's crash recovery can hold a repo still while it sweeps the pool.
public final class RepoLock {
    /// The lock file's path.
    public let path: String
    private var held = false

    /// Takes the lock or throws ``RepoError/locked(lockFile:holder:)`` naming the holder's pid.
    ///
    /// The pid is written to `.tmp.NAME-PID` beside the lock first, which is then linked
    /// to the lock's name (`link` fails if the lock exists, as `O_EXCL` would): the lock
    /// never exists without its pid, so a process killed while locking leaves no empty
    /// lock that nobody can tell from one being written. A temporary file such a kill
    /// leaves starts with `.tmp.NAME`, which crash recovery removes with the database's.
    public init(path: String) throws(RepoError) {
        self.path = path
        let slash = path.utf8.lastIndex(of: UInt8(ascii: "/"))
        let directory = slash.map { String(path[..<$0]) + "/" } ?? ""
        let name = slash.map { String(path[path.utf8.index(after: $0)...]) } ?? path
        let temporary = directory + ".tmp.\(name)-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .io(file: temporary, reason: String(cString: strerror(errno))) }
        defer { unlink(temporary) }
        let pid = "\(getpid())\n"
        let written = pid.withCString { write(descriptor, $0, strlen($0)) }
        close(descriptor)
        guard written == pid.utf8.count else { throw .io(file: temporary, reason: "cannot write the pid") }
        guard link(temporary, path) == 0 else {
            if errno == EEXIST { throw .locked(lockFile: path, holder: RepoLock.holder(of: path)) }
            throw .io(file: path, reason: String(cString: strerror(errno)))
        }
        held = true
    }

    deinit { release() }

    /// Removes the lock file; later calls do nothing.
    public func release() {
        guard held else { return }
        held = false
        unlink(path)
    }

    /// The pid written into a lock file, nil when there is none or it cannot be read.
    public static func holder(of path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 32)
        guard fgets(&buffer, 32, file) != nil else { return nil }
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let trimmed = text.drop(while: \.isWhitespace)
        return trimmed.isEmpty ? nil : String(trimmed.prefix { !$0.isWhitespace })
    }
}
