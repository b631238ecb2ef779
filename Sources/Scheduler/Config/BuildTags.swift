/// The tags a repo's builds require of the waka that claims them (`tags` and
/// `[package_tags]` of a repo file): a waka claims a build only if it has every one
/// (`[workers] tags`), so chromium can be kept to the machines with the memory for it.
public struct BuildTags: Sendable, Equatable {
    /// Required by every build of the repo.
    public var repo: [String]
    /// Required in addition by the builds of one pkgbase.
    public var packages: [String: [String]]

    public init(repo: [String] = [], packages: [String: [String]] = [:]) {
        self.repo = repo
        self.packages = packages
    }

    /// The tags a build of `pkgbase` requires, sorted, each once.
    public func required(for pkgbase: String) -> [String] {
        Self.normalized(repo + (packages[pkgbase] ?? []))
    }

    /// Sorted and each once: the form the store keeps and compares.
    public static func normalized(_ tags: [String]) -> [String] { Array(Set(tags)).sorted() }

    public static let rule = "letters, digits, '-', '_' or '.'"

    /// A tag the store can keep in its comma-joined column and a waka can name.
    public static func valid(_ tag: String) -> Bool {
        !tag.isEmpty && tag.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    }
}
