import Glibc

/// The sha256 of a whole file, as `sha256sum` prints it and repo-add records in
/// `%SHA256SUM%`. The build store records it for each package a build produced, so that
/// accepting the build can prove the file it publishes is the one that was built.
public enum FileChecksum {
    public static func sha256(ofFileAt path: String) throws(RepoError) -> String {
        let digest = Digest(.sha256)
        try stream(path) { digest.update($0) }
        return digest.finalHex()
    }

    /// Hands every byte of the file at `path` to `body`, in order, in chunks of up to
    /// 128 KiB; `flags` are added to `open`'s (`O_NOFOLLOW`).
    public static func stream(_ path: String, flags: Int32 = 0, _ body: (UnsafeRawBufferPointer) -> Void) throws(RepoError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | flags)
        guard descriptor >= 0 else { throw .io(file: path, reason: errnoText()) }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 1 << 17)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw .io(file: path, reason: errnoText())
            }
            buffer.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
        }
    }
}
