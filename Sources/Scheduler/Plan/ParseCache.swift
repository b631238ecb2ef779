import Foundation
import Graph

/// What reading each PKGBUILD gave last time, so that a second `pacbuild plan` over an
/// unchanged tree parses nothing: one file, `STATE_DIR/cache/pkgbuild-cache.bin`, in a
/// compact binary form (see `ParseCache+Coding.swift`) that loads 12,000 entries in a
/// few milliseconds, where Codable through JSON or a property list takes ten times that.
///
/// An entry is keyed by the PKGBUILD's path and the reader's environment (CARCH, the
/// makepkg.conf's text, the pacbuild executable) and records the file's size,
/// modification time and a 64-bit hash of its bytes (``wordHash64(_:)``). The rule for a file found
/// again, after `stat`:
/// - other size: read and parse it again;
/// - same size, same mtime (to the nanosecond), entry not *racy*: the cached result,
///   without opening the file;
/// - same size, but a racy entry or another mtime: read the bytes and hash them; the
///   same hash keeps the cached result (and records the new mtime), another parses.
///
/// An entry is racy while its mtime is not at least ``racyWindow`` older than the
/// moment its content was last hashed (git's "racily clean" index entries): an edit in
/// that same second, on a filesystem with whole-second (or FAT's two-second)
/// timestamps, leaves size and mtime unchanged, and only the hash sees it. Once the
/// hash has confirmed a file after its mtime aged past the window, any later write
/// moves the mtime, so size and mtime alone are trusted. What this cannot see is a
/// same-size edit whose mtime is then set back by hand to the old value (`touch -d`,
/// `cp -p` of another version); `pacbuild plan --no-cache` reads everything.
///
/// A cache file that is missing, truncated, corrupt or of another format version is
/// an empty cache: it is rebuilt, never an error.
public struct ParseCache: Sendable {
    /// Where the cache lives under a state directory.
    public static func file(stateDirectory: String) -> String { stateDirectory + "/cache/pkgbuild-cache.bin" }

    /// How long after its content was hashed an entry's mtime stays untrusted.
    public static let racyWindow: Int64 = 2_000_000_000

    struct Key: Hashable, Sendable {
        var path: String
        var environment: UInt64
    }

    struct Entry: Sendable {
        var size: Int64
        /// Nanoseconds since the epoch.
        var mtime: Int64
        var hash: UInt64
        /// When the content was last hashed, nanoseconds since the epoch.
        var hashedAt: Int64
        var result: PKGBUILDReader.Result
    }

    var entries: [Key: Entry] = [:]
    /// Whether ``read(directories:with:environment:)`` found anything to change.
    public private(set) var isModified = false

    /// What the last ``read(directories:with:environment:)`` did, for tests and `--verbose`.
    public struct Statistics: Sendable, Equatable {
        /// Results taken from the cache without reading the file.
        public var unchanged = 0
        /// Results taken from the cache after the file's hash confirmed them.
        public var confirmed = 0
        /// PKGBUILDs parsed.
        public var parsed = 0
    }
    public private(set) var statistics = Statistics()

    public init() {}

    /// The number of cached PKGBUILD results.
    public var count: Int { entries.count }

    /// Reads the PKGBUILDs of `directories` (as ``PKGBUILDTree/read(directories:with:root:)``
    /// does, nothing outside `root`), taking each from the cache when the rule above
    /// allows, and records the new results. `environment` fingerprints everything but the
    /// file that the result depends on (see ``environment(carch:makepkgConf:)``). The
    /// install and changelog files a result names are checked every time, cached or not
    /// (``PKGBUILDTree/checkFiles(of:directory:root:)``): they are not part of the key.
    public mutating func read(directories: [String], with reader: PKGBUILDReader, environment: UInt64,
                              root: String? = nil) -> [PKGBUILDReader.Result]
    {
        let cached = entries
        // taken before any file is read: a write after this moment that keeps the mtime
        // makes the entry racy, so it is hashed again next time
        let now = Self.now()
        let outcomes = directories.concurrentMap { directory in
            var outcome = Self.lookup(directory, cached: cached, environment: environment, reader: reader, now: now, root: root ?? directory)
            outcome.result = PKGBUILDTree.checkFiles(of: outcome.result, directory: directory, root: root ?? directory)
            return outcome
        }
        for (directory, outcome) in zip(directories, outcomes) {
            switch outcome.kind {
            case .unchanged: statistics.unchanged += 1
            case .confirmed: statistics.confirmed += 1
            case .parsed: statistics.parsed += 1
            }
            if let entry = outcome.entry {
                entries[Key(path: directory + "/PKGBUILD", environment: environment)] = entry
                isModified = true
            }
        }
        return outcomes.map(\.result)
    }

    /// Keeps only the entries of `keys`' environments whose path is among `keys`' paths,
    /// and nothing of other environments: a PKGBUILD removed from a tree, a repo removed
    /// from the configuration or given another CARCH or makepkg.conf leaves the cache.
    mutating func retain(_ keys: Set<Key>) {
        let before = entries.count
        entries = entries.filter { keys.contains($0.key) }
        if entries.count != before { isModified = true }
    }

    struct Outcome: Sendable {
        enum Kind: Sendable { case unchanged, confirmed, parsed }
        var kind: Kind
        /// What to record; nil when the entry stands or the file could not be read.
        var entry: Entry?
        var result: PKGBUILDReader.Result
    }

    /// Applies the rule of the type's documentation to one PKGBUILD directory.
    static func lookup(_ directory: String, cached: [Key: Entry], environment: UInt64, reader: PKGBUILDReader,
                       now: Int64, root: String) -> Outcome {
        let file = directory + "/PKGBUILD"
        let old = cached[Key(path: file, environment: environment)]
        let uncached = { Outcome(kind: .parsed, entry: nil, result: PKGBUILDTree.readOne(directory, with: reader, root: root)) }
        guard let (size, mtime) = status(of: file) else { return uncached() }
        if let old, old.size == size, old.mtime == mtime, old.hashedAt - old.mtime >= racyWindow {
            return Outcome(kind: .unchanged, entry: nil, result: old.result)
        }
        // never the file's bytes from outside the tree: refused ones are read (and
        // reported) by readOne, uncached
        guard case .bytes(let data) = PKGBUILDTree.load(file, root: root) else { return uncached() }
        let hash = data.withUnsafeBytes { wordHash64($0) }
        if let old, old.size == Int64(data.count), old.hash == hash {
            return Outcome(kind: .confirmed, entry: Entry(size: old.size, mtime: mtime, hash: hash, hashedAt: now, result: old.result),
                           result: old.result)
        }
        let startdir = directory.hasPrefix("/") ? directory : FileManager.default.currentDirectoryPath + "/" + directory
        let result = reader.read(text: String(decoding: data, as: UTF8.self), file: file, startdir: startdir)
        return Outcome(kind: .parsed, entry: Entry(size: Int64(data.count), mtime: mtime, hash: hash, hashedAt: now, result: result),
                       result: result)
    }

    /// Size and modification time (nanoseconds) of a regular file, nil for anything else.
    static func status(of path: String) -> (size: Int64, mtime: Int64)? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        #if canImport(Darwin)
        let time = info.st_mtimespec
        #else
        let time = info.st_mtim
        #endif
        return (Int64(info.st_size), Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec))
    }

    /// The wall clock in nanoseconds since the epoch, as file times count.
    static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }

    /// The fingerprint of a reader environment: a result read for one CARCH or
    /// makepkg.conf is not valid for another, nor for another pacbuild executable (whose
    /// reader may read differently: its size and mtime stand for its version).
    public static func environment(carch: String, makepkgConf: Data?) -> UInt64 {
        var bytes = Array("carch=\(carch)\u{0}reader=\(executableStamp)\u{0}".utf8)
        bytes += makepkgConf.map { Array("conf\u{0}".utf8) + $0 } ?? Array("debian-default".utf8)
        return bytes.withUnsafeBytes { wordHash64($0) }
    }

    /// The running executable's size and mtime (`/proc/self/exe`), or the format version
    /// where it cannot be found.
    static let executableStamp: String = {
        status(of: "/proc/self/exe").map { "\($0.size)@\($0.mtime)" } ?? "format-\(formatVersion)"
    }()
}

/// FNV-1a over 64-bit words (then the last bytes one by one), with a final mix: one
/// multiply per 8 bytes, plenty for telling two versions of a PKGBUILD apart (not an
/// integrity check against someone forging a collision). A cold plan hashes every
/// PKGBUILD of the trees; byte by byte, that was ~2 % of its CPU time.
func wordHash64(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    let prime: UInt64 = 0x0000_0100_0000_01b3
    let words = bytes.count / 8
    for i in 0..<words {
        let word = bytes.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)
        hash = (hash ^ word) &* prime
        hash ^= hash >> 29
    }
    for byte in bytes[(words * 8)...] {
        hash = (hash ^ UInt64(byte)) &* prime
    }
    hash ^= UInt64(bytes.count)
    hash = (hash ^ (hash >> 32)) &* 0x9e37_79b9_7f4a_7c15
    return hash ^ (hash >> 29)
}
