import Foundation
import Graph

/// The cache file: `PBPC`, the format version, the entry count, then each entry as
/// path, environment, size, mtime, hash, hashedAt and the reader's result. Integers are
/// LEB128 varints (zig-zag for signed ones), strings a varint length and UTF-8 bytes.
/// Loading is one pass over one buffer with no allocation but the values themselves.
extension ParseCache {
    /// Bumped whenever the layout below or `PKGBUILDReader.Result` changes.
    /// 2: the severity `invalid` (makepkg's lint).
    static let formatVersion = 3
    static let magic = Array("PBPC".utf8)

    /// The cache at `path`; an empty one when the file is missing, unreadable, corrupt
    /// or of another format version (it is rebuilt on save).
    public static func load(from path: String) -> ParseCache {
        guard let data = FileManager.default.contents(atPath: path) else { return ParseCache() }
        return data.withUnsafeBytes { buffer in
            var input = CacheInput(buffer)
            do {
                guard try input.bytes(magic.count) == magic, try input.int() == formatVersion else { return ParseCache() }
                var cache = ParseCache()
                let count = try input.count()
                cache.entries.reserveCapacity(count)
                for _ in 0..<count {
                    let key = Key(path: try input.string(), environment: try input.unsigned())
                    cache.entries[key] = Entry(size: Int64(try input.int()), mtime: Int64(try input.int()),
                                               hash: try input.unsigned(), hashedAt: Int64(try input.int()),
                                               result: try input.result())
                }
                guard input.isAtEnd else { return ParseCache() }
                return cache
            } catch {
                return ParseCache()
            }
        }
    }

    /// Writes the cache to `path` atomically (a temporary file beside it, renamed over
    /// it), creating its directory.
    public func save(to path: String) throws(SchedulerError) {
        var output = CacheOutput()
        output.bytes.append(contentsOf: Self.magic)
        output.int(Self.formatVersion)
        output.count(entries.count)
        for (key, entry) in entries.sorted(by: { $0.key.path < $1.key.path }) {
            output.string(key.path)
            output.unsigned(key.environment)
            output.int(Int(entry.size))
            output.int(Int(entry.mtime))
            output.unsigned(entry.hash)
            output.int(Int(entry.hashedAt))
            output.result(entry.result)
        }
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = path + ".tmp-\(getpid())"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(output.bytes).write(to: URL(fileURLWithPath: temporary))
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw .cacheNotWritten(path: path, reason: "\(error.localizedDescription)")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw .cacheNotWritten(path: path, reason: reason)
        }
    }
}

/// Appends the cache file's values to a byte buffer.
struct CacheOutput {
    var bytes: [UInt8] = []

    mutating func unsigned(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func int(_ value: Int) { unsigned(UInt64(bitPattern: Int64((value << 1) ^ (value >> 63)))) }

    mutating func count(_ value: Int) { unsigned(UInt64(value)) }

    mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            unsigned(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func strings(_ values: [String]) {
        count(values.count)
        for value in values { string(value) }
    }

    mutating func section(_ section: SrcInfo.Section) {
        count(section.attributes.count)
        for attribute in section.attributes {
            string(attribute.key)
            strings(attribute.values)
        }
    }

    mutating func result(_ result: PKGBUILDReader.Result) {
        string(result.file)
        if let srcinfo = result.srcinfo {
            bytes.append(1)
            string(srcinfo.pkgbase)
            section(srcinfo.base)
            count(srcinfo.packages.count)
            for package in srcinfo.packages {
                string(package.name)
                section(package.section)
            }
        } else {
            bytes.append(0)
        }
        count(result.diagnostics.count)
        for d in result.diagnostics {
            string(d.file)
            int(d.line)
            int(d.column)
            let severity: UInt8 = switch d.severity {
            case .fallback: 0
            case .error: 1
            case .invalid: 2
            }
            bytes.append(severity)
            string(d.message)
        }
        string(result.printed ?? "")
    }
}

/// Reads the cache file's values from a byte buffer; any overrun or impossible value
/// throws, and the caller treats the file as absent.
struct CacheInput {
    struct Corrupt: Error {}

    private let buffer: UnsafeRawBufferPointer
    private var offset = 0

    init(_ buffer: UnsafeRawBufferPointer) { self.buffer = buffer }

    var isAtEnd: Bool { offset == buffer.count }

    mutating func byte() throws(Corrupt) -> UInt8 {
        guard offset < buffer.count else { throw Corrupt() }
        defer { offset += 1 }
        return buffer[offset]
    }

    mutating func bytes(_ count: Int) throws(Corrupt) -> [UInt8] {
        guard count <= buffer.count - offset else { throw Corrupt() }
        defer { offset += count }
        return Array(buffer[offset..<(offset + count)])
    }

    mutating func unsigned() throws(Corrupt) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try byte()
            guard shift < 64 else { throw Corrupt() }
            value |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    mutating func int() throws(Corrupt) -> Int {
        let raw = try unsigned()
        return Int(Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1))))
    }

    /// A non-negative count no larger than the bytes left (each item takes at least one).
    mutating func count() throws(Corrupt) -> Int {
        let value = try unsigned()
        guard value <= UInt64(buffer.count - offset) else { throw Corrupt() }
        return Int(value)
    }

    mutating func string() throws(Corrupt) -> String {
        let length = try count()
        defer { offset += length }
        return String(decoding: UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + length)]), as: UTF8.self)
    }

    mutating func strings() throws(Corrupt) -> [String] {
        let n = try count()
        var values: [String] = []
        values.reserveCapacity(n)
        for _ in 0..<n { values.append(try string()) }
        return values
    }

    mutating func section() throws(Corrupt) -> SrcInfo.Section {
        let n = try count()
        var attributes: [SrcInfo.Attribute] = []
        attributes.reserveCapacity(n)
        for _ in 0..<n { attributes.append(SrcInfo.Attribute(key: try string(), values: try strings())) }
        return SrcInfo.Section(attributes: attributes)
    }

    mutating func result() throws(Corrupt) -> PKGBUILDReader.Result {
        let file = try string()
        var srcinfo: SrcInfo?
        switch try byte() {
        case 0: break
        case 1:
            let pkgbase = try string()
            let base = try section()
            var packages: [SrcInfo.Package] = []
            for _ in 0..<(try count()) { packages.append(SrcInfo.Package(name: try string(), section: try section())) }
            srcinfo = SrcInfo(pkgbase: pkgbase, base: base, packages: packages)
        default: throw Corrupt()
        }
        var diagnostics: [Diagnostic] = []
        for _ in 0..<(try count()) {
            let file = try string(), line = try int(), column = try int()
            let severity: Diagnostic.Severity = switch try byte() {
            case 0: .fallback
            case 1: .error
            case 2: .invalid
            default: throw Corrupt()
            }
            diagnostics.append(Diagnostic(file: file, line: line, column: column, severity: severity, message: try string()))
        }
        let printed = try string()
        return PKGBUILDReader.Result(file: file, srcinfo: srcinfo, diagnostics: diagnostics, printed: printed.isEmpty ? nil : printed)
    }
}
