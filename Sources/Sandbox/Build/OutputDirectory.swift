import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A directory the sandbox wrote (`job/out`), opened by the host with
/// `O_DIRECTORY|O_NOFOLLOW` below the job directory, so that `out` replaced by a link
/// to a host directory is refused instead of listed. Owns the descriptor.
final class OutputDirectory {
    let path: String
    let descriptor: Int32

    /// Opens `name` below the directory `parent` (the job directory), neither through a link.
    init(_ name: String, in parent: String) throws(SandboxError) {
        let above = try SafeRead.openDirectory(parent).get()
        defer { close(above) }
        path = parent + "/" + name
        descriptor = try SafeRead.openDirectory(name, in: above).mapError { _ in
            SandboxError.io(path: parent + "/" + name, reason: "cannot be opened as a directory: it is missing, a link or not a directory")
        }.get()
    }

    deinit { close(descriptor) }

    /// The entries' names (not `.` and `..`), at most `limit` of them; `nil` names an
    /// entry whose name is not UTF-8, shown with its bytes escaped in `unreadable`.
    ///
    /// The name is read through the `dirent` pointer `readdir` returns: records are as
    /// long as their name, so copying the struct (`pointee`) could read past the end of
    /// the buffer.
    func names(limit: Int) throws(SandboxError) -> (names: [String], unreadable: [String], truncated: Bool) {
        let copy = dup(descriptor)
        guard copy >= 0, let stream = fdopendir(copy) else {
            if copy >= 0 { close(copy) }
            throw .io(path: path, reason: "cannot list: \(errnoText())")
        }
        defer { closedir(stream) }
        rewinddir(stream)
        let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        var names: [String] = [], unreadable: [String] = []
        while let entry = readdir(stream) {
            let bytes = UnsafeRawPointer(entry).advanced(by: offset).assumingMemoryBound(to: CChar.self)
            let length = strlen(bytes)
            if (length == 1 && bytes[0] == 0x2e) || (length == 2 && bytes[0] == 0x2e && bytes[1] == 0x2e) { continue }
            if names.count + unreadable.count >= limit { return (names, unreadable, true) }
            if let name = String(validatingCString: bytes) {
                names.append(name)
            } else {
                let raw = UnsafeRawBufferPointer(start: bytes, count: length)
                unreadable.append(raw.map { $0 < 0x80 && $0 >= 0x20 ? String(UnicodeScalar($0)) : String(format: "\\x%02x", $0) }.joined())
            }
        }
        return (names, unreadable, false)
    }
}
