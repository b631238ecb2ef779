import Foundation
import Repo

/// Where accepted packages go: a repo's database, pool and hooks.
public struct PublishTarget: Sendable {
    public var repoName: String
    public var arch: String
    public var database: String
    public var pool: String
    public var hooks: RepoHooks

    public init(repoName: String, arch: String, database: String, pool: String, hooks: RepoHooks) {
        self.repoName = repoName
        self.arch = arch
        self.database = database
        self.pool = pool
        self.hooks = hooks
    }

    public init(_ repo: RepoConfig) {
        self.init(repoName: repo.name, arch: repo.arch, database: repo.db, pool: repo.pool, hooks: repo.hooks)
    }
}

/// What publishing did.
public struct PublishResult: Sendable {
    /// Package files now in the pool and the database.
    public var added: [String] = []
    /// Older package files the new ones replaced, deleted from the pool.
    public var removed: [String] = []
    public var warnings: [String] = []
    public var hooks: [HookResult] = []
    /// Package files removed from the staging pool: the build left staging on accept.
    public var unstaged: [String] = []
}

/// Publishes built packages into a repo, in an order that a re-run after a crash at any
/// step completes: copy into the pool (a file already there with the same checksum is
/// kept), then the Repo module's atomic database update (replaced files deleted after
/// the new database is in place), then the hooks.
public struct Publisher: Sendable {
    public var target: PublishTarget
    /// How long to wait for the repo's lock while another update holds it.
    public var lockTimeout: TimeInterval
    /// The sha256 of pool files that may be replaced by a different file of the same
    /// name: a dependency cycle's pass 1 at the version its pass 2 is rebuilt at. Every
    /// other released file stays as it is.
    public var replaceable: Set<String>

    public init(target: PublishTarget, lockTimeout: TimeInterval = 300, replaceable: Set<String> = []) {
        self.target = target
        self.lockTimeout = lockTimeout
        self.replaceable = replaceable
    }

    /// - Parameter packages: built package files, each with the sha256 recorded when it
    ///   was built (nil: not checked).
    public func publish(_ packages: [(path: String, sha256: String?)]) throws(SchedulerError) -> PublishResult {
        var result = PublishResult()
        var pooled: [String] = []
        for (path, expected) in packages {
            let file: PackageFile
            do {
                file = try PackageFile.read(at: path)
                // Before anything reaches the pool: the database would refuse these names,
                // but only after the copy, and the pool file is named by the path.
                try file.info.checkNames(file: path)
                try PackageFileName.check((path as NSString).lastPathComponent, from: path)
            } catch { throw .repo(error) }
            if let expected, expected != file.checksums.sha256sum {
                throw .checksumMismatch(file: path, expected: expected, actual: file.checksums.sha256sum)
            }
            pooled.append(try place(path, sha256: file.checksums.sha256sum))
        }
        let writer: DatabaseWriter
        do { writer = try DatabaseWriter(path: target.database) } catch { throw .repo(error) }
        let report = try LockWait(timeout: lockTimeout).run { () throws(RepoError) in
            try writer.add(pooled, options: RepoUpdateOptions(removeOld: true))
        }
        // Once the new databases are in place the packages are published; a replaced
        // file that could not be deleted is an orphan for `pacbuild recover`, not a failure.
        if let failure = report.failures.first, !report.written { throw .repo(failure) }
        result.added = pooled
        result.removed = report.removedFiles
        result.warnings = report.warnings + report.failures.map(\.description)
        let runner = HookRunner(timeoutSeconds: target.hooks.timeout, workingDirectory: target.hooks.workingDirectory)
        let event = HookEvent(repoName: target.repoName, repoArch: target.arch, database: target.database,
                              pool: target.pool, added: result.added, removed: result.removed)
        result.hooks = runner.run(target.hooks.postAccept + target.hooks.postUpdate, event: event)
        return result
    }

    /// Copies a package (and its detached `.sig`) into the pool through a temporary file
    /// and a rename, so the pool never holds half a package; a file of that name is
    /// kept when it is the same package, replaced (by the rename) when it is
    /// ``replaceable``, and refused otherwise.
    func place(_ path: String, sha256: String) throws(SchedulerError) -> String {
        let manager = FileManager.default
        let name = (path as NSString).lastPathComponent
        do { try PackageFileName.check(name, from: path) } catch { throw .repo(error) }
        let destination = target.pool + "/" + name
        do {
            try manager.createDirectory(atPath: target.pool, withIntermediateDirectories: true)
        } catch {
            throw .io(path: target.pool, reason: "cannot create the pool directory: \(error.localizedDescription)")
        }
        if (path as NSString).standardizingPath == (destination as NSString).standardizingPath { return destination }
        if manager.fileExists(atPath: destination) {
            let existing: PackageFile
            do { existing = try PackageFile.read(at: destination) } catch { throw .poolConflict(path: destination) }
            if existing.checksums.sha256sum == sha256 { return destination }
            guard replaceable.contains(existing.checksums.sha256sum) else { throw .poolConflict(path: destination) }
            // pass 1's signature does not sign pass 2's package
            if !manager.fileExists(atPath: path + ".sig") { try? manager.removeItem(atPath: destination + ".sig") }
        }
        for (source, target) in [(path, destination), (path + ".sig", destination + ".sig")] where manager.fileExists(atPath: source) {
            // The pid in the name tells `pacbuild recover` whether the copier is gone.
            let temporary = target + Self.partSuffix + String(getpid())
            do {
                try? manager.removeItem(atPath: temporary)
                try manager.copyItem(atPath: source, toPath: temporary)
                try Self.sync(temporary)
                guard rename(temporary, target) == 0 else { throw CocoaError(.fileWriteUnknown) }
            } catch {
                try? manager.removeItem(atPath: temporary)
                throw .io(path: target, reason: "cannot copy \(source) into the pool: \(error.localizedDescription)")
            }
        }
        return destination
    }

    /// A pool copy in progress is `NAME.part-PID`.
    static let partSuffix = ".part-"

    static func sync(_ path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw CocoaError(.fileReadUnknown) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }
}
