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
    public static func read(at path: String, limits: ReadLimits = .database) throws(RepoError) -> SyncDatabase {
        let reader = try ArchiveReader(file: linkTarget(ofTextLink: path) ?? path, limits: limits)
        // Pass 1, sequential: decompress and collect each directory's field files.
        var directories: [(name: String, files: [(entry: String, data: [UInt8])])] = []
        var index: [String: Int] = [:]
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
            let (directory, file) = splitEntryName(header.name)
            guard !directory.isEmpty else { continue }
            let slot = index[directory] ?? directories.count
            if slot == directories.count {
                index[directory] = slot
                directories.append((directory, []))
            }
            guard file != nil, header.isRegularFile else { continue }
            directories[slot].files.append((header.name, try reader.readData(size: header.size)))
        }
        // Pass 2: parse the directories on every core; the entries are independent.
        let parsed = parallelMap(directories) { directory -> Result<DatabaseEntry, RepoError> in
            guard var entry = DatabaseEntry(directoryName: directory.name) else {
                return .failure(.malformed(file: path, entry: directory.name, expected: "a NAME-PKGVER-PKGREL directory", found: directory.name))
            }
            for file in directory.files {
                do throws(RepoError) { try entry.read(fieldFile: file.data, file: path, entry: file.entry) } catch { return .failure(error) }
            }
            return .success(entry)
        }
        var entries: [DatabaseEntry] = []
        for result in parsed {
            switch result {
            case .success(let entry): entries.append(entry)
            case .failure(let error): problems.append(error)
            }
        }
        var result: [DatabaseEntry] = []
        result.reserveCapacity(entries.count)
        var seen: Set<String> = []
        for entry in entries {
            if entry.filename.isEmpty {
                problems.append(.missingField(file: path, entry: entry.directoryName + "/desc", field: "FILENAME"))
            } else if !seen.insert(entry.name).inserted {
                problems.append(.malformed(file: path, entry: entry.directoryName, expected: "one entry per package name", found: "a second \(entry.name)"))
            } else {
                result.append(entry)
            }
        }
        result.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        return SyncDatabase(path: path, entries: result, problems: problems)
    }
}

extension SyncDatabase {
    /// The sibling archive a `NAME.db` names when it is a symlink stored as a text file
    /// (git with `core.symlinks=false`, or a copy that flattened links, as in our
    /// corpus): a file under 256 bytes whose whole content is the name of a
    /// `NAME.db.tar.EXT` beside it. `nil` for anything else.
    static func linkTarget(ofTextLink path: String) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = attributes[.size] as? Int, size > 0, size < 256,
              let data = FileManager.default.contents(atPath: path),
              let name = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .newlines),
              !name.contains("/"), name.contains(".tar")
        else { return nil }
        let sibling = (path as NSString).deletingLastPathComponent.isEmpty ? name : (path as NSString).deletingLastPathComponent + "/" + name
        return FileManager.default.fileExists(atPath: sibling) ? sibling : nil
    }
}

/// `transform` over `items` in order, spread over the available cores in contiguous chunks.
func parallelMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
    let workers = min(ProcessInfo.processInfo.activeProcessorCount, max(1, items.count / 256))
    guard workers > 1 else { return items.map(transform) }
    let chunk = (items.count + workers - 1) / workers
    let results = UnsafeMutableBufferPointer<R?>.allocate(capacity: items.count)
    results.initialize(repeating: nil)
    defer { results.deallocate() }
    // Each worker writes only its own disjoint range of `results`.
    nonisolated(unsafe) let shared = results
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
        let range = (worker * chunk)..<min(items.count, (worker + 1) * chunk)
        for position in range { shared[position] = transform(items[position]) }
    }
    return results.map { $0! }
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
