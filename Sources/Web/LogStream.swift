import Foundation
import Hummingbird
import Scheduler

/// A build's log as server-sent events, following the file as it grows: one `data:`
/// event per complete line (its `id:` the byte offset after it, so a reconnecting
/// EventSource resumes with `Last-Event-ID`), then `event: end` with the build's state
/// once it is no longer building and the whole log was sent.
struct LogStream: Sendable {
    let site: WebSite
    let build: BuildID
    /// The byte offset to start at (lines before it are on the page already).
    let offset: Int64

    /// How many polls pass between looks at the build's state.
    static let statePolls = 4
    /// A comment line this often keeps proxies from closing an idle stream.
    static let keepAlivePolls = 60

    var response: Response {
        Response(status: .ok,
                 headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store"],
                 body: ResponseBody { writer in try await follow(&writer) })
    }

    private func follow(_ writer: inout any ResponseBodyWriter) async throws {
        let store = site.store, id = build, state = site.stateDirectory
        var position = offset
        var pending = Data()
        var polls = 0
        var record = try await blocking { try store.build(id) }
        while true {
            if polls > 0 && polls % Self.statePolls == 0 { record = try await blocking { try store.build(id) } }
            let finished = record.state != .building
            let current = record
            let path = try await blocking { LogFile.path(of: current, store: store, stateDirectory: state) }
            var grew = false
            if let path, let data = LogFile.read(path, from: position), !data.isEmpty {
                grew = true
                position += Int64(data.count)
                pending.append(data)
                try await writer.write(ByteBuffer(string: Self.events(taking: &pending, endingAt: position)))
            }
            if finished && !grew {
                var last = ""
                if !pending.isEmpty { last = Self.event(String(decoding: pending, as: UTF8.self), id: position) }
                try await writer.write(ByteBuffer(string: last + "event: end\ndata: \(record.state.description)\n\n"))
                try await writer.finish(nil)
                return
            }
            polls += 1
            if polls % Self.keepAlivePolls == 0 { try await writer.write(ByteBuffer(string: ": still \(record.state.name.rawValue)\n\n")) }
            if !grew { try await Task.sleep(for: site.logPollInterval) }
        }
    }

    /// The events of the complete lines in `pending` (left with the partial last line);
    /// `end` is the file offset just past `pending`.
    static func events(taking pending: inout Data, endingAt end: Int64) -> String {
        guard let lastNewline = pending.lastIndex(of: UInt8(ascii: "\n")) else { return "" }
        let complete = pending[pending.startIndex...lastNewline]
        let rest = pending[(lastNewline + 1)...]
        var offset = end - Int64(rest.count) - Int64(complete.count)
        var out = ""
        for line in complete.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast() {
            offset += Int64(line.count) + 1
            out += event(String(decoding: line, as: UTF8.self), id: offset)
        }
        pending = Data(rest)
        return out
    }

    /// One line as an event; a carriage return (makepkg's progress bars) would end the
    /// field early, so it is dropped.
    static func event(_ line: String, id: Int64) -> String {
        "id: \(id)\ndata: \(line.replacingOccurrences(of: "\r", with: ""))\n\n"
    }
}
