import CCrypto

/// One running OpenSSL message digest, fed while a package streams through libarchive so
/// that its checksums cost no second read of the file. MD5 and SHA-256 are repo-add's;
/// the others are makepkg's source checksums (`sha1sums` ... `b2sums`, BLAKE2b-512 as
/// `b2sum` computes it by default).
///
/// Owns its `EVP_MD_CTX`, freed exactly once in `deinit`. Not `Sendable`: it is mutable
/// state used by one reader on one thread. Public for the Sandbox's content hashes
/// (the makepkg fallback's cache keys).
public final class Digest {
    public enum Algorithm: Sendable { case md5, sha1, sha224, sha256, sha384, sha512, blake2b512 }

    private var context: OpaquePointer?

    public init(_ algorithm: Algorithm) {
        context = EVP_MD_CTX_new()
        let md = switch algorithm {
        case .md5: EVP_md5()
        case .sha1: EVP_sha1()
        case .sha224: EVP_sha224()
        case .sha256: EVP_sha256()
        case .sha384: EVP_sha384()
        case .sha512: EVP_sha512()
        case .blake2b512: EVP_blake2b512()
        }
        // Allocation failure and unknown digests are not recoverable states for a checksum;
        // OpenSSL only fails here when out of memory.
        precondition(context != nil && EVP_DigestInit_ex(context, md, nil) == 1, "OpenSSL digest initialisation failed")
    }

    deinit { EVP_MD_CTX_free(context) }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        EVP_DigestUpdate(context, base, bytes.count)
    }

    /// The digest as lower-case hex, the spelling `md5sum`/`sha256sum` print and repo-add stores.
    public func finalHex() -> String {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &out, &length)
        return hexString(out.prefix(Int(length)))
    }
}

/// Lower-case hex of some bytes.
func hexString<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
    let digits = Array("0123456789abcdef".utf8)
    var text = [UInt8]()
    text.reserveCapacity(bytes.count * 2)
    for byte in bytes {
        text.append(digits[Int(byte >> 4)])
        text.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: text, as: UTF8.self)
}
