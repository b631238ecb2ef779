import Foundation
import Hummingbird
import HTTPTypes
import Scheduler
import Testing
@testable import Web

/// `/builds/ID/log/stream`: lines appended to a building build's log reach the client
/// while it builds, and the stream ends once the build is reported.
@Suite struct LogStreamTests {
    /// A response body writer that records what the stream wrote, for a test to await.
    final class Recorder: ResponseBodyWriter, @unchecked Sendable {
        // @unchecked: `text` and `finished` are only touched under `lock`.
        private let lock = NSLock()
        private var written = ""
        private var ended = false

        var text: String { lock.withLock { written } }
        var finished: Bool { lock.withLock { ended } }

        func write(_ buffer: ByteBuffer) async throws { lock.withLock { written += String(buffer: buffer) } }
        func finish(_ trailingHeaders: HTTPFields?) async throws { lock.withLock { ended = true } }

        /// Waits (at most 10 s) until `condition` holds for the text written so far.
        func wait(until condition: (String) -> Bool) async throws -> Bool {
            for _ in 0..<500 {
                if condition(text) { return true }
                try await Task.sleep(for: .milliseconds(20))
            }
            return false
        }
    }

    @Test func appendedLinesArriveWhileBuildingThenTheStreamEnds() async throws {
        var fixture = try WebFixture()
        defer { fixture.remove() }
        try fixture.populate()
        let site = try fixture.site()
        let id = fixture.ids["ex-run"]!
        let recorder = Recorder()
        let stream = Task { try await LogStream(site: site, build: id, offset: 0).response.body.write(recorder) }

        #expect(try await recorder.wait { $0.contains("data: ==> Making package: ex-run 0.5-1\n\n") })
        let log = FileHandle(forWritingAtPath: fixture.liveLog)!
        try log.seekToEnd()
        try log.write(contentsOf: Data("\(WebFixture.hostileLogLine)\nhalf a ".utf8))
        #expect(try await recorder.wait { $0.contains("data: \(WebFixture.hostileLogLine)\n\n") })
        #expect(!recorder.text.contains("half a"))  // a line is sent once it is complete
        try log.write(contentsOf: Data("line\r\n".utf8))
        #expect(try await recorder.wait { $0.contains("data: half a line\n\n") })
        #expect(!recorder.finished)

        try log.write(contentsOf: Data("==> Finished making: ex-run".utf8))
        try log.close()
        _ = try fixture.store.report(id, worker: "waka-1", result: .built(log: fixture.liveLog, artifacts: [], facts: []))
        try await stream.value
        #expect(recorder.finished)
        #expect(recorder.text.hasSuffix("data: ==> Finished making: ex-run\n\nevent: end\ndata: built\n\n"))
        // each event's id is the byte offset after its line, for Last-Event-ID
        let whole = try String(contentsOfFile: fixture.liveLog, encoding: .utf8)
        let firstLine = "==> Making package: ex-run 0.5-1\n"
        #expect(recorder.text.hasPrefix("id: \(firstLine.utf8.count)\ndata: ==> Making package: ex-run 0.5-1\n\n"))
        #expect(recorder.text.contains("id: \(whole.utf8.count)\ndata: ==> Finished making: ex-run\n\n"))
    }

    @Test func finishedBuildStreamsItsLogFromTheOffsetAndEnds() async throws {
        var fixture = try WebFixture()
        defer { fixture.remove() }
        try fixture.populate()
        let id = fixture.ids["ex-lib"]!.rawValue
        let offset = "==> Making package: ex-lib 1.0-1\n".utf8.count
        let site = try fixture.site()
        let response = try await site.get("/builds/\(id)/log/stream?offset=\(offset)")
        #expect(response.contentType == "text/event-stream; charset=utf-8")
        #expect(!response.body.contains("Making package"))
        #expect(response.body.contains("data: \(WebFixture.hostileLogLine)\n\n"))
        #expect(response.body.hasSuffix("data: ==> Finished making: ex-lib\n\nevent: end\ndata: built\n\n"))
    }
}
