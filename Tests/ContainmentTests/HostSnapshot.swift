import Foundation
import TestSupport

/// The host state the attacks must leave alone besides the canary: `kernel.core_pattern`,
/// and the published repositories (every file's name, type, mode, owner, size, link
/// target, sha256 and attributes).
struct HostSnapshot: Equatable {
    var corePattern: String
    var pools: [String: String]

    static func take(pools: [String]) throws -> HostSnapshot {
        var fingerprints: [String: String] = [:]
        for pool in pools {
            fingerprints[pool] = try ContainmentRoot.run("""
                cd \(quoted(pool)) && find . -mindepth 1 -printf '%P %y %m %U %G %s %l\\n' | LC_ALL=C sort && \
                find . -type f -exec sha256sum {} + | LC_ALL=C sort -k 2 && lsattr -a . 2>/dev/null | LC_ALL=C sort
                """)
        }
        return HostSnapshot(corePattern: try String(contentsOfFile: "/proc/sys/kernel/core_pattern", encoding: .utf8), pools: fingerprints)
    }

    /// What changed since `self`, as sentences; restores a changed core_pattern so that
    /// one escaped attack does not leave the host's crash handling changed.
    func changes() throws -> [String] {
        let now = try Self.take(pools: Array(pools.keys))
        var changes: [String] = []
        if now.corePattern != corePattern {
            changes.append("kernel.core_pattern changed from '\(corePattern.trimmingCharacters(in: .newlines))' to '\(now.corePattern.trimmingCharacters(in: .newlines))'")
            try? corePattern.write(toFile: "/proc/sys/kernel/core_pattern", atomically: false, encoding: .utf8)
        }
        for (pool, before) in pools where now.pools[pool] != before {
            changes.append("the pool \(pool) changed:\nbefore:\n\(before)\nafter:\n\(now.pools[pool] ?? "")")
        }
        return changes
    }
}

/// The real pacman's `-Sl` of the repositories (name, directory), which must list `expected`.
func pacmanListing(_ repositories: [(name: String, directory: String)], scratch: String, expected: [String]) throws -> [String] {
    let pacman = try ThrowAwayPacman(scratch: scratch, repos: repositories)
    try pacman.sync()
    let listing = try pacman.list()
    let lines = Set(listing.split(separator: "\n").map(String.init))
    return expected.filter { !lines.contains($0) }.map { "pacman -Sl does not list '\($0)': \(listing)" }
}
