// Placeholder: replaced by the real libalpm-compatible implementation.
public struct Version: Sendable {
    public static func compare(_ a: String, _ b: String) -> Int { a == b ? 0 : (a < b ? -1 : 1) }
}
