import CArchive
import Glibc

/// The compression of a database archive, chosen by its name as repo-add's
/// `compress_as` chooses it (`.tar.gz` gzip, `.tar.xz` xz, ...).
public enum ArchiveCompression: String, Sendable, CaseIterable {
    case none = "tar", gzip = "tar.gz", bzip2 = "tar.bz2", xz = "tar.xz", zstd = "tar.zst", lz4 = "tar.lz4", compress = "tar.Z"

    /// The compression named by a suffix such as `tar.gz`, or `nil` for one repo-add rejects.
    public init?(suffix: String) { self.init(rawValue: suffix) }
}

/// A tar writer (restricted pax, as bsdtar writes by default) onto a file descriptor
/// the caller owns, used for the database archives.
///
/// Owns the `struct archive *`, freed exactly once in `deinit`; every return code goes
/// through ``check(_:entry:)``. Not `Sendable`: one thread writes one archive.
final class ArchiveWriter {
    /// The path being written, for messages.
    let file: String
    private var handle: OpaquePointer?

    init(file: String, descriptor: Int32, compression: ArchiveCompression) throws(RepoError) {
        self.file = file
        handle = archive_write_new()
        guard handle != nil else { throw .archive(file: file, entry: nil, message: "out of memory") }
        try check(archive_write_set_format_pax_restricted(handle))
        switch compression {
        case .none: break
        case .gzip:
            try check(archive_write_add_filter_gzip(handle))
            // `gzip -n`, as repo-add compresses: no name or time stamp in the header.
            try check(archive_write_set_filter_option(handle, "gzip", "timestamp", nil))
        case .bzip2: try check(archive_write_add_filter_bzip2(handle))
        case .xz: try check(archive_write_add_filter_xz(handle))
        case .zstd: try check(archive_write_add_filter_zstd(handle))
        case .lz4: try check(archive_write_add_filter_lz4(handle))
        case .compress: try check(archive_write_add_filter_compress(handle))
        }
        // Pad only to the 512-byte tar record, like bsdtar writing to a pipe.
        try check(archive_write_set_bytes_in_last_block(handle, 1))
        try check(archive_write_open_fd(handle, descriptor))
    }

    deinit { archive_write_free(handle) }

    /// Adds a directory entry (`name/`), mode 0755, owned by root.
    func addDirectory(_ name: String, modified: Int) throws(RepoError) {
        try add(name + "/", type: pacbuild_AE_IFDIR, permissions: 0o755, contents: [], modified: modified)
    }

    /// Adds a regular file, mode 0644, owned by root.
    func addFile(_ name: String, contents: [UInt8], modified: Int) throws(RepoError) {
        try add(name, type: pacbuild_AE_IFREG, permissions: 0o644, contents: contents, modified: modified)
    }

    /// Writes the end of the archive and flushes the compressor.
    func finish() throws(RepoError) {
        try check(archive_write_close(handle))
    }

    private func add(_ name: String, type: UInt32, permissions: UInt32, contents: [UInt8], modified: Int) throws(RepoError) {
        let entry = archive_entry_new()
        defer { archive_entry_free(entry) }
        archive_entry_set_pathname_utf8(entry, name)
        archive_entry_set_filetype(entry, type)
        archive_entry_set_perm(entry, mode_t(permissions))
        archive_entry_set_size(entry, Int64(contents.count))
        archive_entry_set_mtime(entry, modified, 0)
        archive_entry_set_uname(entry, "root")
        archive_entry_set_gname(entry, "root")
        try check(archive_write_header(handle, entry), entry: name)
        if contents.isEmpty { return }
        let written = contents.withUnsafeBytes { archive_write_data(handle, $0.baseAddress, $0.count) }
        if written < 0 { try check(Int32(truncatingIfNeeded: written), entry: name) }
        if written != contents.count {
            throw .archive(file: file, entry: name, message: "wrote \(written) of \(contents.count) bytes")
        }
    }

    /// Turns a libarchive status into an error carrying libarchive's message.
    private func check(_ status: Int32, entry: String? = nil) throws(RepoError) {
        guard status < ARCHIVE_WARN else { return }
        let message = archive_error_string(handle).map { String(cString: $0) } ?? "libarchive error \(status)"
        throw .archive(file: file, entry: entry, message: message)
    }
}
