import Foundation

/// The build log: every line the sandbox prints, prefixed with the seconds since the
/// job started, appended to a file as it arrives (a maintainer can `tail -f` it), and
/// the last lines kept in memory for the result.
///
/// Owned by the one thread that reads the sandbox's output; not shared.
final class BuildLog {
    let path: String
    private let handle: FileHandle
    private let start: ContinuousClock.Instant
    private var pending = Data()
    private(set) var tail: [String] = []
    private let tailLimit: Int

    init(path: String, start: ContinuousClock.Instant = .now, tailLimit: Int = 40) throws(SandboxError) {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw .io(path: path, reason: "cannot create the build log")
        }
        self.path = path
        self.handle = handle
        self.start = start
        self.tailLimit = tailLimit
    }

    /// A line of pacbuild's own (set-up, timeout, verification), marked as such.
    func note(_ text: String) { emit("pacbuild: " + text) }

    /// Bytes as read from the pipe; complete lines are written, a partial one waits.
    func append(_ data: Data) {
        pending.append(data)
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            emit(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
            pending.removeSubrange(pending.startIndex...newline)
        }
    }

    /// Writes a final partial line and closes the file.
    func finish() {
        if !pending.isEmpty { emit(String(decoding: pending, as: UTF8.self)) }
        pending.removeAll()
        try? handle.close()
    }

    private func emit(_ line: String) {
        let clean = line.hasSuffix("\r") ? String(line.dropLast()) : line
        let elapsed = start.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        handle.write(Data((String(format: "[%9.3f] ", seconds) + clean + "\n").utf8))
        tail.append(clean)
        if tail.count > tailLimit { tail.removeFirst(tail.count - tailLimit) }
    }
}
