import Foundation

/// A repo's `server`: where its published database and packages are served for wakas on
/// other machines, as a pacman.conf `Server` line names a mirror
/// (`https://repo.example.org/$repo/os/$arch`, `file:///srv/repo/$repo/$arch`).
enum RepoServer {
    /// The URL schemes pacman's downloader takes.
    static let schemes = ["http://", "https://", "ftp://", "file://"]

    static let rule = "a pacman.conf Server URL (http://, https://, ftp:// or file://), e.g. 'https://repo.example.org/$repo/os/$arch'"

    /// Reads `server` of a repo file; a value that is not such a URL is an error at its line.
    static func parse(_ table: inout ConfigTable) -> String? {
        guard let server = table.string("server", expected: rule) else { return nil }
        guard valid(server) else {
            table.fail("server", .invalidValue(expected: rule, found: "'\(server)'"))
            return nil
        }
        return server
    }

    /// A scheme pacman downloads from, something after it, and no whitespace (a Server
    /// line ends at the line's end; pacman would take the rest as part of the URL).
    static func valid(_ server: String) -> Bool {
        guard let scheme = schemes.first(where: server.hasPrefix), server.count > scheme.count else { return false }
        return !server.contains(where: \.isWhitespace)
    }

    /// The URL pacman fetches from: `$repo` and `$arch` replaced as pacman does, for
    /// messages (pacman itself is given the template).
    static func expanded(_ server: String, repo: String, arch: String) -> String {
        server.replacingOccurrences(of: "$repo", with: repo).replacingOccurrences(of: "$arch", with: arch)
    }
}
