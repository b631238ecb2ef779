import Glibc

/// The bytes of one file handed to libarchive block by block, each block also fed to
/// the digests, so a package is read from disk exactly once for its contents and its
/// checksums. Owns the file descriptor, closed exactly once in `deinit`.
///
/// Not `Sendable`: it belongs to one ``ArchiveReader``.
final class FileSource {
    private let path: String
    private let descriptor: Int32
    private var buffer: UnsafeMutableRawBufferPointer
    private let digests: [Digest]
    /// Bytes handed out so far.
    private(set) var bytesRead: Int64 = 0
    /// The `read(2)` failure, if one ended the stream early.
    private(set) var error: String?

    init(path: String, digests: [Digest]) throws(RepoError) {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .io(file: path, reason: String(cString: strerror(errno))) }
        buffer = .allocate(byteCount: 1 << 17, alignment: 16)
        self.digests = digests
    }

    deinit {
        close(descriptor)
        buffer.deallocate()
    }

    /// Reads the next block; returns its size, 0 at the end, -1 on an error.
    func read(into out: UnsafeMutablePointer<UnsafeRawPointer?>) -> Int {
        var count: Int
        repeat { count = Glibc.read(descriptor, buffer.baseAddress, buffer.count) } while count < 0 && errno == EINTR
        if count < 0 {
            error = String(cString: strerror(errno))
            return -1
        }
        let block = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
        for digest in digests { digest.update(block) }
        bytesRead += Int64(count)
        out.pointee = UnsafeRawPointer(buffer.baseAddress)
        return count
    }

    /// Reads whatever libarchive left unread (tar's end padding after the last entry),
    /// so the digests cover the whole file.
    func drain() throws(RepoError) {
        var scratch: UnsafeRawPointer?
        while true {
            let count = read(into: &scratch)
            if count == 0 { return }
            if count < 0 { throw .io(file: path, reason: error ?? "read error") }
        }
    }
}
