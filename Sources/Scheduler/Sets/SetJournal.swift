import Foundation

/// The decision to publish a rebuild set, written once every involved repo's new
/// databases are prepared (``DatabaseWriter/prepareAdd(_:holding:)``) and before the
/// first is put in place: `.pacbuild-set-ID.journal` in the directory of the first
/// database (by path). Its presence means "every database listed goes new": `pacbuild
/// recover` completes the renames and marks the builds published; prepared databases
/// without a journal were never decided and are removed (every database stays old).
struct SetJournal: Codable, Sendable {
    var set: Int64
    var builds: [BuildID]
    /// The databases (`NAME.db.tar.EXT`) whose prepared archives are to be renamed in.
    var databases: [String]

    static let prefix = ".pacbuild-set-"
    static let suffix = ".journal"

    static func path(set: Int64, directory: String) -> String { "\(directory)/\(prefix)\(set)\(suffix)" }

    /// Writes the journal through a temporary file, fsynced and renamed: it exists whole
    /// or not at all.
    func write(to path: String) throws {
        let temporary = path + ".tmp"
        let data = try JSONEncoder().encode(self)
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw SchedulerError.io(path: temporary, reason: "cannot write the set's journal")
        }
        try Publisher.sync(temporary)
        guard rename(temporary, path) == 0 else {
            throw SchedulerError.io(path: path, reason: "cannot rename the set's journal into place: \(String(cString: strerror(errno)))")
        }
        let directory = (path as NSString).deletingLastPathComponent
        let fd = open(directory, O_RDONLY | O_DIRECTORY)
        if fd >= 0 { fsync(fd); close(fd) }
    }

    static func read(_ path: String) throws -> SetJournal {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SchedulerError.io(path: path, reason: "cannot read the set's journal")
        }
        do { return try JSONDecoder().decode(SetJournal.self, from: data) } catch {
            throw SchedulerError.io(path: path, reason: "not a set journal: \(error)")
        }
    }

    /// The journals in `directory`.
    static func find(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasPrefix(prefix) && $0.hasSuffix(suffix) }.sorted().map { directory + "/" + $0 }
    }
}
