import Foundation
import Repo

/// One of makepkg's integrity algorithms (`known_hash_algos` in libmakepkg's
/// `util/schema.sh`), in makepkg's order: `ck` (POSIX `cksum`), `md5`, `sha1`, `sha224`,
/// `sha256`, `sha384`, `sha512`, `b2` (BLAKE2b-512, `b2sum`'s default).
public enum SourceChecksumAlgorithm: String, Sendable, CaseIterable, Codable {
    case ck, md5, sha1, sha224, sha256, sha384, sha512, b2

    /// The PKGBUILD array holding this algorithm's sums (`sha256sums`).
    public var arrayName: String { rawValue + "sums" }

    /// Strongest first: the name a source is shared under in the store is its strongest
    /// checksum, so every PKGBUILD with the same sums finds it under the same name.
    public static let byStrength: [SourceChecksumAlgorithm] = [.b2, .sha512, .sha384, .sha256, .sha224, .sha1, .md5, .ck]

    /// Whether `value` (lower-cased) is spelled as this algorithm's tool prints a sum:
    /// decimal digits for `cksum`, lower-case hex of the digest's length otherwise. A sum
    /// of another spelling can never match, and is never used as a file name.
    public func isWellFormed(_ value: String) -> Bool {
        let digits = Array(value.utf8)
        if self == .ck { return (1...10).contains(digits.count) && digits.allSatisfy { (0x30...0x39).contains($0) } }
        let length = switch self {
        case .ck: 0
        case .md5: 32
        case .sha1: 40
        case .sha224: 56
        case .sha256: 64
        case .sha384: 96
        case .sha512, .b2: 128
        }
        return digits.count == length && digits.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}

/// A sum a PKGBUILD gives for one source entry, as written (`SKIP` included).
public struct SourceChecksum: Sendable, Hashable, Codable, CustomStringConvertible {
    public var algorithm: SourceChecksumAlgorithm
    public var value: String

    public init(_ algorithm: SourceChecksumAlgorithm, _ value: String) {
        self.algorithm = algorithm
        self.value = value
    }

    /// makepkg skips the check of an entry whose sum is exactly `SKIP`.
    public var isSkip: Bool { value == "SKIP" }
    /// makepkg compares `${expectedsum,,}` with the tool's output: case does not matter.
    public var normalized: String { value.lowercased() }
    /// A sum that can name a cache file: not `SKIP`, and spelled as the tool prints it.
    public var isKey: Bool { !isSkip && algorithm.isWellFormed(normalized) }

    public var description: String { "\(algorithm.arrayName) \(value)" }
}

/// The sums of a file for several algorithms, computed in one read.
enum SourceDigests {
    static func compute(_ path: String, _ algorithms: Set<SourceChecksumAlgorithm>) throws(SandboxError) -> [SourceChecksumAlgorithm: String] {
        var digests: [(SourceChecksumAlgorithm, Digest)] = []
        var crc: CRC? = nil
        for algorithm in algorithms {
            switch algorithm {
            case .ck: crc = CRC()
            case .md5: digests.append((algorithm, Digest(.md5)))
            case .sha1: digests.append((algorithm, Digest(.sha1)))
            case .sha224: digests.append((algorithm, Digest(.sha224)))
            case .sha256: digests.append((algorithm, Digest(.sha256)))
            case .sha384: digests.append((algorithm, Digest(.sha384)))
            case .sha512: digests.append((algorithm, Digest(.sha512)))
            case .b2: digests.append((algorithm, Digest(.blake2b512)))
            }
        }
        do {
            try FileChecksum.stream(path, flags: O_NOFOLLOW) { chunk in
                for (_, digest) in digests { digest.update(chunk) }
                crc?.update(chunk)
            }
        } catch { throw .io(path: path, reason: "cannot read the source: \(error)") }
        var result: [SourceChecksumAlgorithm: String] = [:]
        for (algorithm, digest) in digests { result[algorithm] = digest.finalHex() }
        if var crc { result[.ck] = String(crc.final()) }
        return result
    }

    /// The checksum POSIX `cksum` prints first: CRC-32 (polynomial 0x04C11DB7, most
    /// significant bit first) over the data and then its length in as few bytes as it
    /// takes, least significant first, complemented.
    struct CRC {
        private static let table: [UInt32] = (0..<256).map { byte in
            var value = UInt32(byte) << 24
            for _ in 0..<8 { value = value & 0x8000_0000 != 0 ? (value << 1) ^ 0x04C1_1DB7 : value << 1 }
            return value
        }
        private var value: UInt32 = 0
        private var length: UInt64 = 0

        mutating func update(_ bytes: UnsafeRawBufferPointer) {
            for byte in bytes { add(byte) }
            length += UInt64(bytes.count)
        }

        private mutating func add(_ byte: UInt8) {
            value = (value << 8) ^ Self.table[Int((value >> 24) ^ UInt32(byte))]
        }

        mutating func final() -> UInt32 {
            var remaining = length
            while remaining > 0 {
                add(UInt8(remaining & 0xff))
                remaining >>= 8
            }
            return ~value
        }
    }
}
