import Foundation
import Scheduler

/// Reading a build's log for the pages and the stream: while it builds, the file its
/// waka writes in this machine's work directory; afterwards, where `pacbuild log` reads
/// it (the reported path, else the copy uploaded to the store).
enum LogFile {
    /// Where the log of `record` can be read now, nil when nowhere (yet).
    static func path(of record: BuildRecord, store: any BuildStore, stateDirectory: String) -> String? {
        let logs = BuildLogs(store: store, stateDirectory: stateDirectory)
        if record.state == .building {
            let live = logs.livePath(of: record.id)
            return access(live, R_OK) == 0 ? live : nil
        }
        return try? logs.readablePath(of: record)
    }

    /// The last `limit` bytes of the log, from a line start, with how many bytes were
    /// left out before them and where the file ended.
    static func tail(of record: BuildRecord, store: any BuildStore, stateDirectory: String,
                     limit: Int64) throws -> (text: String, cut: Int64, end: Int64)? {
        guard let path = path(of: record, store: store, stateDirectory: stateDirectory),
              let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let end = try handle.seekToEnd()
        var start = end > UInt64(limit) ? end - UInt64(limit) : 0
        try handle.seek(toOffset: start)
        var data = try handle.read(upToCount: Int(end - start)) ?? Data()
        if start > 0, let newline = data.firstIndex(of: UInt8(ascii: "\n")) {
            start += UInt64(newline - data.startIndex + 1)
            data = data[(newline + 1)...]
        }
        return (String(decoding: data, as: UTF8.self), Int64(start), Int64(start) + Int64(data.count))
    }

    /// The bytes after `offset` (at most `limit`), nil when the file cannot be read.
    static func read(_ path: String, from offset: Int64, limit: Int = 1 << 20) -> Data? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        do {
            try handle.seek(toOffset: UInt64(max(0, offset)))
            return try handle.read(upToCount: limit) ?? Data()
        } catch {
            return nil
        }
    }
}
