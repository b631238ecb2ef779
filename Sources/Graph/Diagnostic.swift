/// A problem found while reading a PKGBUILD, at a file, line and column.
public struct Diagnostic: Sendable, Equatable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable {
        /// The PKGBUILD is not valid bash or breaks makepkg's rules: makepkg fails too.
        case error
        /// Valid, but needs a real shell to evaluate (or costs more than the reader's
        /// budgets allow): the result needs the makepkg fallback.
        case fallback
        /// Evaluated exactly, and makepkg refuses it: its `lint_pkgbuild` stage fails, or
        /// sourcing the PKGBUILD ends makepkg (a top-level `exit`, a failing last
        /// command), or the file is not one the reader may open (a symlink out of its
        /// tree). Nothing is built from it and the fallback would not change that.
        case invalid
    }

    public var file: String
    public var line: Int
    public var column: Int
    public var severity: Severity
    public var message: String

    public init(file: String, line: Int, column: Int, severity: Severity, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.severity = severity
        self.message = message
    }

    public var description: String {
        let label = switch severity {
        case .error: "error"
        case .fallback: "needs makepkg"
        case .invalid: "invalid"
        }
        return "\(file):\(line):\(column): \(label): \(message)"
    }
}

/// Turns byte offsets of a text into 1-based lines and columns.
struct SourceMap {
    private var lineStarts: [Int] = [0]
    private let bytes: [UInt8]

    init(_ text: String) {
        bytes = Array(text.utf8)
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { lineStarts.append(i + 1) }
    }

    func location(of offset: Int) -> (line: Int, column: Int) {
        let offset = max(0, min(offset, bytes.count))
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        let start = lineStarts[low]
        // columns count characters, not bytes
        let column = String(decoding: bytes[start..<offset], as: UTF8.self).count + 1
        return (low + 1, column)
    }
}
