/// Errors of the Graph module, each naming the file and line and what was expected, so
/// that a maintainer can fix the input.
public enum GraphError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A `.SRCINFO` line that is not `key = value` or a section out of order.
    case srcinfo(file: String, line: Int, expected: String, found: String)
    /// A file that could not be read.
    case unreadable(file: String, reason: String)

    public var description: String {
        switch self {
        case .srcinfo(let file, let line, let expected, let found):
            return "\(file):\(line): expected \(expected), found \(found)"
        case .unreadable(let file, let reason):
            return "\(file): cannot be read: \(reason)"
        }
    }
}
