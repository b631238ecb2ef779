import Foundation
import Repo

/// `pacbuild recover`'s first step for rebuild sets, before anything else touches the
/// repos: a publication a crash cut short is finished or undone in every repo at once.
///
/// - A ``SetJournal`` in a repo's directory was written once every database of the set
///   was prepared: each listed database's prepared archives are renamed in (those
///   renamed already are skipped) and the builds are marked published. Every database
///   is new.
/// - Prepared archives no journal names (`.set.NAME.db.tar.EXT`) were never decided:
///   they are removed. Every database stays old.
/// - A built member of an open set not held for its dependents (a waka killed after its
///   report) is held.
/// - An open set that nothing holds any more (every member built and approved, as a
///   publication undone leaves it) is published again.
///
/// A lock whose holder is gone is removed first; one a live process holds is left, and
/// the repo with it.
struct SetRecovery {
    var store: any BuildStore
    var repos: [RepoConfig]
    var publisher: SetPublisher

    func run(into report: inout RecoveryReport) {
        let directories = Array(Set(repos.compactMap { try? DatabaseWriter(path: $0.db).directory })).sorted()
        for directory in directories {
            for path in SetJournal.find(in: directory) {
                do {
                    let journal = try SetJournal.read(path)
                    var locks: [RepoLock] = []
                    defer { for lock in locks { lock.release() } }
                    for database in journal.databases.sorted() {
                        let writer = try DatabaseWriter(path: database)
                        if let removed = try Recovery.removeStaleLock(database: database) { report.staleLocks.append(removed) }
                        locks.append(try LockWait(timeout: publisher.lockTimeout).run { () throws(RepoError) in try RepoLock(path: writer.lockPath) })
                    }
                    try SetPublisher.finish(journal, store: store)
                    try FileManager.default.removeItem(atPath: path)
                    report.setsFinished.append(journal.set)
                } catch {
                    report.problems.append("\(path): \(error)")
                }
            }
        }
        for repo in repos {
            guard let writer = try? DatabaseWriter(path: repo.db), writer.hasPrepared else { continue }
            do {
                if let removed = try Recovery.removeStaleLock(database: repo.db) { report.staleLocks.append(removed) }
                let lock = try LockWait(timeout: 0).run { () throws(RepoError) in try RepoLock(path: writer.lockPath) }
                defer { lock.release() }
                report.setsRolledBack += writer.discardPrepared()
            } catch {
                report.problems.append("\(repo.name): prepared set databases left: \(error)")
            }
        }
        // a killed publication left the locks of the repos it had not prepared yet too
        for repo in repos {
            do { if let removed = try Recovery.removeStaleLock(database: repo.db) { report.staleLocks.append(removed) } } catch {
                report.problems.append("\(repo.name): \(error)")
            }
        }
        do {
            let holder = SonameRebuilds(store: store, repos: repos, stateDirectory: "")
            for set in try store.rebuildSets(openOnly: true) {
                do {
                    // a waka killed between a member's report and its hold left it unheld
                    for member in set.live { try holder.hold(try store.build(member.build)) }
                    if let publication = try publisher.publishIfComplete(set.id) { report.setsPublished.append(publication.set.id) }
                } catch {
                    report.problems.append("\(set.label): \(error)")
                }
            }
        } catch {
            report.problems.append("rebuild sets: \(error)")
        }
    }
}
