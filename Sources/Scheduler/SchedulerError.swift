/// What goes wrong in planning, queueing and publishing, in words a maintainer can act on.
public enum SchedulerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `--rebuild NAME` or `why NAME` names nothing in any configured repo.
    case unknownPackage(String, repos: [String])
    /// The parse cache could not be written (the plan itself is unaffected).
    case cacheNotWritten(path: String, reason: String)

    public var description: String {
        switch self {
        case .unknownPackage(let name, let repos):
            "no pkgbase or pkgname '\(name)' in \(repos.isEmpty ? "any configured repo" : repos.joined(separator: ", "))"
        case .cacheNotWritten(let path, let reason):
            "\(path): cannot write the parse cache: \(reason)"
        }
    }
}
