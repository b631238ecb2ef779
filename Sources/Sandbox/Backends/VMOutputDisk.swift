import Foundation

/// The output disk a VM leaves (``VMInit``): a header block of `key value` lines, then a
/// tar of the build's `out/`. Everything on it was written by the guest, where root is
/// the build's (every install scriptlet runs as it), so the host parses it as hostile
/// input: the disk is opened without following a link and must be a regular file; the
/// header is at most one block; a tar entry is copied to the host only when it is a
/// regular file with one plain name (no `/`, not `.` or `..`, at most 255 bytes), into
/// a directory of the host's own with `O_EXCL | O_NOFOLLOW`, and never past the disk's
/// end or the size limit. Every other entry (a link, hard link, FIFO, device,
/// directory, a name in a subdirectory, a second file of one name) is named in
/// ``Contents/rejected`` and fails the build as `verification`, as the namespace
/// backend's outer stage names what it would not copy. ``PackageVerifier`` then checks
/// the copies as for every backend.
struct VMOutputDisk {
    /// What the disk said.
    struct Contents: Equatable {
        /// The header's values; empty when the guest never wrote one (it died first).
        var header: [String: String] = [:]
        /// The regular files copied, by name.
        var copied: [String] = []
        /// What was not copied, as `NAME (KIND)`.
        var rejected: [String] = []

        var status: Int32? { header["status"].flatMap { Int32($0) } }
        func counter(_ key: String) -> UInt64 { header[key].flatMap { UInt64($0) } ?? 0 }
    }

    static let block = 512
    /// Entries read at most, so that a tar of a million empty entries ends.
    static let maxEntries = 10_000

    /// Reads the disk at `path`, copying its regular files into the directory `output`
    /// (made empty by the caller), each at most `sizeLimit` bytes.
    static func read(_ path: String, into output: String, sizeLimit: UInt64) throws(SandboxError) -> Contents {
        let directory = try SafeRead.openDirectory((path as NSString).deletingLastPathComponent).get()
        defer { close(directory) }
        let (disk, size) = try SafeRead.openRegular((path as NSString).lastPathComponent, in: directory, path: path, limit: .max).get()
        defer { close(disk) }
        let target = try SafeRead.openDirectory(output).get()
        defer { close(target) }
        var reader = Reader(descriptor: disk, size: size)
        var contents = Contents()
        guard let first = reader.next(block) else { return contents }
        contents.header = parseHeader(first)
        guard contents.header["magic"] == VMInit.headerMagic else { return Contents() }
        var longName: String?
        for _ in 0..<maxEntries {
            guard let header = reader.next(block), header.contains(where: { $0 != 0 }) else { break }
            guard let entry = TarHeader(header) else {
                contents.rejected.append("(an unreadable tar header)")
                break
            }
            let name = longName ?? entry.name
            longName = nil
            let dataBlocks = (entry.size + UInt64(block) - 1) / UInt64(block)
            switch entry.type {
            case "L":
                guard entry.size <= 4096, let data = reader.next(Int(entry.size)) else { return contents }
                longName = String(decoding: data.prefix { $0 != 0 }, as: UTF8.self)
                reader.skip(dataBlocks * UInt64(block) - entry.size)
                continue
            case "0", "\0", "7":
                let plain = name.hasPrefix("./") ? String(name.dropFirst(2)) : name
                if let reason = nameProblem(plain) {
                    contents.rejected.append("\(plain) (regular file \(reason))")
                } else if entry.size > sizeLimit {
                    contents.rejected.append("\(plain) (regular file of \(entry.size) bytes, over the limit of \(sizeLimit))")
                } else if !copy(entry.size, of: &reader, to: plain, in: target) {
                    contents.rejected.append("\(plain) (regular file that cannot be copied: \(errnoText()))")
                } else {
                    contents.copied.append(plain)
                    reader.skip(dataBlocks * UInt64(block) - entry.size)
                    continue
                }
            case "5" where name == "./" || name == "." || name == "":
                continue
            default:
                var plain = name.hasPrefix("./") ? String(name.dropFirst(2)) : name
                while plain.count > 1 && plain.hasSuffix("/") { plain.removeLast() }
                contents.rejected.append("\(plain) (\(kind(entry.type)))")
            }
            reader.skip(dataBlocks * UInt64(block))
        }
        return contents
    }

    /// The header block's `key value` lines; its first line is kept as `magic`.
    static func parseHeader(_ data: Data) -> [String: String] {
        let text = String(decoding: data.prefix { $0 != 0 }, as: UTF8.self)
        var header: [String: String] = [:]
        for (index, line) in text.split(separator: "\n").enumerated() {
            if index == 0 { header["magic"] = String(line); continue }
            let parts = line.split(separator: " ", maxSplits: 1)
            if parts.count == 2 { header[String(parts[0])] = String(parts[1]) }
        }
        return header
    }

    /// Why `name` cannot be a file of `out/`, or `nil`.
    static func nameProblem(_ name: String) -> String? {
        if name.isEmpty || name == "." || name == ".." { return "without a name" }
        if name.contains("/") { return "in a subdirectory" }
        if name.utf8.count > 255 { return "with a name over 255 bytes" }
        return nil
    }

    static func kind(_ type: Character) -> String {
        switch type {
        case "1": return "hard link"
        case "2": return "symbolic link"
        case "3": return "character device"
        case "4": return "block device"
        case "5": return "directory"
        case "6": return "FIFO"
        default: return "tar entry of type \(type)"
        }
    }

    /// Copies `size` bytes from the reader to a new file `name` of `directory`.
    private static func copy(_ size: UInt64, of reader: inout Reader, to name: String, in directory: Int32) -> Bool {
        let file = openat(directory, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard file >= 0 else { return false }
        defer { close(file) }
        var left = size
        while left > 0 {
            guard let chunk = reader.next(Int(min(left, 1 << 20))) else { return false }
            guard chunk.withUnsafeBytes({ write(file, $0.baseAddress, $0.count) }) == chunk.count else { return false }
            left -= UInt64(chunk.count)
        }
        return true
    }

    /// Sequential reads of the disk that never pass its end.
    struct Reader {
        let descriptor: Int32
        let size: UInt64
        var offset: UInt64 = 0

        mutating func next(_ count: Int) -> Data? {
            guard count >= 0, offset + UInt64(count) <= size else { return nil }
            var data = Data(count: count)
            let read = data.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, count, off_t(offset)) }
            guard read == count else { return nil }
            offset += UInt64(count)
            return data
        }

        mutating func skip(_ count: UInt64) { offset = min(size, offset + count) }
    }
}

/// One ustar/GNU tar header: the name (with the ustar prefix), the size (octal, or
/// GNU's base-256) and the type.
struct TarHeader {
    var name: String
    var size: UInt64
    var type: Character

    init?(_ block: Data) {
        let bytes = [UInt8](block)
        guard bytes.count == 512 else { return nil }
        func text(_ range: Range<Int>) -> String {
            String(decoding: bytes[range].prefix { $0 != 0 }, as: UTF8.self)
        }
        // the checksum: the header's bytes summed with the checksum field as spaces
        let stored = UInt64(text(148..<156).trimmingCharacters(in: .whitespaces), radix: 8)
        let sum = bytes.enumerated().reduce(UInt64(0)) { $0 + UInt64((148..<156).contains($1.offset) ? 0x20 : $1.element) }
        guard stored == sum else { return nil }
        name = text(0..<100)
        if text(257..<262) == "ustar" {
            let prefix = text(345..<500)
            if !prefix.isEmpty { name = prefix + "/" + name }
        }
        if bytes[124] & 0x80 != 0 {
            guard bytes[124..<128].allSatisfy({ $0 & 0x7F == 0 }) || bytes[124] == 0x80 else { return nil }
            size = bytes[128..<136].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            guard size < 1 << 62 else { return nil }
        } else {
            guard let parsed = UInt64(text(124..<136).trimmingCharacters(in: .whitespaces), radix: 8) else { return nil }
            size = parsed
        }
        type = Character(UnicodeScalar(bytes[156]))
    }
}
