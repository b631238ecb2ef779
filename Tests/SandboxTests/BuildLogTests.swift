import Foundation
@testable import Sandbox
import Testing

/// The host's reading of what a sandbox prints and leaves: bounded, never blocked, never
/// led through a link.
@Suite struct BuildLogTests {
    static func scratch() throws -> String {
        let path = NSTemporaryDirectory() + "pacbuild-log-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func aLogPastItsLimitKeepsHeadAndTailAndSaysWhatWasLeftOut() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let limit: UInt64 = 1 << 20
        let log = try BuildLog(path: directory + "/build.log", limit: limit)
        for number in 0..<100_000 { log.append(Data("line \(number) of a chatty build\n".utf8)) }
        log.finish()
        let text = try String(contentsOfFile: directory + "/build.log", encoding: .utf8)
        let size = UInt64(text.utf8.count)
        #expect(size <= limit)
        #expect(size > limit / 2)
        let lines = text.split(separator: "\n")
        #expect(lines.first?.hasSuffix("] line 0 of a chatty build") == true)
        #expect(lines.last?.hasSuffix("] line 99999 of a chatty build") == true)
        let notes = lines.filter { $0.contains("pacbuild: ") && $0.contains("bytes of output left out here: the log is limited to 1048576 bytes") }
        #expect(notes.count == 1)
        #expect(log.droppedBytes > 0)
        #expect(lines.allSatisfy { $0.hasPrefix("[") }, "every line whole, timestamped")
        #expect(log.tail.last == "line 99999 of a chatty build")
    }

    @Test func outputWithoutNewlinesIsCutIntoLines() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = try BuildLog(path: directory + "/build.log")
        for _ in 0..<10 { log.append(Data(repeating: UInt8(ascii: "x"), count: 50_000)) }
        log.finish()
        let lines = try String(contentsOfFile: directory + "/build.log", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 8)
        #expect(log.tail.allSatisfy { $0.utf8.count <= BuildLog.maxLineBytes })
        #expect(log.tail.map(\.utf8.count).reduce(0, +) == 500_000)
    }

    @Test func safeReadRefusesLinksFIFOsAndLargeFiles() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data("0\n".utf8).write(to: URL(fileURLWithPath: directory + "/status"))
        #expect(try SafeRead.smallFile(at: directory + "/status", limit: 16) == Data("0\n".utf8))
        #expect(throws: SandboxError.io(path: directory + "/status", reason: "is 2 bytes, over the limit of 1 bytes")) {
            try SafeRead.smallFile(at: directory + "/status", limit: 1)
        }
        #expect(symlink("/etc/passwd", directory + "/link") == 0)
        #expect(throws: SandboxError.io(path: directory + "/link", reason: "is a symbolic link, not a regular file")) {
            try SafeRead.smallFile(at: directory + "/link", limit: 1 << 20)
        }
        #expect(mkfifo(directory + "/fifo", 0o644) == 0)
        let start = ContinuousClock.now
        #expect(throws: SandboxError.io(path: directory + "/fifo", reason: "is a FIFO, not a regular file")) {
            try SafeRead.smallFile(at: directory + "/fifo", limit: 16)
        }
        #expect(start.duration(to: .now) < .seconds(3))
        // a link in place of the directory is not followed either
        #expect(symlink(directory, directory + "/dirlink") == 0)
        #expect(throws: SandboxError.self) { try SafeRead.smallFile(at: directory + "/dirlink/status", limit: 16) }
    }
}
