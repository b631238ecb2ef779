/// How many builds of a repo are in one state: a line of `pacbuild status`.
public struct StateCount: Sendable, Hashable, Codable {
    public var repo: String
    public var state: BuildState.Name
    public var count: Int
}
