import Dispatch

/// A run of consecutive database directories, their field files' bytes in one buffer,
/// parsed together on a worker thread while the reader decompresses the next run.
///
/// `@unchecked Sendable` because ownership is handed over, never shared: the reading
/// thread fills a batch, then only the worker touches it until the reader's
/// `DispatchGroup.wait()`, after which only the reader does again.
final class DatabaseBatch: @unchecked Sendable {
    /// Directories parsed per batch: enough to amortise a dispatch, small enough that the
    /// worker starts early and the last batch is short.
    static let directoriesPerBatch = 256

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
    /// After ``parse(path:)``: the reason a directory was left out, per directory.
    var failures: [RepoError?] = []

    init() {
        bytes.reserveCapacity(Self.directoriesPerBatch * 2048)
    }

    var isFull: Bool { directories.count >= Self.directoriesPerBatch }

    /// Builds one entry per directory from its name, then applies its files in archive order.
    func parse(path: String) {
        entries.reserveCapacity(directories.count)
        failures = Array(repeating: nil, count: directories.count)
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
