import Graph

/// The files of a database archive as repo-add sees them after `bsdtar -x` into its
/// temporary directory: one directory per package (`name-version`) holding `desc`,
/// `files` or an old `depends`, byte for byte. ``DatabaseWriter`` edits this and writes
/// it back, so entries it does not touch keep their exact content, as with repo-add.
struct DatabaseArchive {
    /// Directory name to its files (name to content).
    var directories: [String: [String: [UInt8]]] = [:]
    /// Entries left out as unsafe: a name libarchive's reader refuses (`..`, absolute),
    /// or a path deeper than `NAME-VERSION/FILE` (a `/` in a version). Rewriting the
    /// database drops them, so a database that holds one can still be updated.
    var dropped: [String] = []

    init() {}

    /// Reads every entry of the archive at `path`, leaving out unsafe ones (``dropped``)
    /// with every directory they were found in.
    init(reading path: String) throws(RepoError) {
        let reader = try ArchiveReader(file: path, limits: .database)
        var sawDesc = false
        var unsafeDirectories: Set<String> = []
        while true {
            let next: ArchiveEntryHeader?
            do { next = try reader.next() } catch {
                guard case .unsafeEntryName(_, let name, _) = error else { throw error }
                dropped.append(name)
                continue
            }
            guard let header = next else { break }
            let (directory, file) = splitEntryName(header.name)
            if directories[directory] == nil { directories[directory] = [:] }
            guard let file, header.isRegularFile else { continue }
            if directory == "." {  // `./NAME-VERSION/desc`: not a layout repo-add writes
                throw .malformed(file: path, entry: header.name, expected: "NAME-VERSION/FILE", found: header.name)
            }
            if file.contains("/") || PackageFileName.problem(directory) != nil {
                dropped.append(header.name)
                unsafeDirectories.insert(directory)
                continue
            }
            directories[directory]![file] = try reader.readData(size: header.size)
            sawDesc = sawDesc || file == "desc"
        }
        for directory in unsafeDirectories { directories[directory] = nil }
        // repo-add's own check (`bsdtar -tqf DB '*/desc'`): content without any desc is not a database.
        if !directories.isEmpty && !sawDesc {
            throw .malformed(file: path, entry: "*/desc", expected: "a pacman database", found: "no desc entry")
        }
    }

    /// The directories of package `name`, as repo-add's `find_pkgentry` matches them:
    /// the directory name with its last two `-` parts removed equals `name`.
    func directories(ofPackage name: String) -> [String] {
        directories.keys.filter { DatabaseEntry(directoryName: $0)?.name == name }
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// The value of a one-line field of a directory's `desc` (`VERSION`, `FILENAME`).
    func descField(_ field: String, of directory: String) -> String? {
        guard let desc = directories[directory]?["desc"] else { return nil }
        let lines = desc.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard let header = lines.firstIndex(where: { $0.elementsEqual("%\(field)%".utf8) }), header + 1 < lines.count else { return nil }
        return String(decoding: lines[header + 1], as: UTF8.self)
    }

    /// Writes all directories in byte order of their names, each followed by its files.
    func write(to writer: ArchiveWriter, modified: Int) throws(RepoError) {
        for directory in directories.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            try writer.addDirectory(directory, modified: modified)
            let files = directories[directory]!
            for name in files.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                try writer.addFile(directory + "/" + name, contents: files[name]!, modified: modified)
            }
        }
    }
}
