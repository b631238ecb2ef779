import Foundation

/// A sync database (`core.db`) or files database (`core.files`) as pacman reads it:
/// a tar archive, in any compression, of `name-version/desc` entries (and `files` in a
/// files database, or `depends` in the layout before pacman 5.0).
///
/// Read in one streaming pass; nothing touches the disk. A broken entry does not cost
/// the rest of the database: it is left out and reported in ``problems``, as libalpm
/// logs and skips it. A broken archive (truncated, corrupt) throws.
public struct SyncDatabase: Sendable {
    /// The file read, as given.
    public let path: String
    /// The packages, sorted by name byte-wise as libalpm's package cache is (which is the
    /// order `pacman -Sl` prints).
    public var entries: [DatabaseEntry]
    /// The entries that were left out and why.
    public var problems: [RepoError]

    /// The repository name: the file name up to `.db` or `.files` (`core` for
    /// `core.db.tar.gz`), which is what pacman.conf calls the repository.
    public var name: String { repositoryName(ofDatabase: path) }

    public init(path: String, entries: [DatabaseEntry], problems: [RepoError] = []) {
        self.path = path
        self.entries = entries
        self.problems = problems
    }

    /// Reads the database at `path`, following a `NAME.db` symlink like any file, and
    /// also a symlink that lost its link on the way (see ``linkTarget(ofTextLink:)``).
    ///
    /// The calling thread decompresses (libarchive) and cuts the archive (``TarStream``)
    /// into ``DatabaseBatch``es
    /// (see ``DatabaseBatcher``); a parser thread parses each batch while the next is
    /// decompressed, so on two cores reading costs about as much as decompressing.
    public static func read(at path: String, limits: ReadLimits = .database) throws(RepoError) -> SyncDatabase {
        var reader = try TarStream(file: linkTarget(ofTextLink: path) ?? path, limits: limits)
        var batcher = DatabaseBatcher(path: path)
        defer { batcher.waitForParser() }
        var problems: [RepoError] = []
        while true {
            let header: ArchiveEntryHeader
            do {
                guard let next = try reader.next() else { break }
                header = next
            } catch {
                if case .unsafeEntryName = error { problems.append(error); continue }
                throw error
            }
            try batcher.add(header, from: &reader)
        }
        return SyncDatabase(path: path, collecting: batcher.finish(), problems: problems)
    }

    /// The entries of parsed batches in archive order, checked as libalpm checks them (a
    /// FILENAME, one entry per name), then sorted by name byte-wise.
    private init(path: String, collecting batches: [DatabaseBatch], problems: [RepoError]) {
        var problems = problems
        // Entries are moved (one reference each, see DatabaseEntry) into `result` in name order.
        var names: [String] = []
        var places: [(batch: Int, index: Int)] = []
        for (number, batch) in batches.enumerated() {
            for index in batch.entries.indices {
                if let failure = batch.failures[index] { problems.append(failure); continue }
                guard let entry = batch.entries[index] else { continue }
                if entry.filename.isEmpty {
                    problems.append(.missingField(file: path, entry: entry.directoryName + "/desc", field: "FILENAME"))
                } else {
                    names.append(entry.name)
                    places.append((number, index))
                }
            }
        }
        // Sort positions by (name, archive position): duplicates end up adjacent, the
        // first in the archive kept, as libalpm keeps the first package of a name.
        var order = Array(names.indices)
        if !zip(names, names.dropFirst()).allSatisfy({ bytewiseLess($0, $1) }) {
            // Most comparisons are decided by the first 8 bytes, compared as one number.
            let prefixes = names.map(bytewisePrefix)
            order.sort { a, b in
                if prefixes[a] != prefixes[b] { return prefixes[a] < prefixes[b] }
                return bytewiseLess(names[a], names[b]) || (a < b && !bytewiseLess(names[b], names[a]))
            }
        }
        var result: [DatabaseEntry] = []
        result.reserveCapacity(order.count)
        var previous: Int?
        for position in order {
            let place = places[position]
            let entry = batches[place.batch].entries[place.index].take()!
            if let previous, bytesEqual(names[previous][...], entry.name[...]) {
                problems.append(.malformed(file: path, entry: entry.directoryName, expected: "one entry per package name", found: "a second \(entry.name)"))
            } else {
                result.append(entry)
                previous = position
            }
        }
        self.init(path: path, entries: result, problems: problems)
    }
}

extension SyncDatabase {
    /// The sibling archive a `NAME.db` names when it is a symlink stored as a text file
    /// (git with `core.symlinks=false`, or a copy that flattened links, as in our
    /// corpus): a file under 256 bytes whose whole content is the name of a
    /// `NAME.db.tar.EXT` beside it. `nil` for anything else.
    static func linkTarget(ofTextLink path: String) -> String? {
        // Plain stat and read: FileManager's attributes look up the owner's name in
        // /etc/passwd, which costs more than the rest of this check on every `repo ls`.
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size > 0, info.st_size < 256 else { return nil }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: 256)
        let count = Glibc.read(descriptor, &bytes, bytes.count)
        guard count > 0, let text = String(validating: bytes[..<count], as: UTF8.self) else { return nil }
        let name = text.trimmingCharacters(in: .newlines)
        guard !name.isEmpty, !name.contains("/"), name.contains(".tar") else { return nil }
        let slash = path.utf8.lastIndex(of: UInt8(ascii: "/"))
        let sibling = slash.map { String(path[...$0]) + name } ?? name
        return access(sibling, F_OK) == 0 ? sibling : nil
    }
}

/// Byte-wise `a < b`, as libalpm's `strcmp` orders names (String's `<` would compare
/// canonically equivalent spellings as equal).
func bytewiseLess(_ a: String, _ b: String) -> Bool {
    var a = a, b = b
    return a.withUTF8 { a in
        b.withUTF8 { b in
            let common = min(a.count, b.count)
            let order = common == 0 ? 0 : memcmp(a.baseAddress!, b.baseAddress!, common)
            return order != 0 ? order < 0 : a.count < b.count
        }
    }
}

/// Whether two strings have the same bytes (memcmp on their UTF-8, not the generic
/// element-by-element comparison).
func bytesEqual(_ a: Substring, _ b: Substring) -> Bool {
    a.utf8.withContiguousStorageIfAvailable { a in
        b.utf8.withContiguousStorageIfAvailable { b in
            a.count == b.count && (a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
        }
    }.flatMap { $0 } ?? a.utf8.elementsEqual(b.utf8)
}

/// The first 8 bytes of `name` as a big-endian number, zero-padded: for two names with
/// different prefixes, `<` on the prefixes is ``bytewiseLess(_:_:)`` on the names
/// (package names hold no NUL bytes).
func bytewisePrefix(_ name: String) -> UInt64 {
    var prefix: UInt64 = 0
    var shift: UInt64 = 56
    for byte in name.utf8.prefix(8) {
        prefix |= UInt64(byte) << shift
        shift &-= 8
    }
    return prefix
}

/// `dir/file` split at the first `/`; a bare `dir/` gives no file.
func splitEntryName(_ name: String) -> (directory: String, file: String?) {
    guard let slash = name.utf8.firstIndex(of: UInt8(ascii: "/")) else { return (name, nil) }
    let directory = String(name[..<slash])
    let rest = name[name.utf8.index(after: slash)...]
    return (directory, rest.isEmpty ? nil : String(rest))
}

/// The repository name in a database file name: `core` for `/srv/core.db.tar.gz`,
/// `core.files` gives `core` too.
func repositoryName(ofDatabase path: String) -> String {
    let base = path.split(separator: "/").last.map(String.init) ?? path
    for marker in [".db", ".files"] {
        if let range = base.range(of: marker + ".tar") ?? (base.hasSuffix(marker) ? base.range(of: marker, options: .backwards) : nil) {
            return String(base[..<range.lowerBound])
        }
    }
    return base
}
