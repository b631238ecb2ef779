import Foundation
import Repo

/// Files kept with a build in `build_files` / `build_file_chunks` (schema 4).
extension SQLBackedStore {
    /// Bytes per chunk row: big enough that a package is a few hundred statements, small
    /// enough that one row (twice that as hex text on the wire) never strains memory.
    static var fileChunkSize: Int { 1 << 20 }

    @discardableResult
    public func putFile(_ build: BuildID, kind: StoredFile.Kind, name: String, from path: String) throws -> StoredFile {
        let sha256: String
        do { sha256 = try FileChecksum.sha256(ofFileAt: path) } catch { throw StoreError.fileIO(path: path, reason: "\(error)") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StoreError.fileIO(path: path, reason: "cannot open for reading")
        }
        defer { try? handle.close() }
        let key: [SQLValue] = [.int(build.rawValue), .text(kind.rawValue), .text(name)]
        let calls = workerRoleCalls
        return try transaction { db in
            try handle.seek(toOffset: 0)
            // The row first (the chunks reference it), then the totals once they are known
            // (a worker role's function adds each chunk to them as it goes).
            let holder = try calls?.beginFile(build, key: key, sha256: sha256, db)
            if calls == nil {
                try db.query("DELETE FROM build_file_chunks WHERE build_id = $1 AND kind = $2 AND name = $3", key)
                try db.query("DELETE FROM build_files WHERE build_id = $1 AND kind = $2 AND name = $3", key)
                try db.query("INSERT INTO build_files (build_id, kind, name, size, sha256, chunks) VALUES ($1, $2, $3, 0, $4, 0)",
                             key + [.text(sha256)])
            }
            var size: Int64 = 0
            var seq: Int64 = 0
            while let data = try handle.read(upToCount: Self.fileChunkSize), !data.isEmpty {
                let chunk = key + [.int(seq), .text(Self.hexLiteral(data))]
                if let calls, let holder {
                    try calls.putChunk(chunk, holder: holder, db)
                } else {
                    try db.query("INSERT INTO build_file_chunks (build_id, kind, name, seq, data) VALUES ($1, $2, $3, $4, $5)", chunk)
                }
                size += Int64(data.count)
                seq += 1
            }
            if calls == nil {
                try db.query("UPDATE build_files SET size = $4, chunks = $5 WHERE build_id = $1 AND kind = $2 AND name = $3",
                             key + [.int(size), .int(seq)])
            }
            return StoredFile(build: build, kind: kind, name: name, size: size, sha256: sha256)
        }
    }

    public func files(of build: BuildID) throws -> [StoredFile] {
        try autocommit { db in
            try db.query("SELECT kind, name, size, sha256 FROM build_files WHERE build_id = $1 ORDER BY kind, name",
                         .int(build.rawValue)).compactMap { row in
                StoredFile.Kind(rawValue: row.string(0)).map {
                    StoredFile(build: build, kind: $0, name: row.string(1), size: row.int(2) ?? 0, sha256: row.string(3))
                }
            }
        }
    }

    public func findFile(kind: StoredFile.Kind, names: [String], sha256: String?) throws -> StoredFile? {
        var values: [SQLValue] = [.text(kind.rawValue)]
        var alternatives: [String] = []
        for name in names {
            values.append(.text(name))
            alternatives.append("name = $\(values.count)")
        }
        if let sha256 {
            values.append(.text(sha256))
            alternatives.append("sha256 = $\(values.count)")
        }
        guard !alternatives.isEmpty else { return nil }
        return try autocommit { db in
            try db.query("SELECT build_id, name, size, sha256 FROM build_files WHERE kind = $1 AND (\(alternatives.joined(separator: " OR ")))"
                         + " ORDER BY build_id, name LIMIT 1", values).first.flatMap { row in
                row.buildID(0).map { StoredFile(build: $0, kind: kind, name: row.string(1), size: row.int(2) ?? 0, sha256: row.string(3)) }
            }
        }
    }

    @discardableResult
    public func fetchFile(_ build: BuildID, kind: StoredFile.Kind, name: String, to path: String) throws -> StoredFile {
        let key: [SQLValue] = [.int(build.rawValue), .text(kind.rawValue), .text(name)]
        let temporary = path + ".part-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: nil), let out = FileHandle(forWritingAtPath: temporary) else {
            throw StoreError.fileIO(path: temporary, reason: "cannot create")
        }
        var keep = false
        defer {
            try? out.close()
            if !keep { unlink(temporary) }
        }
        // One transaction, so a concurrent replacement cannot interleave with the read.
        let file = try transaction { db -> StoredFile in
            guard let row = try db.query("SELECT size, sha256, chunks FROM build_files WHERE build_id = $1 AND kind = $2 AND name = $3",
                                         key).first else { throw StoreError.noSuchFile(build, kind: kind.rawValue, name: name) }
            let file = StoredFile(build: build, kind: kind, name: name, size: row.int(0) ?? 0, sha256: row.string(1))
            for seq in 0 ..< (row.int(2) ?? 0) {
                guard let chunk = try db.query("SELECT data FROM build_file_chunks WHERE build_id = $1 AND kind = $2 AND name = $3 "
                                               + "AND seq = $4", key + [.int(seq)]).first?.text(0),
                      let data = Self.bytes(fromHexLiteral: chunk)
                else { throw StoreError.fileCorrupt(build, name: name, detail: "chunk \(seq) is missing or unreadable") }
                try out.write(contentsOf: data)
            }
            return file
        }
        try out.close()
        let sha256: String
        do { sha256 = try FileChecksum.sha256(ofFileAt: temporary) } catch { throw StoreError.fileIO(path: temporary, reason: "\(error)") }
        let size = (try? FileManager.default.attributesOfItem(atPath: temporary)[.size] as? Int64) ?? -1
        guard sha256 == file.sha256, size == file.size else {
            throw StoreError.fileCorrupt(build, name: name, detail: "read \(size) bytes with sha256 \(sha256), "
                                         + "recorded \(file.size) bytes with sha256 \(file.sha256)")
        }
        guard rename(temporary, path) == 0 else { throw StoreError.fileIO(path: path, reason: String(cString: strerror(errno))) }
        keep = true
        return file
    }

    /// `\x` and lower-case hex: bytea's input form, kept as text by SQLite.
    static func hexLiteral(_ data: Data) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8](repeating: 0, count: 2 + data.count * 2)
        out[0] = UInt8(ascii: "\\")
        out[1] = UInt8(ascii: "x")
        var i = 2
        for byte in data {
            out[i] = digits[Int(byte >> 4)]
            out[i + 1] = digits[Int(byte & 0xF)]
            i += 2
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func bytes(fromHexLiteral text: String) -> Data? {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 2, utf8[0] == UInt8(ascii: "\\"), utf8[1] == UInt8(ascii: "x"), utf8.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0") ... UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a") ... UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A") ... UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var data = Data(capacity: (utf8.count - 2) / 2)
        var i = 2
        while i < utf8.count {
            guard let high = nibble(utf8[i]), let low = nibble(utf8[i + 1]) else { return nil }
            data.append(high << 4 | low)
            i += 2
        }
        return data
    }
}
