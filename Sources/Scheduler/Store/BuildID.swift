/// A build's row id in the store: stable for the build's life, shown to maintainers
/// (`pacbuild retry 1234`).
public struct BuildID: RawRepresentable, Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let rawValue: Int64

    public init(rawValue: Int64) { self.rawValue = rawValue }
    public init(_ rawValue: Int64) { self.rawValue = rawValue }

    public var description: String { "#\(rawValue)" }

    public static func < (lhs: BuildID, rhs: BuildID) -> Bool { lhs.rawValue < rhs.rawValue }
}
