import Foundation
import Repo

/// Waiting for a repo's lock (`DB.lck`) instead of failing at once: two accepts into one
/// repo (two maintainers, or a waka's auto-accept beside a maintainer's) take turns.
/// A lock whose holder is no longer running on this machine is never waited for: a
/// killed update left it, and only `pacbuild recover` may remove it.
struct LockWait: Sendable {
    /// How long to wait for a live holder before giving up.
    var timeout: TimeInterval
    var pollInterval: TimeInterval = 0.05

    /// Runs `body`, again while it fails because the lock is held by a live process.
    func run<T>(_ body: () throws(RepoError) -> T) throws(SchedulerError) -> T {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            do {
                return try body()
            } catch .locked(let lockFile, let holder) {
                if let holder, !Self.isRunning(holder) { throw .staleLock(lockFile: lockFile, holder: holder) }
                guard Date() < deadline else { throw .lockTimeout(lockFile: lockFile, holder: holder, seconds: Int(timeout)) }
                Thread.sleep(forTimeInterval: pollInterval)
            } catch {
                throw .repo(error)
            }
        }
    }

    /// Whether the pid written in a lock file names a process running on this machine.
    static func isRunning(_ holder: String) -> Bool {
        guard let pid = pid_t(holder), pid > 0 else { return true }
        return kill(pid, 0) == 0 || errno == EPERM
    }
}
