import Glibc

/// The entries of a tar archive cut from the decompressed stream of an ``ArchiveReader``
/// in `.raw` format: libarchive still does every decompression (gzip, xz, zstd, bzip2,
/// lz4, none), this reads the 512-byte tar records itself.
///
/// Why not libarchive's tar reader for databases: on a 15,000-entry database it spent
/// about a fifth of the whole read in per-entry work a database does not need
/// (converting every path to a wide string and back, ACL and xattr bookkeeping), which is
/// what kept `repo ls` from beating `pacman -Sl`. Packages, whose entries have every tar
/// feature (links, sparse files, xattrs), keep libarchive's reader.
///
/// Reads what repo-add's bsdtar writes (ustar, pax `x` headers) and what GNU tar and
/// Python's tarfile write (GNU `L` long names, pax, base-256 sizes); `g` global headers
/// and `K` long link names are skipped. A record with a bad checksum, or a stream that
/// ends inside a record or an entry, throws ``RepoError/archive(file:entry:message:)``.
/// Same interface and checks as ``ArchiveReader``'s (`next()`, `appendData(to:size:)`,
/// ``ReadLimits``, unsafe names).
///
/// A noncopyable struct, not a class: its state is touched for every record, and a
/// struct's fields need no run-time exclusivity checks. Not `Sendable`: it belongs to
/// one thread, as its reader does.
struct TarStream: ~Copyable {
    let file: String
    private let reader: ArchiveReader
    private let limits: ReadLimits
    /// The unread rest of the current block.
    private var block = UnsafeRawBufferPointer(start: nil, count: 0)
    /// Bytes of the decompressed stream consumed so far (for limits and messages).
    private var position: Int64 = 0
    /// The current entry's data not yet read, and the padding after it.
    private var remaining: Int64 = 0
    private var padding: Int64 = 0
    private var current: String?
    private var declaredTotal: Int64 = 0
    private var ended = false
    /// The current record (header), copied out of the stream's blocks.
    private let record: UnsafeMutableBufferPointer<UInt8>

    init(file: String, limits: ReadLimits) throws(RepoError) {
        self.file = file
        self.limits = limits
        reader = try ArchiveReader(file: file, limits: limits, format: .raw)
        record = .allocate(capacity: 512)
    }

    deinit { record.deallocate() }

    /// Moves to the next entry (skipping what is left of the current one), or returns
    /// `nil` at the end of the archive. An unsafe name throws
    /// ``RepoError/unsafeEntryName(file:name:reason:)`` and the stream stays usable.
    mutating func next() throws(RepoError) -> ArchiveEntryHeader? {
        try skip(remaining + padding)
        remaining = 0
        padding = 0
        if ended { return nil }
        var longName: [UInt8]?
        var paxPath: [UInt8]?
        var paxSize: Int64?
        while true {
            guard try readRecord() else {
                // The end of the stream without the two zero records: libarchive accepts
                // that at a record boundary, and so does pacman.
                ended = true
                return nil
            }
            if isZeroRecord() {
                ended = true
                return nil
            }
            try checkChecksum()
            let type = record[156]
            let size = try entrySize()
            switch type {
            case UInt8(ascii: "L"), UInt8(ascii: "x"):
                // Metadata for the entry that follows: its long name, or pax records.
                if size > limits.maxMetadataBytes {
                    throw .tooLarge(file: file, entry: current, size: size, limit: limits.maxMetadataBytes)
                }
                var data: [UInt8] = []
                try readExactly(Int(size), into: &data)
                try skip(paddingAfter(size))
                if type == UInt8(ascii: "L") {
                    longName = Array(data.prefix { $0 != 0 })
                } else {
                    try readPax(data, path: &paxPath, size: &paxSize)
                }
                continue
            case UInt8(ascii: "g"), UInt8(ascii: "K"):
                try skip(size + paddingAfter(size))
                continue
            default:
                break
            }
            // Links, devices, FIFOs and directories carry no data whatever their size
            // field says (POSIX: it shall be zero); every other type, unknown ones
            // included, is followed by `size` bytes.
            let carriesNoData = (UInt8(ascii: "1")...UInt8(ascii: "6")).contains(type)
            let dataSize = carriesNoData ? 0 : paxSize ?? size
            // Set before the name is checked: after an unsafe name the caller may go on,
            // and the next call must skip this entry's data.
            remaining = max(dataSize, 0)
            padding = paddingAfter(max(dataSize, 0))
            let name: String
            if let long = paxPath ?? longName {
                name = try long.withUnsafeBufferPointer { (bytes) throws(RepoError) in try checkedEntryName(bytes, file: file) }
            } else if let prefix = ustarPrefix() {
                name = try (Array(prefix) + [UInt8(ascii: "/")] + Array(nameField()))
                    .withUnsafeBufferPointer { (bytes) throws(RepoError) in try checkedEntryName(bytes, file: file) }
            } else {
                name = try checkedEntryName(UnsafeBufferPointer(rebasing: nameField()), file: file)
            }
            current = name
            let isRegular = type == UInt8(ascii: "0") || type == 0 || type == UInt8(ascii: "7")
            // libarchive's rule: a "regular" entry whose name ends in `/` is a directory.
            let isDirectory = type == UInt8(ascii: "5") || (isRegular && name.utf8.last == UInt8(ascii: "/"))
            if dataSize < 0 || dataSize > limits.maxUnpackedBytes {
                throw .tooLarge(file: file, entry: name, size: dataSize, limit: limits.maxUnpackedBytes)
            }
            declaredTotal += dataSize
            if declaredTotal > limits.maxUnpackedBytes {
                throw .tooLarge(file: file, entry: name, size: declaredTotal, limit: limits.maxUnpackedBytes)
            }
            return ArchiveEntryHeader(name: name, size: dataSize, isDirectory: isDirectory,
                                      isRegularFile: isRegular && !isDirectory)
        }
    }

    /// Appends the current entry's data to `buffer`, at most
    /// ``ReadLimits/maxMetadataBytes`` of it, copied straight from the decompressed blocks.
    mutating func appendData(to buffer: inout [UInt8], size declared: Int64) throws(RepoError) {
        if declared > limits.maxMetadataBytes {
            throw .tooLarge(file: file, entry: current, size: declared, limit: limits.maxMetadataBytes)
        }
        precondition(declared == remaining, "appendData reads the whole current entry")
        try readExactly(Int(declared), into: &buffer)
        remaining = 0
    }

    // MARK: Records

    /// Reads the next 512-byte record into ``record``; false at the clean end of the stream.
    private mutating func readRecord() throws(RepoError) -> Bool {
        var filled = 0
        while filled < 512 {
            if block.isEmpty {
                guard let next = try reader.nextBlock() else {
                    if filled == 0 { return false }
                    throw .archive(file: file, entry: current, message: "the archive ends inside a tar header (\(filled) of 512 bytes)")
                }
                block = next
            }
            let take = min(512 - filled, block.count)
            UnsafeMutableRawPointer(record.baseAddress! + filled).copyMemory(from: block.baseAddress!, byteCount: take)
            block = UnsafeRawBufferPointer(rebasing: block[take...])
            filled += take
        }
        try advance(512)
        return true
    }

    /// Appends exactly `count` bytes of the stream to `buffer`.
    private mutating func readExactly(_ count: Int, into buffer: inout [UInt8]) throws(RepoError) {
        var left = count
        buffer.reserveCapacity(buffer.count + count)
        while left > 0 {
            if block.isEmpty {
                guard let next = try reader.nextBlock() else {
                    throw .archive(file: file, entry: current, message: "entry data ends after \(count - left) of \(count) bytes")
                }
                block = next
            }
            let take = min(left, block.count)
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: block[..<take]))
            block = UnsafeRawBufferPointer(rebasing: block[take...])
            left -= take
        }
        try advance(Int64(count))
    }

    /// Skips `count` bytes of the stream.
    private mutating func skip(_ count: Int64) throws(RepoError) {
        var left = count
        while left > 0 {
            if block.isEmpty {
                guard let next = try reader.nextBlock() else {
                    throw .archive(file: file, entry: current, message: "the archive ends inside entry data (\(left) bytes missing)")
                }
                block = next
            }
            let take = Int(min(left, Int64(block.count)))
            block = UnsafeRawBufferPointer(rebasing: block[take...])
            left -= Int64(take)
        }
        try advance(count)
    }

    /// Counts consumed bytes against the unpacked limit, as libarchive's reader does.
    private mutating func advance(_ count: Int64) throws(RepoError) {
        position += count
        if position > limits.maxUnpackedBytes {
            throw .tooLarge(file: file, entry: current, size: position, limit: limits.maxUnpackedBytes)
        }
    }

    private func paddingAfter(_ size: Int64) -> Int64 { (512 - size % 512) % 512 }

    // MARK: Header fields

    /// The header checksum: the sum of the record's bytes with the checksum field read as
    /// spaces, unsigned as POSIX says or signed as some old tars computed it.
    private func checkChecksum() throws(RepoError) {
        let stored = octal(148..<156)
        if let stored, stored == Int64(checksum(signed: false)) || stored == Int64(checksum(signed: true)) { return }
        throw .archive(file: file, entry: current.map { "after \($0)" },
                       message: "not a tar archive, or a damaged one: bad header checksum at byte \(position - 512) of the unpacked stream")
    }

    private func checksum(signed: Bool) -> Int {
        var sum = 8 * Int(UInt8(ascii: " "))
        if signed {
            for index in 0..<148 { sum &+= Int(Int8(bitPattern: record[index])) }
            for index in 156..<512 { sum &+= Int(Int8(bitPattern: record[index])) }
        } else {
            var wide: UInt32 = 0
            for index in 0..<148 { wide &+= UInt32(record[index]) }
            for index in 156..<512 { wide &+= UInt32(record[index]) }
            sum += Int(wide)
        }
        return sum
    }

    private func isZeroRecord() -> Bool {
        var any: UInt8 = 0
        for index in 0..<512 { any |= record[index] }
        return any == 0
    }

    /// The size field: octal digits, or GNU's base-256 (high bit of the first byte set).
    private func entrySize() throws(RepoError) -> Int64 {
        if record[124] & 0x80 != 0 {
            var value: Int64 = 0
            for index in 125..<136 {
                guard value < (Int64.max >> 8) else { throw .tooLarge(file: file, entry: current, size: .max, limit: limits.maxUnpackedBytes) }
                value = value << 8 | Int64(record[index])
            }
            return value
        }
        guard let value = octal(124..<136) else {
            throw .archive(file: file, entry: current, message: "a tar header's size field is not a number")
        }
        return value
    }

    /// An octal field: leading spaces, digits, then a NUL or space (or the field's end).
    private func octal(_ range: Range<Int>) -> Int64? {
        var value: Int64 = 0
        var digits = 0
        var index = range.lowerBound
        while index < range.upperBound, record[index] == UInt8(ascii: " ") { index += 1 }
        while index < range.upperBound {
            let byte = record[index]
            if byte == 0 || byte == UInt8(ascii: " ") { break }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "7"), value < (Int64.max >> 3) else { return nil }
            value = value << 3 | Int64(byte - UInt8(ascii: "0"))
            digits += 1
            index += 1
        }
        return digits > 0 ? value : nil
    }

    /// The `name` field up to its first NUL.
    private func nameField() -> Slice<UnsafeMutableBufferPointer<UInt8>> {
        record[0..<100].prefix { $0 != 0 }
    }

    /// ustar's `prefix` field (the path's head), when the record is POSIX ustar and it is
    /// not empty (GNU tar keeps times there).
    private func ustarPrefix() -> Slice<UnsafeMutableBufferPointer<UInt8>>? {
        let magic: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (record[257], record[258], record[259], record[260], record[261], record[262])
        guard magic == (0x75, 0x73, 0x74, 0x61, 0x72, 0), record[345] != 0 else { return nil }   // "ustar\0"
        return record[345..<500].prefix { $0 != 0 }
    }

    /// Pax records, `LENGTH key=value\n` each: `path` and `size` override the header's.
    private func readPax(_ data: [UInt8], path: inout [UInt8]?, size: inout Int64?) throws(RepoError) {
        var start = 0
        while start < data.count {
            guard let space = data[start...].firstIndex(of: UInt8(ascii: " ")),
                  let length = Int(String(decoding: data[start..<space], as: UTF8.self)),
                  length > space - start, start + length <= data.count,
                  data[start + length - 1] == UInt8(ascii: "\n"),
                  let equals = data[(space + 1)..<(start + length)].firstIndex(of: UInt8(ascii: "="))
            else {
                throw .archive(file: file, entry: current, message: "a malformed pax extended header at byte \(start)")
            }
            let key = data[(space + 1)..<equals]
            let value = data[(equals + 1)..<(start + length - 1)]
            if key.elementsEqual("path".utf8) {
                path = Array(value)
            } else if key.elementsEqual("size".utf8) {
                guard let number = Int64(String(decoding: value, as: UTF8.self)) else {
                    throw .archive(file: file, entry: current, message: "a pax size that is not a number")
                }
                size = number
            }
            start += length
        }
    }
}
