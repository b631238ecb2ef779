/// Finds the line on which a key is written, because TOMLKit (toml++ underneath) keeps
/// source positions only for parse errors. It scans the text the way a reader does:
/// `[table]` and `[[array]]` headers set the current table, `key = value` (bare,
/// quoted or dotted keys) records `table + key`; values are skipped with their strings,
/// comments and brackets so that a multi-line array or string never looks like a key.
/// Keys inside inline tables are not recorded; asking for one gives its table's line.
struct TOMLKeyLocator: Sendable {
    private var lines: [[String]: Int] = [:]

    init(text: String) {
        var table: [String] = []
        var value = ValueScanner()
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = Array(raw)
            if value.isOpen {
                value.scan(line[...])
                continue
            }
            var start = 0
            while start < line.count, line[start] == " " || line[start] == "\t" { start += 1 }
            guard start < line.count, line[start] != "#", line[start] != "\r" else { continue }
            if line[start] == "[" {
                let isArray = start + 1 < line.count && line[start + 1] == "["
                let (path, _) = Self.keyPath(line, from: start + (isArray ? 2 : 1), until: "]")
                table = path
                record(table, line: index + 1)
            } else {
                let (path, end) = Self.keyPath(line, from: start, until: "=")
                guard end < line.count else { continue }
                record(table + path, line: index + 1)
                value = ValueScanner()
                value.scan(line[(end + 1)...])
            }
        }
    }

    /// The line of `path`, or of its nearest enclosing key or table that was written
    /// out (a key inside an inline table reports the table's line); `nil` if none was.
    func line(of path: [String]) -> Int? {
        var path = path
        while !path.isEmpty {
            if let line = lines[path] { return line }
            path.removeLast()
        }
        return nil
    }

    private mutating func record(_ path: [String], line: Int) {
        if lines[path] == nil { lines[path] = line }
    }

    /// Reads a dotted key (`a."b.c".d`) from `start` up to the first `terminator`
    /// outside quotes; returns its parts and the terminator's index (or the line end).
    private static func keyPath(_ line: [Character], from start: Int, until terminator: Character) -> ([String], Int) {
        var parts: [String] = [], current = "", quote: Character?
        var index = start
        while index < line.count {
            let c = line[index]
            if let open = quote {
                if c == open { quote = nil } else { current.append(c) }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == terminator {
                break
            } else if c == "." {
                parts.append(current)
                current = ""
            } else if c != " " && c != "\t" {
                current.append(c)
            }
            index += 1
        }
        parts.append(current)
        return (parts, index)
    }
}

/// Follows a TOML value across lines: open brackets and multi-line strings keep it
/// going, comments and the contents of strings are skipped.
private struct ValueScanner {
    private var depth = 0
    private var multiline: [Character]?

    var isOpen: Bool { depth > 0 || multiline != nil }

    mutating func scan(_ text: ArraySlice<Character>) {
        var i = text.startIndex
        func has(_ s: [Character], at j: Int) -> Bool {
            j + s.count <= text.endIndex && Array(text[j..<(j + s.count)]) == s
        }
        while i < text.endIndex {
            if let delimiter = multiline {
                if text[i] == "\\" && delimiter.first == "\"" { i += 2; continue }
                if has(delimiter, at: i) { multiline = nil; i += 3 } else { i += 1 }
                continue
            }
            let c = text[i]
            switch c {
            case "#":
                return
            case "\"", "'":
                let triple = [c, c, c]
                if has(triple, at: i) {
                    multiline = triple
                    i += 3
                    continue
                }
                i += 1
                while i < text.endIndex && text[i] != c {
                    if c == "\"" && text[i] == "\\" { i += 1 }
                    i += 1
                }
            case "[", "{":
                depth += 1
            case "]", "}":
                depth = max(0, depth - 1)
            default:
                break
            }
            i += 1
        }
    }
}
