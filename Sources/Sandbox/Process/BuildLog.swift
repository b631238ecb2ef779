import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The build log: every line the sandbox prints, prefixed with the seconds since the
/// job started, appended to a file as it arrives (a maintainer can `tail -f` it), and
/// the last lines kept in memory for the result.
///
/// The build decides what it prints, so the log is bounded: a line longer than
/// ``maxLineBytes`` is cut into several (output without newlines never piles up in
/// memory), and a file reaching ``limit`` bytes keeps its first ``limit``/16 bytes and
/// its last half, with one line in between saying how many bytes were left out there.
/// The error that ended a build is at the end, which is what is kept.
///
/// Owned by the one thread that reads the sandbox's output; not shared.
final class BuildLog {
    /// 64 MiB: far more than a large build (a kernel's is a few MiB) prints.
    static let defaultLimit: UInt64 = 64 << 20
    /// Bytes of one line before it is cut.
    static let maxLineBytes = 64 << 10

    let path: String
    /// The most bytes the file holds.
    let limit: UInt64
    private let descriptor: Int32
    private let start: ContinuousClock.Instant
    private var pending = Data()
    private(set) var tail: [String] = []
    private let tailLimit: Int
    /// Bytes in the file now.
    private var size: UInt64 = 0
    /// Where the kept head ends and the note about the left-out bytes starts, once cut.
    private var headEnd: UInt64?
    /// Bytes of the note line (0 before the first cut).
    private var noteBytes: UInt64 = 0
    /// Bytes of output left out so far.
    private(set) var droppedBytes: UInt64 = 0

    init(path: String, start: ContinuousClock.Instant = .now, tailLimit: Int = 40, limit: UInt64 = BuildLog.defaultLimit) throws(SandboxError) {
        let descriptor = open(path, O_RDWR | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .io(path: path, reason: "cannot create the build log: \(errnoText())") }
        self.path = path
        self.descriptor = descriptor
        self.start = start
        self.tailLimit = tailLimit
        // Room for a head, a note and a tail of whole lines.
        self.limit = max(limit, 4 * UInt64(Self.maxLineBytes))
    }

    deinit { close(descriptor) }

    /// A line of pacbuild's own (set-up, timeout, verification), marked as such.
    func note(_ text: String) { emit("pacbuild: " + text) }

    /// Bytes as read from the pipe; complete lines are written, a partial one waits
    /// (up to ``maxLineBytes``, then it is written as a line of its own).
    func append(_ data: Data) {
        pending.append(data)
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) ?? (pending.count >= Self.maxLineBytes ? pending.endIndex : nil) {
            let end = min(newline, pending.startIndex + Self.maxLineBytes)
            emit(String(decoding: pending[pending.startIndex..<end], as: UTF8.self))
            pending.removeSubrange(pending.startIndex..<(end == newline && newline < pending.endIndex ? newline + 1 : end))
        }
    }

    /// Writes a final partial line; the file is closed when the log goes away.
    func finish() {
        if !pending.isEmpty { emit(String(decoding: pending, as: UTF8.self)) }
        pending.removeAll()
    }

    private func emit(_ line: String) {
        let clean = line.hasSuffix("\r") ? String(line.dropLast()) : line
        write(Array((timestamp() + clean + "\n").utf8))
        tail.append(clean)
        if tail.count > tailLimit { tail.removeFirst(tail.count - tailLimit) }
    }

    private func timestamp() -> String {
        let elapsed = start.duration(to: .now)
        return String(format: "[%9.3f] ", Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    private func write(_ bytes: [UInt8]) {
        if size + UInt64(bytes.count) > limit { cut() }
        if writeAll(bytes, at: size) { size += UInt64(bytes.count) }
    }

    /// Leaves out everything between the head and the last ``limit``/2 bytes (from a
    /// line's start), replacing it with one note line.
    private func cut() {
        let head = headEnd ?? lineStart(atOrBefore: limit / 16)
        headEnd = head
        let keepFrom = lineStart(atOrAfter: size - min(size, limit / 2))
        let bodyStart = head + noteBytes
        guard keepFrom > bodyStart else { return }
        droppedBytes += keepFrom - bodyStart
        let note = Array((timestamp() + "pacbuild: \(droppedBytes) bytes of output left out here: the log is limited to \(limit) bytes\n").utf8)
        var to = head + UInt64(note.count), from = keepFrom
        guard to < from, writeAll(note, at: head) else { return }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while from < size {
            let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, off_t(from)) }
            guard count > 0, writeAll(Array(buffer[0..<count]), at: to) else { break }
            from += UInt64(count)
            to += UInt64(count)
        }
        ftruncate(descriptor, off_t(to))
        size = to
        noteBytes = UInt64(note.count)
    }

    /// The offset of the line holding byte `offset` (its start), searched backwards.
    private func lineStart(atOrBefore offset: UInt64) -> UInt64 {
        let from = offset - min(offset, UInt64(Self.maxLineBytes) * 2)
        let bytes = read(from: from, count: Int(offset - from))
        guard let newline = bytes.lastIndex(of: UInt8(ascii: "\n")) else { return offset }
        return from + UInt64(newline) + 1
    }

    /// The start of the first line at or after `offset`.
    private func lineStart(atOrAfter offset: UInt64) -> UInt64 {
        guard offset > 0 else { return 0 }
        let bytes = read(from: offset - 1, count: Self.maxLineBytes * 2)
        guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return offset }
        return offset - 1 + UInt64(newline) + 1
    }

    private func read(from offset: UInt64, count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let got = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, count, off_t(offset)) }
        return Array(bytes.prefix(max(got, 0)))
    }

    private func writeAll(_ bytes: [UInt8], at offset: UInt64) -> Bool {
        var done = 0
        while done < bytes.count {
            let written = bytes[done...].withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, off_t(offset) + off_t(done)) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return false }
            done += written
        }
        return true
    }
}
