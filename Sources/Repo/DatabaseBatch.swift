import Dispatch
import Glibc

/// A run of consecutive database directories, their field files' bytes in one buffer,
/// parsed together on the parser thread while the reader decompresses the next run.
///
/// `@unchecked Sendable` because ownership is handed over, never shared: the reading
/// thread fills a batch, then only the parser touches it until the reader's
/// `DispatchGroup.wait()`, after which only the reader does again.
final class DatabaseBatch: @unchecked Sendable {
    /// Directories parsed per batch: enough to amortise a dispatch, small enough that the
    /// parser starts early and the last batch is short.
    static let directoriesPerBatch = 64

    /// Directory names, in archive order.
    var directories: [String] = []
    /// Field files: which directory, the archive entry name (for messages) and the
    /// bytes in ``bytes``.
    var files: [(directory: Int, entry: String, data: Range<Int>)] = []
    /// Every file's content, back to back.
    var bytes: [UInt8] = []
    /// After ``parse(path:)``: one entry per directory, valid where ``failures`` has none.
    /// Optional so that collecting can move entries out (`take()`) instead of copying them.
    var entries: [DatabaseEntry?] = []
    /// After ``parse(path:)``: the reason a directory was left out, by directory index
    /// (a dictionary: almost every batch has none, and an empty one allocates nothing).
    var failures: [Int: RepoError] = [:]

    init() {
        bytes.reserveCapacity(Self.directoriesPerBatch * 1536)
    }

    var isFull: Bool { directories.count >= Self.directoriesPerBatch }

    /// Builds one entry per directory from its name, then applies its files in archive order.
    func parse(path: String) {
        entries.reserveCapacity(directories.count)
        for (index, directory) in directories.enumerated() {
            if let entry = DatabaseEntry(directoryName: directory) {
                entries.append(entry)
            } else {
                entries.append(nil)
                failures[index] = .malformed(file: path, entry: directory, expected: "a NAME-PKGVER-PKGREL directory", found: directory)
            }
        }
        bytes.withUnsafeBufferPointer { bytes in
            for file in files {
                apply(UnsafeBufferPointer(rebasing: bytes[file.data]), entry: file.entry, to: file.directory, path: path)
            }
        }
        // The text is in the entries now; giving it back lets malloc reuse it for the next batch.
        bytes = []
        files = []
    }

    /// Reads one field file into directory `index`'s entry unless it already failed.
    func apply(_ data: UnsafeBufferPointer<UInt8>, entry: String, to index: Int, path: String) {
        guard failures[index] == nil else { return }
        do throws(RepoError) { try entries[index]?.read(fieldFile: data, file: path, entry: entry) } catch { failures[index] = error }
    }
}

/// Cuts a database archive, entry by entry, into ``DatabaseBatch``es of whole
/// directories and hands each full batch to one parser thread.
///
/// One parser suffices: with the reading thread it keeps two cores busy, and parsing a
/// batch takes less time than decompressing the next, so more threads would only switch.
/// Not `Sendable`: it belongs to the reading thread.
struct DatabaseBatcher {
    private let path: String
    private let group = DispatchGroup()
    private let parser = DispatchQueue(label: "pacbuild.repo.parse")
    private var batches: [DatabaseBatch] = []
    private var batch = DatabaseBatch()
    /// A directory's place: its batch and its index there.
    private typealias Slot = (batch: Int, directory: Int)
    /// The directory of the previous entry (a directory's files are usually adjacent).
    private var previous: (name: Substring, slot: Slot)?
    /// repo-add writes directories in ascending byte order, and while they ascend a new
    /// name cannot be a known one: the table `location` is built (from `seen`) only for
    /// an archive whose directories stop ascending.
    private var ascending = true
    private var seen: [(name: String, slot: Slot)] = []
    private var location: [String: Slot] = [:]
    /// Files that arrived after their directory's batch went to the parser.
    private var late: [(slot: Slot, entry: String, data: [UInt8])] = []

    init(path: String) { self.path = path }

    /// Files the entry `header` (`DIR/FILE`, or a bare `DIR/`) under its directory and,
    /// for a regular file, reads its data from `reader`.
    mutating func add(_ header: ArchiveEntryHeader, from reader: inout TarStream) throws(RepoError) {
        let name = header.name
        // memchr over the contiguous UTF-8 (native strings always are), not a generic search.
        let offset = name.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.isEmpty ? nil : memchr(bytes.baseAddress!, Int32(UInt8(ascii: "/")), bytes.count)
                .map { UnsafeRawPointer($0) - UnsafeRawPointer(bytes.baseAddress!) }
        }
        let slash = offset.map { name.utf8.index(name.utf8.startIndex, offsetBy: $0 ?? name.utf8.count) }
            ?? name.utf8.firstIndex(of: UInt8(ascii: "/")) ?? name.endIndex
        let directory = name[..<slash]
        guard !directory.isEmpty else { return }
        let slot = self.slot(of: directory)
        previous = (directory, slot)
        guard header.isRegularFile, slash < name.endIndex, name.utf8.index(after: slash) < name.endIndex else { return }
        if slot.batch == batches.count {
            let start = batch.bytes.count
            try reader.appendData(to: &batch.bytes, size: header.size)
            batch.files.append((slot.directory, name, start..<batch.bytes.count))
        } else {
            var data: [UInt8] = []
            try reader.appendData(to: &data, size: header.size)
            late.append((slot, name, data))
        }
    }

    /// Parses the last batch, waits for the parser and applies the late files.
    mutating func finish() -> [DatabaseBatch] {
        if !batch.directories.isEmpty { send() }
        waitForParser()
        for file in late {
            file.data.withUnsafeBufferPointer { batches[file.slot.batch].apply($0, entry: file.entry, to: file.slot.directory, path: path) }
        }
        return batches
    }

    /// Waits until the parser has finished every batch sent (also when reading failed).
    func waitForParser() { group.wait() }

    /// The directory's place, a new one in the current batch if it was not seen before.
    private mutating func slot(of directory: Substring) -> Slot {
        if let previous, bytesEqual(previous.name, directory) { return previous.slot }
        let name = String(directory)
        if ascending, let last = seen.last, !bytewiseLess(last.name, name) {
            ascending = false
            for known in seen { location[known.name] = known.slot }
            seen = []
        }
        if !ascending, let known = location[name] { return known }
        if batch.isFull { send() }
        let slot = (batches.count, batch.directories.count)
        batch.directories.append(name)
        if ascending { seen.append((name, slot)) } else { location[name] = slot }
        return slot
    }

    private mutating func send() {
        let full = batch
        batches.append(full)
        batch = DatabaseBatch()
        parser.async(group: group) { [path] in full.parse(path: path) }
    }
}
