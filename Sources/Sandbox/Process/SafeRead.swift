import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reading what a sandbox left in its job directory, which its processes could write
/// (and may still be writing): nothing is followed, nothing blocks, nothing is large.
///
/// Every file is opened without following a link at its last component and without
/// blocking (a FIFO would otherwise hang the reader in `open`), after `fstatat` said it
/// is a regular file (a device is never opened: opening one can have effects), and
/// `fstat` of the descriptor checks it again, since the entry may change in between.
/// Directories are opened with `O_NOFOLLOW` too, so a link put in place of `out/`
/// leads nowhere.
public enum SafeRead {
    /// The content of a small regular file, at most `limit` bytes (a status file, a
    /// script's output): a link, FIFO, device or directory there, or a larger file,
    /// throws ``SandboxError/io(path:reason:)`` saying which. The file's directory is
    /// opened with `O_NOFOLLOW` as well.
    public static func smallFile(at path: String, limit: Int) throws(SandboxError) -> Data {
        let parent = (path as NSString).deletingLastPathComponent
        let directory = try openDirectory(parent.isEmpty ? "." : parent).get()
        defer { close(directory) }
        let (descriptor, size) = try openRegular((path as NSString).lastPathComponent, in: directory,
                                                 path: path, limit: UInt64(max(limit, 0))).get()
        defer { close(descriptor) }
        var data = Data(capacity: Int(size))
        let copied = copy(from: descriptor, limit: UInt64(max(limit, 0))) { data.append(contentsOf: $0); return true }
        switch copied {
        case .success: return data
        case .failure(let error): throw .io(path: path, reason: error.reason)
        }
    }

    /// Why a file could not be read.
    struct Refusal: Error {
        var reason: String
    }

    /// `path` opened as a directory, not through a link.
    static func openDirectory(_ path: String, in parent: Int32 = AT_FDCWD) -> Result<Int32, SandboxError> {
        let descriptor = openat(parent, path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else {
            let reason = errno == ELOOP || errno == ENOTDIR ? "is not a directory (\(describe(path, in: parent)))" : errnoText()
            return .failure(.io(path: path, reason: reason))
        }
        return .success(descriptor)
    }

    /// Entry `name` of the directory `directory` opened for reading: a regular file with
    /// one link, at most `limit` bytes. Returns the descriptor (the caller closes it) and
    /// the size; the error names `path` and what the entry is instead.
    static func openRegular(_ name: String, in directory: Int32, path: String, limit: UInt64,
                            singleLink: Bool = true) -> Result<(Int32, UInt64), SandboxError> {
        var info = stat()
        guard fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return .failure(.io(path: path, reason: errnoText())) }
        if let refusal = refusal(info, limit: limit, singleLink: singleLink) { return .failure(.io(path: path, reason: refusal)) }
        let descriptor = openat(directory, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard descriptor >= 0 else {
            return .failure(.io(path: path, reason: errno == ELOOP ? "is a symbolic link" : errnoText()))
        }
        guard fstat(descriptor, &info) == 0 else {
            let reason = errnoText()
            close(descriptor)
            return .failure(.io(path: path, reason: reason))
        }
        if let refusal = refusal(info, limit: limit, singleLink: singleLink) {
            close(descriptor)
            return .failure(.io(path: path, reason: refusal))
        }
        return .success((descriptor, UInt64(info.st_size)))
    }

    /// Why a file of this `stat` is not read, or `nil`.
    static func refusal(_ info: stat, limit: UInt64, singleLink: Bool) -> String? {
        guard info.st_mode & S_IFMT == S_IFREG else { return "is \(kind(info.st_mode)), not a regular file" }
        if singleLink && info.st_nlink != 1 { return "is a hard link (\(info.st_nlink) links)" }
        if UInt64(max(info.st_size, 0)) > limit { return "is \(info.st_size) bytes, over the limit of \(limit) bytes" }
        return nil
    }

    /// Reads `descriptor` to its end in blocks handed to `sink` (which may stop the copy
    /// by returning `false`); more than `limit` bytes (a file still growing) is refused.
    static func copy(from descriptor: Int32, limit: UInt64, into sink: (UnsafeRawBufferPointer) -> Bool) -> Result<UInt64, Refusal> {
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var total: UInt64 = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return .success(total) }
            if count < 0 {
                if errno == EINTR { continue }
                // EAGAIN: not a regular file after all; nothing else can block
                return .failure(Refusal(reason: "cannot be read: \(errnoText())"))
            }
            total += UInt64(count)
            if total > limit { return .failure(Refusal(reason: "grew past the limit of \(limit) bytes while being read")) }
            let kept = buffer.withUnsafeBytes { sink(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            if !kept { return .failure(Refusal(reason: "could not be copied: \(errnoText())")) }
        }
    }

    /// "a symbolic link", "a FIFO", ...: what a mode says an entry is.
    static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFREG: "a regular file"
        case S_IFDIR: "a directory"
        case S_IFLNK: "a symbolic link"
        case S_IFIFO: "a FIFO"
        case S_IFSOCK: "a socket"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        default: "of unknown type \(String(mode & S_IFMT, radix: 8))"
        }
    }

    /// What `name` in `directory` is, by `lstat`, for a message.
    private static func describe(_ name: String, in directory: Int32) -> String {
        var info = stat()
        guard fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return errnoText() }
        return kind(info.st_mode)
    }
}

func errnoText() -> String { String(cString: strerror(errno)) }
