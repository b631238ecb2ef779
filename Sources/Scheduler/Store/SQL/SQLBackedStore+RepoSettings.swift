import Foundation
import Sandbox

/// Each repo's build settings in `repo_settings` (schema 7; `server`, schema 8), written at catchup.
extension SQLBackedStore {
    public func recordRepoSettings(_ settings: [RepoSettings]) throws {
        try transaction { db in
            for repo in settings {
                try db.query("DELETE FROM repo_settings WHERE repo = $1", .text(repo.repo))
                try db.query("""
                    INSERT INTO repo_settings (repo, arch, sandbox, makepkg_conf, network, depends_on, review, updated_at, server)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                    """, [.text(repo.repo), .text(repo.arch), .text(repo.sandbox.rawValue), .optional(repo.makepkgConf),
                          .int(repo.network ? 1 : 0), .text(repo.dependsOn.joined(separator: " ")), .text(repo.review.rawValue),
                          .time(now), .optional(repo.server)])
            }
        }
    }

    public func repoSettings() throws -> [RepoSettings] {
        try autocommit { db in
            try db.query("SELECT repo, arch, sandbox, makepkg_conf, network, depends_on, review, server FROM repo_settings ORDER BY repo")
                .map { row in
                    let repo = row.string(0)
                    guard let sandbox = SandboxBackendKind(rawValue: row.string(2)), let review = ReviewPolicy(rawValue: row.string(6)) else {
                        throw StoreError.corruptRow(table: "repo_settings", id: repo,
                                                    detail: "sandbox '\(row.string(2))' or review '\(row.string(6))' is unknown")
                    }
                    return RepoSettings(repo: repo, arch: row.string(1), sandbox: sandbox, makepkgConf: row.text(3),
                                        network: row.int(4) == 1, dependsOn: row.string(5).split(separator: " ").map(String.init),
                                        review: review, server: row.text(7))
                }
        }
    }
}
