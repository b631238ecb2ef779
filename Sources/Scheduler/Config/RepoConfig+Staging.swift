import Foundation
import Repo
import Sandbox

/// A repo's staging repo (`staging = true`): its own database and pool, which built
/// builds are published to before review and which dependent builds install from, as
/// Arch's `staging` holds a soname bump's whole chain until it moves to the real repo.
extension RepoConfig {
    /// The staging repo as a build's sandbox sees it; nil unless `staging = true`.
    public var stagingRepository: LocalRepository? {
        stagingDb.map { LocalRepository(database: $0) }
    }

    /// Where staged builds are published: the staging database, its directory as the
    /// pool, and no hooks (the repo's hooks are for the real repo's changes).
    public var stagingTarget: PublishTarget? {
        guard let stagingDb, let staging = stagingRepository else { return nil }
        return PublishTarget(repoName: staging.name, arch: arch, database: stagingDb,
                             pool: (stagingDb as NSString).deletingLastPathComponent,
                             hooks: RepoHooks(workingDirectory: hooks.workingDirectory))
    }

    /// `staging/NAME-staging.db.EXT` in the directory of `db`: named so pacman's section
    /// is `NAME-staging`, in a directory of its own so its pool is its own.
    static func defaultStagingDb(for database: DatabaseWriter) -> String {
        "\(database.directory)/staging/\(database.name)-staging.db.\(database.suffix)"
    }

    /// Reads `staging_db`: allowed only with `staging = true`, a database named unlike
    /// the repo, in a directory other than the repo's pool (accept deletes a staged
    /// file from the staging pool once it is in the real one).
    static func parseStagingDb(_ table: inout ConfigTable, _ paths: ConfigPaths, staging: Bool,
                               database: DatabaseWriter?, name: String?, pool: String?) -> String? {
        let given = table.path("staging_db", paths, .creatableFile,
                               expected: "NAME-staging.db.tar.gz in a directory that exists or can be created")
        guard staging else {
            if table.contains("staging_db") {
                table.fail("staging_db", .invalidValue(expected: "no staging_db without staging = true", found: "a staging_db"))
            }
            return nil
        }
        guard let path = given ?? database.map(defaultStagingDb) else { return nil }
        let file = (path as NSString).lastPathComponent
        guard let writer = try? DatabaseWriter(path: path) else {
            table.fail("staging_db", .invalidValue(expected: "a file named NAME.db.tar[.gz|.xz|.zst|.bz2|.lz4|.Z]", found: "'\(file)'"))
            return nil
        }
        if writer.name == name || !validRepoName(writer.name) {
            table.fail("staging_db", .invalidValue(expected: "a database named unlike the repo, e.g. \(name ?? "NAME")-staging.db.tar.gz",
                                                   found: "'\(file)'"))
            return nil
        }
        if let pool, (writer.directory as NSString).standardizingPath == (pool as NSString).standardizingPath {
            table.fail("staging_db", .invalidValue(expected: "a directory other than the repo's pool \(pool)", found: "'\(path)'"))
            return nil
        }
        return path
    }
}
