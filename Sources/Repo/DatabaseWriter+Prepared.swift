import Foundation
import Glibc

/// An update prepared now and put in place later, for publishing into several repos at
/// once (pacbuild's rebuild sets): under each repo's lock, which the caller takes and
/// holds throughout, the new archives are written beside the databases as
/// `.set.NAME.db.tar.EXT` and `.set.NAME.files.tar.EXT` (complete and fsynced); once
/// every repo's are written, the caller records its decision (a journal of its own) and
/// ``commitPrepared()`` renames each into place as an ordinary update does. A crash
/// before the decision leaves prepared files that ``discardPrepared()`` removes (every
/// database old); after it, ``commitPrepared()`` run again completes the renames (every
/// database new): it renames only what is still prepared.
extension DatabaseWriter {
    /// Where the prepared archive of `kind` is written.
    public func preparedPath(_ kind: DatabaseKind) -> String { "\(directory)/.set.\(name).\(kind.rawValue).\(suffix)" }

    /// Whether a prepared archive is waiting.
    public var hasPrepared: Bool { DatabaseKind.allCases.contains { FileManager.default.fileExists(atPath: preparedPath($0)) } }

    /// Prepares adding `packages` (replacing older entries of the same names, `repo-add
    /// -R`) while the caller holds `lock`, this database's lock. Returns the report (any
    /// failure: nothing prepared) and the package files the new entries replace, to be
    /// deleted once the update is committed.
    public func prepareAdd(_ packages: [String], holding lock: RepoLock) throws(RepoError) -> (report: RepoUpdateReport, replaced: [String]) {
        guard lock.path == lockPath else { throw .io(file: lockPath, reason: "prepared under another lock (\(lock.path))") }
        discardPrepared()
        let dbPath = archivePath(.db), filesPath = archivePath(.files)
        var db = FileManager.default.fileExists(atPath: dbPath) ? try DatabaseArchive(reading: dbPath) : DatabaseArchive()
        var files = FileManager.default.fileExists(atPath: filesPath) ? try DatabaseArchive(reading: filesPath) : DatabaseArchive()
        var report = RepoUpdateReport()
        report.warnings += (db.dropped + files.dropped).map { "left out the unsafe entry \($0)" }
        var replaced: [String] = []
        let options = RepoUpdateOptions(removeOld: true)
        for package in packages {
            do throws(RepoError) {
                if let old = try addEntry(package, to: &db, files: &files, options: options, report: &report) { replaced.append(old) }
            } catch {
                report.failures.append(error)
            }
        }
        guard report.failures.isEmpty else { return (report, []) }
        let now = Int(Date().timeIntervalSince1970)
        do throws(RepoError) {
            try write(db, to: preparedPath(.db), modified: now)
            try write(files, to: preparedPath(.files), modified: now)
            try syncDirectory(directory)
        } catch {
            discardPrepared()
            throw error
        }
        return (report, replaced)
    }

    /// Renames the prepared archives into place (keeping the previous ones as `.old`,
    /// the symlinks pointed at them); returns whether anything was still prepared.
    @discardableResult
    public func commitPrepared() throws(RepoError) -> Bool {
        var committed = false
        for kind in DatabaseKind.allCases {
            let prepared = preparedPath(kind)
            guard FileManager.default.fileExists(atPath: prepared) else { continue }
            try rotate(prepared, into: archivePath(kind), signed: false)
            try replaceSymlink(at: "\(directory)/\(name).\(kind.rawValue)", pointingTo: "\(name).\(kind.rawValue).\(suffix)", signed: false)
            committed = true
        }
        if committed { try syncDirectory(directory) }
        return committed
    }

    /// Removes prepared archives; returns the files removed.
    @discardableResult
    public func discardPrepared() -> [String] {
        DatabaseKind.allCases.map(preparedPath).filter { unlink($0) == 0 }
    }
}
