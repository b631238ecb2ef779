import Foundation
import Graph

/// The last rendered plan, reused when nothing it was made from has changed: the
/// configuration files, every PKGBUILD (size and mtime), the repo databases, the
/// makepkg.confs, the pacbuild executable and the command's options.
///
/// This sits in front of ``ParseCache``: a warm `pacbuild plan` over a distribution
/// then costs a walk of the trees and a `stat` per PKGBUILD instead of a plan. A file
/// modified less than ``ParseCache/racyWindow`` ago could change again within the same
/// mtime tick, so its presence disables this cache for the run (the parse cache, which
/// hashes such files, still applies).
public enum PlanOutputCache {
    public static func file(stateDirectory: String) -> String { stateDirectory + "/cache/plan-output.bin" }
    static let magic = Array("PBPO1\n".utf8)

    /// What a cached run prints: the output and the warnings that went to stderr.
    public struct Output: Sendable, Equatable {
        public var stdout: String
        public var warnings: [String]
        public init(stdout: String, warnings: [String]) {
            self.stdout = stdout
            self.warnings = warnings
        }
    }

    /// The output stored for `fingerprint`, nil when there is none (or another).
    public static func load(from path: String, fingerprint: UInt64) -> Output? {
        guard let data = FileManager.default.contents(atPath: path), data.count >= magic.count + 8 + 8 else { return nil }
        let bytes = [UInt8](data)
        guard Array(bytes[0..<magic.count]) == magic else { return nil }
        var offset = magic.count
        func word() -> UInt64 {
            defer { offset += 8 }
            return bytes[offset..<offset + 8].reversed().reduce(0) { $0 << 8 | UInt64($1) }
        }
        guard word() == fingerprint else { return nil }
        let warningsLength = Int(word())
        guard warningsLength <= bytes.count - offset else { return nil }
        let warnings = String(decoding: bytes[offset..<offset + warningsLength], as: UTF8.self)
        let stdout = String(decoding: bytes[(offset + warningsLength)...], as: UTF8.self)
        return Output(stdout: stdout, warnings: warnings.isEmpty ? [] : warnings.components(separatedBy: "\n"))
    }

    /// Stores `output` for `fingerprint` (temporary file and rename); a failure only
    /// means the next run plans again.
    public static func save(_ output: Output, to path: String, fingerprint: UInt64) {
        let warnings = Array(output.warnings.joined(separator: "\n").utf8)
        var bytes = magic
        for value in [fingerprint, UInt64(warnings.count)] {
            bytes += (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
        }
        bytes += warnings
        bytes += Array(output.stdout.utf8)
        let temporary = path + ".tmp.\(getpid())"
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, path) == 0 else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
        }
    }
}

extension Configuration {
    /// A 64-bit fingerprint of everything a plan of this configuration reads, with
    /// `options` (the command's rendering options) mixed in; nil when an input is too
    /// recent to be trusted by its mtime.
    public func planFingerprint(options: String) -> UInt64? {
        var hasher = FingerprintHasher()
        let now = ParseCache.now()
        hasher.add("pacbuild=\(ParseCache.executableStamp)\u{0}options=\(options)\u{0}")
        let configFiles = [directory + "/" + Self.globalFile] + repos.map(\.file) + repos.compactMap(\.makepkgConf)
        for file in configFiles {
            hasher.add(file)
            hasher.add(FileManager.default.contents(atPath: file).map { [UInt8]($0) } ?? [])
        }
        for repo in repos {
            for path in [repo.db] {
                guard hasher.addStatus(of: path, now: now) else { return nil }
            }
            for root in repo.abs {
                guard let tree = try? PKGBUILDTree(root: root) else { hasher.add("missing \(root)"); continue }
                for directory in tree.directories {
                    guard hasher.addStatus(of: directory + "/PKGBUILD", now: now) else { return nil }
                }
            }
        }
        return hasher.value
    }
}

/// FNV-1a over the byte stream of a plan's inputs.
struct FingerprintHasher {
    var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ bytes: [UInt8]) {
        for byte in bytes { value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        value = (value ^ 0xff) &* 0x0000_0100_0000_01b3  // a separator, so ["ab","c"] != ["a","bc"]
    }

    mutating func add(_ text: String) { add(Array(text.utf8)) }

    /// Adds a file's path, size and mtime; false when it changed too recently to trust.
    mutating func addStatus(of path: String, now: Int64) -> Bool {
        guard let (size, mtime) = ParseCache.status(of: path) else { add("absent \(path)"); return true }
        guard now - mtime >= ParseCache.racyWindow else { return false }
        add("\(path) \(size) \(mtime)")
        return true
    }
}
