import Glibc

/// The sha256 of a whole file, as `sha256sum` prints it and repo-add records in
/// `%SHA256SUM%`. The build store records it for each package a build produced, so that
/// accepting the build can prove the file it publishes is the one that was built.
public enum FileChecksum {
    public static func sha256(ofFileAt path: String) throws(RepoError) -> String {
        let digest = Digest(.sha256)
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
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
            buffer.withUnsafeBytes { digest.update(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
        }
        return digest.finalHex()
    }
}
