/// How many builds in one state require one set of tags, and which of those tags no
/// registered worker can offer: a build that requires `big-memory` while no waka has it
/// stays ready forever, and `pacbuild status` says so.
public struct TagDemand: Sendable, Hashable, Codable {
    /// The required tags, sorted (never empty: builds without tags are not counted).
    public var tags: [String]
    public var count: Int

    public init(tags: [String], count: Int) {
        self.tags = tags
        self.count = count
    }

    /// Whether some worker has every tag (arches aside).
    public func isServed(by workers: [WorkerInfo]) -> Bool {
        workers.contains { Set(tags).isSubset(of: $0.tags) }
    }

    /// The tags no worker has at all (empty when each is on some worker, though maybe
    /// on none with all of them).
    public func absent(from workers: [WorkerInfo]) -> [String] {
        let offered = Set(workers.flatMap(\.tags))
        return tags.filter { !offered.contains($0) }
    }
}
