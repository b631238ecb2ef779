import Foundation
import Synchronization

/// The locks that mark a run's scratch directory as in use: `DIR/.in-use`, locked with
/// `flock` by the process that made it. The kernel drops the lock when that process dies,
/// so whatever a SIGKILLed waka left is told apart from another live process's run.
public final class ScratchLocks: Sendable {
    public static let shared = ScratchLocks()
    static let lockFile = ".in-use"
    private let held = Mutex<[String: Int32]>([:])

    /// Locks `directory`'s lock file (making the directory when missing); locks of
    /// directories that are gone are released.
    public func hold(_ directory: String) {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let fd = open(directory + "/" + Self.lockFile, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        flock(fd, LOCK_EX)
        held.withLock { held in
            for (path, descriptor) in held where access(path, F_OK) != 0 {
                close(descriptor)
                held[path] = nil
            }
            held[directory] = fd
        }
    }

    /// Removes every directory in `parent` whose lock no process holds (made by a process
    /// that died, or before locks existed); returns their paths.
    public static func removeAbandoned(in parent: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []
        var removed: [String] = []
        for name in names.sorted() {
            let path = parent + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { continue }
            let fd = open(path + "/" + lockFile, O_RDWR | O_CLOEXEC | O_NOFOLLOW)
            if fd >= 0 {
                defer { close(fd) }
                guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { continue }  // a live run's
            }
            MountSweep.detachMounts(below: path)
            if (try? FileManager.default.removeItem(atPath: path)) != nil { removed.append(path) }
        }
        return removed
    }
}

/// Mounts a dead process left on the host below a directory (none of pacbuild's own
/// backends leaves any: their mounts live in mount namespaces that die with them).
public enum MountSweep {
    /// Detaches (`umount -l`) every mount point below `directory`, deepest first.
    public static func detachMounts(below directory: String) {
        guard let text = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return }
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        let points = text.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: " ")
            guard fields.count > 4 else { return nil }
            let point = unescape(String(fields[4]))
            return point.hasPrefix(prefix) || point == directory ? point : nil
        }
        for point in points.sorted(by: { $0.count > $1.count }) { umount2(point, Int32(MNT_DETACH)) }
    }

    /// mountinfo's octal escapes (`\040` for a space).
    static func unescape(_ field: String) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(field.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "\\"), utf8.count >= 3, let value = UInt8(String(decoding: utf8.prefix(3), as: UTF8.self), radix: 8) {
                bytes.append(value)
                utf8 = utf8.dropFirst(3)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
