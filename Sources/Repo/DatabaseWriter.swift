import Foundation
import Graph

/// What `repo add` and `repo remove` may do beyond the plain update; repo-add's flags.
public struct RepoUpdateOptions: Sendable, Equatable {
    /// `--new`: leave a package alone when its exact `name-version` is already present.
    public var onlyAddNew = false
    /// `--remove`: delete the package file (and `.sig`) an added package replaces.
    public var removeOld = false
    /// `--prevent-downgrade`: do not add a package older than the one present.
    public var preventDowngrade = false
    /// `--sign`: write a detached gpg signature next to each database.
    public var sign = false
    /// `--key`: the gpg key to sign with (gpg's default key otherwise).
    public var key: String?
    /// `--verify`: check the existing databases' signatures with gpg before updating them.
    public var verify = false

    public init(onlyAddNew: Bool = false, removeOld: Bool = false, preventDowngrade: Bool = false,
                sign: Bool = false, key: String? = nil, verify: Bool = false) {
        self.onlyAddNew = onlyAddNew
        self.removeOld = removeOld
        self.preventDowngrade = preventDowngrade
        self.sign = sign
        self.key = key
        self.verify = verify
    }
}

/// The outcome of one update, for the CLI to print (the library never prints).
public struct RepoUpdateReport: Sendable {
    /// repo-add's warnings: an entry already existed, a newer version is present, the
    /// database is now empty.
    public var warnings: [String] = []
    /// The packages or names that failed; when any did, nothing was written (as repo-add).
    public var failures: [RepoError] = []
    /// Whether new databases were written.
    public var written = false
    /// Package files deleted by ``RepoUpdateOptions/removeOld``.
    public var removedFiles: [String] = []
}

/// Updates a repository's `NAME.db.tar.EXT` and `NAME.files.tar.EXT` (plus the
/// `NAME.db`/`NAME.files` symlinks) exactly as repo-add/repo-remove 6.0.2 do, so pacman
/// sees the same packages whichever tool published them.
///
/// Every update takes repo-add's lock (`DB.lck`), builds each new archive in a temporary
/// file in the same directory, fsyncs it and renames it over the old one, then fsyncs
/// the directory: a process killed at any moment leaves the old or the new database,
/// both whole. The previous archives stay as `.old`, as repo-add keeps them.
public struct DatabaseWriter: Sendable {
    /// The database path as given (`/srv/repo/core.db.tar.gz`).
    public let path: String
    /// The directory holding the database and the packages.
    public let directory: String
    /// The repository name (`core`).
    public let name: String
    /// The compression suffix (`tar.gz`), shared by the db and the files db.
    public let suffix: String
    private let compression: ArchiveCompression

    /// Checks the name as repo-add's `verify_repo_extension` does: `NAME.db.tar[.EXT]`.
    public init(path: String) throws(RepoError) {
        let base = String(path.split(separator: "/").last ?? "")
        guard let marker = base.range(of: ".db.tar"),
              let compression = ArchiveCompression(suffix: String(base[base.index(marker.lowerBound, offsetBy: 4)...]))
        else { throw .badDatabaseName(file: path) }
        self.path = path
        self.compression = compression
        suffix = compression.rawValue
        name = String(base[..<marker.lowerBound])
        let parent = (path as NSString).deletingLastPathComponent
        directory = parent.isEmpty ? "." : parent
    }

    /// repo-add's lock file, `DB.lck` (absolute).
    public var lockPath: String { absolutePath(path) + ".lck" }

    /// The archive path of the `db` or `files` database.
    public func archivePath(_ kind: DatabaseKind) -> String { "\(directory)/\(name).\(kind.rawValue).\(suffix)" }

    /// Adds package files, replacing older entries of the same name (`repo-add`).
    ///
    /// Every package is read and checked; if any fails, its error is in the report and
    /// nothing is written, as repo-add writes nothing after a failure.
    public func add(_ packages: [String], options: RepoUpdateOptions = RepoUpdateOptions()) throws(RepoError) -> RepoUpdateReport {
        try update(options: options, mustExist: false) { (db, files, report) throws(RepoError) in
            var replaced: [String] = []
            for package in packages {
                do throws(RepoError) {
                    if let old = try addEntry(package, to: &db, files: &files, options: options, report: &report) {
                        replaced.append(old)
                    }
                } catch {
                    report.failures.append(error)
                }
            }
            return replaced
        }
    }

    /// Removes every entry of each named package (`repo-remove`); a name not present fails.
    public func remove(_ names: [String], options: RepoUpdateOptions = RepoUpdateOptions()) throws(RepoError) -> RepoUpdateReport {
        try update(options: options, mustExist: true) { (db, files, report) throws(RepoError) in
            for name in names where !removeEntries(of: name, from: &db, files: &files) {
                report.failures.append(.packageNotFound(database: path, name: name))
            }
            return []
        }
    }

    /// Only verifies the existing databases' signatures (`repo-add --verify DB` without
    /// packages): no lock, nothing written. A database without a `.sig` gives a warning.
    public func verify() throws(RepoError) -> RepoUpdateReport {
        var report = RepoUpdateReport()
        try verifySignatures(into: &report)
        return report
    }

    /// repo-add's `verify_signature` for each database that exists.
    private func verifySignatures(into report: inout RepoUpdateReport) throws(RepoError) {
        for kind in DatabaseKind.allCases where FileManager.default.fileExists(atPath: archivePath(kind)) {
            if try !verifyDetached(archivePath(kind)) {
                report.warnings.append("\(archivePath(kind)): no existing signature found, skipping verification")
            }
        }
    }

    // MARK: - One update

    /// Locks, reads both databases, applies `change`, and writes them if nothing failed.
    /// `change` returns package files to delete once the new databases are in place.
    private func update(options: RepoUpdateOptions, mustExist: Bool,
                        _ change: (inout DatabaseArchive, inout DatabaseArchive, inout RepoUpdateReport) throws(RepoError) -> [String])
        throws(RepoError) -> RepoUpdateReport
    {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .io(file: directory, reason: "does not exist or is not a directory")
        }
        // repo-add's check_gpg: a missing signing key fails before anything is touched.
        if options.sign { try checkSigningKey(options.key) }
        let lock = try RepoLock(path: lockPath)
        defer { lock.release() }
        var report = RepoUpdateReport()
        if options.verify { try verifySignatures(into: &report) }
        let dbPath = archivePath(.db), filesPath = archivePath(.files)
        if mustExist && !FileManager.default.fileExists(atPath: dbPath) {
            throw .io(file: dbPath, reason: "repository file not found")
        }
        var db = FileManager.default.fileExists(atPath: dbPath) ? try DatabaseArchive(reading: dbPath) : DatabaseArchive()
        var files = FileManager.default.fileExists(atPath: filesPath) ? try DatabaseArchive(reading: filesPath) : DatabaseArchive()
        // An entry no update of ours writes (`../x-1-1/desc` from before names were
        // checked) would make every later update fail; it is left out of the new archives.
        report.warnings += (db.dropped + files.dropped).map { "left out the unsafe entry \($0)" }
        let replaced = try change(&db, &files, &report)
        guard report.failures.isEmpty else { return report }
        if db.directories.isEmpty { report.warnings.append("No packages remain, creating empty database.") }
        let now = Int(Date().timeIntervalSince1970)
        try publish(db, kind: .db, modified: now, options: options)
        try publish(files, kind: .files, modified: now, options: options)
        report.written = true
        for file in replaced {
            for victim in [file, file + ".sig"] where FileManager.default.fileExists(atPath: victim) {
                do { try FileManager.default.removeItem(atPath: victim) } catch {
                    report.failures.append(.io(file: victim, reason: "\(error.localizedDescription)"))
                    continue
                }
                report.removedFiles.append(victim)
            }
        }
        return report
    }

    /// `db_write_entry`: returns the package file this one replaces when it is to be removed.
    func addEntry(_ package: String, to db: inout DatabaseArchive, files: inout DatabaseArchive,
                          options: RepoUpdateOptions, report: inout RepoUpdateReport) throws(RepoError) -> String?
    {
        let file = try PackageFile.read(at: package)
        // The entry's directory is `name-version`, and a replaced file is deleted by its
        // recorded FILENAME: values a build chose must be makepkg's before either happens.
        try file.info.checkNames(file: package)
        let entry = try file.databaseEntry()
        try PackageFileName.check(entry.filename, from: package)
        let directoryName = entry.directoryName
        var replacedFile: String?
        if db.directories[directoryName] != nil {
            report.warnings.append("An entry for '\(directoryName)' already existed")
            if options.onlyAddNew { return nil }
        } else if let existing = db.directories(ofPackage: entry.name).first {
            if let present = db.descField("VERSION", of: existing), Version.compare(present, entry.version.description) > 0 {
                report.warnings.append("A newer version for '\(entry.name)' is already present in database")
                if options.preventDowngrade { return nil }
            }
            if options.removeOld, let oldName = db.descField("FILENAME", of: existing), PackageFileName.problem(oldName) == nil {
                let oldFile = (package as NSString).deletingLastPathComponent.nonEmpty(or: ".") + "/" + oldName
                if absolutePath(oldFile) != absolutePath(package) { replacedFile = oldFile }
            }
        }
        _ = removeEntries(of: entry.name, from: &db, files: &files)
        let desc = Array(entry.descText.utf8)
        db.directories[directoryName] = ["desc": desc]
        files.directories[directoryName] = ["desc": desc, "files": Array(entry.filesText.utf8)]
        return replacedFile
    }

    /// `db_remove_entry`: drops every directory of the package from both databases.
    private func removeEntries(of name: String, from db: inout DatabaseArchive, files: inout DatabaseArchive) -> Bool {
        let found = db.directories(ofPackage: name)
        for directory in found {
            db.directories[directory] = nil
            files.directories[directory] = nil
        }
        return !found.isEmpty
    }

    // MARK: - Writing one database atomically

    /// Writes `contents` to a temporary file beside the database, signs it if asked, and
    /// rotates it into place (`create_db` + `rotate_db`), symlink included.
    private func publish(_ contents: DatabaseArchive, kind: DatabaseKind, modified: Int, options: RepoUpdateOptions) throws(RepoError) {
        let target = archivePath(kind)
        let fileName = "\(name).\(kind.rawValue).\(suffix)"
        let temporary = "\(directory)/.tmp.\(fileName)"
        try write(contents, to: temporary, modified: modified)
        unlink(temporary + ".sig")
        if options.sign { try signDetached(temporary, key: options.key) }
        try rotate(temporary, into: target, signed: options.sign)
        try replaceSymlink(at: "\(directory)/\(name).\(kind.rawValue)", pointingTo: fileName, signed: options.sign)
        try syncDirectory(directory)
    }

    /// Writes an archive to `temporary` and fsyncs it (removed again on failure).
    func write(_ contents: DatabaseArchive, to temporary: String, modified: Int) throws(RepoError) {
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .io(file: temporary, reason: errnoText()) }
        do throws(RepoError) {
            defer { close(descriptor) }
            let writer = try ArchiveWriter(file: temporary, descriptor: descriptor, compression: compression)
            try contents.write(to: writer, modified: modified)
            try writer.finish()
            guard fsync(descriptor) == 0 else { throw RepoError.io(file: temporary, reason: errnoText()) }
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Keeps the previous archive (and signature) as `.old` by a hard link, then renames
    /// the new one over it: readers see the old file or the new one, never a mix.
    func rotate(_ temporary: String, into target: String, signed: Bool) throws(RepoError) {
        if FileManager.default.fileExists(atPath: target) {
            unlink(target + ".old")
            if link(target, target + ".old") != 0 { throw .io(file: target + ".old", reason: errnoText()) }
            unlink(target + ".old.sig")
            if FileManager.default.fileExists(atPath: target + ".sig") { link(target + ".sig", target + ".old.sig") }
        }
        if signed {
            try renameFile(temporary + ".sig", to: target + ".sig")
        } else {
            // A signature of the previous archive would not match the new one; repo-add
            // leaves it, and pacman then refuses the database when signatures are required.
            unlink(target + ".sig")
        }
        try renameFile(temporary, to: target)
    }

    /// Points `link` at `target` (a name in the same directory) by renaming a fresh
    /// symlink over it, so the link never disappears in between.
    func replaceSymlink(at link: String, pointingTo target: String, signed: Bool) throws(RepoError) {
        for (path, destination, wanted) in [(link, target, true), (link + ".sig", target + ".sig", signed)] {
            let temporary = (path as NSString).deletingLastPathComponent + "/.tmp." + (path as NSString).lastPathComponent
            unlink(temporary)
            guard wanted else { unlink(path); continue }
            if symlink(destination, temporary) != 0 { throw .io(file: temporary, reason: errnoText()) }
            try renameFile(temporary, to: path)
        }
    }
}

/// The two archives of a repository.
public enum DatabaseKind: String, Sendable, CaseIterable {
    case db, files
}

func renameFile(_ from: String, to: String) throws(RepoError) {
    if rename(from, to) != 0 { throw .io(file: to, reason: "cannot rename \(from): \(errnoText())") }
}

/// Makes renames in `directory` durable.
func syncDirectory(_ directory: String) throws(RepoError) {
    let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else { throw .io(file: directory, reason: errnoText()) }
    defer { close(descriptor) }
    if fsync(descriptor) != 0 { throw .io(file: directory, reason: errnoText()) }
}

func errnoText() -> String { String(cString: strerror(errno)) }

func absolutePath(_ path: String) -> String {
    path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
}

extension String {
    fileprivate func nonEmpty(or fallback: String) -> String { isEmpty ? fallback : self }
}
