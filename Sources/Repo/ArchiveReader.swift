import CArchive
import Glibc

/// The header of one archive entry, as far as pacman's formats care.
struct ArchiveEntryHeader {
    /// The entry's path, checked to be UTF-8, relative and free of `..`.
    let name: String
    /// The declared data size (0 for directories).
    let size: Int64
    /// Whether the entry is a directory (`usr/`), which pacman lists with a trailing slash.
    let isDirectory: Bool
    /// Whether the entry is a regular file (as opposed to a directory, link or device).
    let isRegularFile: Bool
}

/// A streaming reader over one tar archive in any compression libarchive knows
/// (gzip, xz, zstd, bzip2, lz4, compress, none), used for databases and packages alike.
///
/// Owns the `struct archive *` (freed exactly once, in `deinit`) and the file it reads.
/// Every libarchive return code goes through ``check(_:entry:)``, which turns failures
/// into ``RepoError/archive(file:entry:message:)`` with libarchive's own message. The
/// archive is read once, front to back; nothing is extracted to disk. Entries are
/// checked against ``ReadLimits`` before and while their data is decompressed.
///
/// Not `Sendable`: a libarchive handle must stay on one thread.
final class ArchiveReader {
    /// The path being read, for messages.
    let file: String
    private var handle: OpaquePointer?
    private let source: FileSource
    private let limits: ReadLimits
    private var current: String?
    private var declaredTotal: Int64 = 0

    /// What libarchive makes of the decompressed bytes.
    enum Format {
        /// Tar entries (``next()``, ``readData(size:)``, ``appendData(to:size:)``).
        case tar
        /// The decompressed stream itself, block by block (``nextBlock()``), for
        /// ``TarStream`` to cut into entries.
        case raw
    }

    private let format: Format
    private var rawStarted = false

    /// Opens `file` for reading; `digests` are fed every compressed byte read.
    init(file: String, limits: ReadLimits, digests: [Digest] = [], format: Format = .tar) throws(RepoError) {
        self.file = file
        self.limits = limits
        self.format = format
        source = try FileSource(path: file, digests: digests)
        handle = archive_read_new()
        guard handle != nil else { throw .archive(file: file, entry: nil, message: "out of memory") }
        try check(archive_read_support_filter_all(handle))
        try check(format == .tar ? archive_read_support_format_tar(handle) : archive_read_support_format_raw(handle))
        // repo-add writes an empty database as a compressed empty tar.
        try check(archive_read_support_format_empty(handle))
        let context = Unmanaged.passUnretained(source).toOpaque()
        // libarchive's read callback: hands out the next block of the file.
        try check(archive_read_open(handle, context, nil, { _, context, buffer in
            Unmanaged<FileSource>.fromOpaque(context!).takeUnretainedValue().read(into: buffer!)
        }, nil))
    }

    deinit { archive_read_free(handle) }

    /// Total bytes of the file read so far (all of it once ``next()`` returned `nil`).
    var compressedBytesRead: Int64 { source.bytesRead }

    /// Reads the rest of the file after the last entry so the digests cover all of it.
    func finishDigests() throws(RepoError) { try source.drain() }

    /// The next block of the decompressed stream (`.raw` only), `nil` at its end. The
    /// bytes stay valid until the next call.
    func nextBlock() throws(RepoError) -> UnsafeRawBufferPointer? {
        precondition(format == .raw, "nextBlock() reads the raw format")
        if !rawStarted {
            rawStarted = true
            var entry: OpaquePointer?
            let status = archive_read_next_header(handle, &entry)
            if status == ARCHIVE_EOF { return nil }   // an empty file
            try check(status)
        }
        var block: UnsafeRawPointer?
        var length = 0
        var offset: Int64 = 0
        repeat {
            let status = archive_read_data_block(handle, &block, &length, &offset)
            if status == ARCHIVE_EOF { return nil }
            try check(status)
        } while length == 0
        return UnsafeRawBufferPointer(start: block, count: length)
    }

    /// Moves to the next entry, or returns `nil` at the end of the archive.
    ///
    /// An entry whose name is unsafe (absolute, `..`, not UTF-8) throws
    /// ``RepoError/unsafeEntryName(file:name:reason:)``; the reader stays usable, so a
    /// caller that can skip one bad entry calls `next()` again.
    func next() throws(RepoError) -> ArchiveEntryHeader? {
        var entry: OpaquePointer?
        let status = archive_read_next_header(handle, &entry)
        if status == ARCHIVE_EOF { return nil }
        try check(status, entry: current)
        try checkUnpacked()
        guard let entry else { throw .archive(file: file, entry: current, message: "no entry header") }
        let name = try entryName(entry)
        current = name
        let type = archive_entry_filetype(entry) & mode_t(pacbuild_AE_IFMT)
        let size = archive_entry_size_is_set(entry) != 0 ? archive_entry_size(entry) : 0
        if size < 0 || size > limits.maxUnpackedBytes {
            throw .tooLarge(file: file, entry: name, size: size, limit: limits.maxUnpackedBytes)
        }
        declaredTotal += size
        if declaredTotal > limits.maxUnpackedBytes {
            throw .tooLarge(file: file, entry: name, size: declaredTotal, limit: limits.maxUnpackedBytes)
        }
        return ArchiveEntryHeader(name: name, size: size,
                                  isDirectory: type == mode_t(pacbuild_AE_IFDIR),
                                  isRegularFile: type == mode_t(pacbuild_AE_IFREG))
    }

    /// The current entry's data, at most ``ReadLimits/maxMetadataBytes`` of it.
    func readData(size declared: Int64) throws(RepoError) -> [UInt8] {
        if declared > limits.maxMetadataBytes {
            throw .tooLarge(file: file, entry: current, size: declared, limit: limits.maxMetadataBytes)
        }
        var data = try readDeclared(declared, after: [])
        // Anything beyond the declared size (a header that lied) is refused, not silently dropped.
        var extra: UInt8 = 0
        let more = archive_read_data(handle, &extra, 1)
        if more < 0 { try check(Int32(truncatingIfNeeded: more), entry: current) }
        if more > 0 {
            data.append(extra)
            throw .tooLarge(file: file, entry: current, size: Int64(data.count), limit: declared)
        }
        try checkUnpacked()
        return data
    }

    /// The current entry's data when it starts with `\x7fELF` and is at most `cap` bytes:
    /// only the first four bytes of any other entry are decompressed here (libarchive
    /// skips the rest at ``next()``), and nothing is allocated beyond `cap`.
    func readELF(size declared: Int64, cap: Int64) throws(RepoError) -> ELFEntry {
        guard declared >= 4 else { return .notELF }
        var magic = [UInt8](repeating: 0, count: 4)
        var have = 0
        while have < 4 {
            let read = magic.withUnsafeMutableBytes { archive_read_data(handle, $0.baseAddress! + have, 4 - have) }
            if read < 0 { try check(Int32(truncatingIfNeeded: read), entry: current) }
            if read <= 0 { throw .archive(file: file, entry: current, message: "entry data ends after \(have) of \(declared) bytes") }
            have += read
        }
        guard ELFLinkage.isELF(magic) else { return .notELF }
        guard declared <= cap else { return .tooLarge }
        let data = try readDeclared(declared, after: magic)
        try checkUnpacked()
        return .elf(data)
    }

    /// The current entry's `declared` bytes, of which `prefix` was already read, read
    /// straight into an array of that size: tar always declares it, and a zero-filled
    /// scratch buffer per entry cost more than the parsing. Fewer bytes is an error.
    private func readDeclared(_ declared: Int64, after prefix: [UInt8]) throws(RepoError) -> [UInt8] {
        var status = 0
        let data = [UInt8](unsafeUninitializedCapacity: Int(declared)) { buffer, count in
            count = 0
            if !prefix.isEmpty { buffer.baseAddress!.initialize(from: prefix, count: prefix.count); count = prefix.count }
            while count < buffer.count {
                let read = archive_read_data(handle, buffer.baseAddress! + count, buffer.count - count)
                if read <= 0 { status = read; break }
                count += read
            }
        }
        if status < 0 { try check(Int32(truncatingIfNeeded: status), entry: current) }
        if data.count < declared {
            throw .archive(file: file, entry: current, message: "entry data ends after \(data.count) of \(declared) bytes")
        }
        return data
    }

    /// What ``readELF(size:cap:)`` found.
    enum ELFEntry {
        case notELF
        /// An ELF file larger than the cap, not read.
        case tooLarge
        case elf([UInt8])
    }

    /// Appends the current entry's data to `buffer`, at most ``ReadLimits/maxMetadataBytes``
    /// of it, straight from libarchive's decompression blocks (`archive_read_data_block`):
    /// no array per entry (a malloc and a free for each of 15,000 `desc` files) and no
    /// copy through a buffer of ours. Same checks as ``readData(size:)``.
    func appendData(to buffer: inout [UInt8], size declared: Int64) throws(RepoError) {
        if declared > limits.maxMetadataBytes {
            throw .tooLarge(file: file, entry: current, size: declared, limit: limits.maxMetadataBytes)
        }
        let start = buffer.count
        var block: UnsafeRawPointer?
        var length = 0
        var offset: Int64 = 0
        while true {
            let status = archive_read_data_block(handle, &block, &length, &offset)
            if status == ARCHIVE_EOF { break }
            try check(status, entry: current)
            let have = Int64(buffer.count - start)
            // A sparse entry's holes read as zeros, as `archive_read_data` fills them.
            if offset > have { buffer.append(contentsOf: repeatElement(0, count: Int(min(offset, declared + 1) - have))) }
            if length > 0, let block {
                buffer.append(contentsOf: UnsafeRawBufferPointer(start: block, count: length))
            }
            // Anything beyond the declared size (a header that lied) is refused, not silently dropped.
            if Int64(buffer.count - start) > declared {
                throw .tooLarge(file: file, entry: current, size: Int64(buffer.count - start), limit: declared)
            }
        }
        if Int64(buffer.count - start) < declared {
            throw .archive(file: file, entry: current, message: "entry data ends after \(buffer.count - start) of \(declared) bytes")
        }
        try checkUnpacked()
    }

    /// Turns a libarchive status into an error carrying libarchive's message.
    /// Warnings (`ARCHIVE_WARN`) pass: libarchive uses them for harmless oddities
    /// such as unknown pax keywords.
    private func check(_ status: Int32, entry: String? = nil) throws(RepoError) {
        guard status < ARCHIVE_WARN else { return }
        if let error = source.error { throw .io(file: file, reason: error) }
        let message = archive_error_string(handle).map { String(cString: $0) } ?? "libarchive error \(status)"
        throw .archive(file: file, entry: entry, message: message)
    }

    /// Bounds the decompressed bytes so far, skipped data included.
    private func checkUnpacked() throws(RepoError) {
        let unpacked = archive_filter_bytes(handle, 0)
        if unpacked > limits.maxUnpackedBytes {
            throw .tooLarge(file: file, entry: current, size: unpacked, limit: limits.maxUnpackedBytes)
        }
    }

    /// The entry's path as UTF-8, refusing names that could not be written back safely.
    private func entryName(_ entry: OpaquePointer) throws(RepoError) -> String {
        guard let raw = archive_entry_pathname(entry) ?? archive_entry_pathname_utf8(entry) else {
            throw .unsafeEntryName(file: file, name: "(unnamed)", reason: "the entry has no name")
        }
        let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(raw).assumingMemoryBound(to: UInt8.self), count: strlen(raw))
        return try checkedEntryName(bytes, file: file)
    }
}

/// An archive path as UTF-8, refusing names that could not be written back safely
/// (not UTF-8, empty, absolute, with a `..` component).
func checkedEntryName(_ bytes: UnsafeBufferPointer<UInt8>, file: String) throws(RepoError) -> String {
    guard let name = String(validating: bytes, as: UTF8.self) else {
        throw .unsafeEntryName(file: file, name: escaped(bytes), reason: "the name is not UTF-8")
    }
    if let reason = unsafePathReason(bytes) {
        throw .unsafeEntryName(file: file, name: name, reason: reason)
    }
    return name
}

/// Why a relative archive path could escape its directory, or `nil` if it cannot.
func unsafePathReason(_ path: UnsafeBufferPointer<UInt8>) -> String? {
    if path.isEmpty { return "the name is empty" }
    if path[0] == UInt8(ascii: "/") { return "the path is absolute" }
    // A component `..`: two dots between slashes or the ends (runs once per entry, so bytes, not split).
    var dots = 0
    for byte in path {
        if byte == UInt8(ascii: "/") {
            if dots == 2 { return "the path contains .." }
            dots = 0
        } else {
            dots = byte == UInt8(ascii: ".") && dots >= 0 ? dots + 1 : -1
        }
    }
    return dots == 2 ? "the path contains .." : nil
}

/// Bytes as text for an error message: ASCII kept, everything else as `\xNN`.
func escaped(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    var text = ""
    for byte in bytes {
        if byte >= 0x20 && byte < 0x7f { text.unicodeScalars.append(Unicode.Scalar(byte)) }
        else { text += "\\x" + hexString([byte]) }
    }
    return text
}
