import Foundation
import Testing
import TestSupport
@testable import Repo

/// `pacbuild repo add` killed with SIGKILL at random moments of an update that takes a
/// while (the 3,000 packages of the fixtures' large.db.tar.gz are read and rewritten), then
/// checked with the real pacman: each database is the old one or the new one, whole.
///
/// A stale lock is handled as repo-add handles it: the lock file `DB.lck` stays, the next
/// update refuses to run and names the pid it holds (repo-add: "Failed to acquire
/// lockfile ... Held by process PID"), and a maintainer who has checked that the process
/// is gone removes the file. A pid alone cannot prove that (pids are reused, and the
/// holder may run on another host sharing the directory), so neither tool breaks a lock.
@Suite(.enabled(if: Tools.pacbuild != nil, "needs the built pacbuild executable (PACBUILD_BIN or .build*/debug/pacbuild)"))
struct KilledWriterTests {
    init() { _ = Tools.localeSet }

    /// The repository directory and the package sets before and after the update.
    struct Repository {
        let directory: String
        let saved: String
        let database: String
        let files: String
        var lock: String { database + ".lck" }
        /// The packages added by the update under test.
        let added: [String]
    }

    /// Old state: the large fixture database plus one tiny package (added uninterrupted, so a files
    /// database exists too), saved aside to restore after each kill.
    static func prepare(in scratch: String, binary: String) throws -> Repository {
        let fm = FileManager.default
        let directory = scratch + "/repo", saved = scratch + "/saved"
        for dir in [directory, saved] { try fm.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        let packages = DatabaseWriterTests.tinyPackages
        for package in packages { try fm.copyItem(atPath: package, toPath: directory + "/" + (package as NSString).lastPathComponent) }
        let repository = Repository(directory: directory, saved: saved, database: directory + "/r.db.tar.gz",
                                    files: directory + "/r.files.tar.gz",
                                    added: packages.dropFirst().map { ($0 as NSString).lastPathComponent })
        try fm.copyItem(atPath: TestPaths.dbs + "/large.db.tar.gz", toPath: repository.database)
        let first = try Tools.run([binary, "repo", "add", "r.db.tar.gz", (packages[0] as NSString).lastPathComponent], in: directory)
        #expect(first.status == 0, "\(first.stderr)")
        for file in [repository.database, repository.files] {
            try fm.copyItem(atPath: file, toPath: saved + "/" + (file as NSString).lastPathComponent)
        }
        return repository
    }

    /// Puts the saved old databases back; temporary files of killed runs are left, as a
    /// real crash leaves them.
    static func restore(_ repository: Repository) throws {
        for file in [repository.database, repository.files] {
            let copy = repository.saved + "/" + (file as NSString).lastPathComponent
            let temporary = file + ".restoring"
            try? FileManager.default.removeItem(atPath: temporary)
            try FileManager.default.copyItem(atPath: copy, toPath: temporary)
            guard rename(temporary, file) == 0 else { throw RepoError.io(file: file, reason: errnoText()) }
        }
    }

    /// What pacman sees: `-Sl` lines of the db and the package names `-Fl` lists from the files db.
    static func pacmanView(of repository: Repository, scratch: String) throws -> (list: Set<String>, files: Set<String>) {
        let pacman = try ThrowAwayPacman(scratch: scratch, databases: [("r", repository.database, repository.files)])
        let list = try pacman.run(["-Sl", "r"])
        #expect(list.status == 0, "pacman -Sl: \(list.stderr)")
        let files = try pacman.run(["-Fl"])
        #expect(files.status == 0, "pacman -Fl: \(files.stderr)")
        return (Set(list.stdout.split(separator: "\n").map(String.init)),
                Set(files.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }))
    }

    /// Starts `repo add` of the remaining packages; returns the process.
    static func startAdd(_ repository: Repository, binary: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["repo", "add", "r.db.tar.gz"] + repository.added
        process.currentDirectoryURL = URL(fileURLWithPath: repository.directory)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test func aKilledWriterLeavesTheOldOrTheNewDatabase() throws {
        let binary = try #require(Tools.pacbuild)
        let scratch = try Tools.scratch()
        defer { Tools.cleanUp(scratch) }
        let repository = try Self.prepare(in: scratch, binary: binary)
        let old = try Self.pacmanView(of: repository, scratch: scratch + "/pacman-old")
        #expect(old.list.count == 3000 + 1 && old.files.count == 1)

        // The new state, and how long an uninterrupted update takes: kills are spread
        // uniformly over 1.5 times that, so they land in every phase (reading, writing
        // the db, renaming, the files db) and some after the end. The duration is the
        // shortest of three runs, and each run that ends before its kill shrinks the
        // window to that delay: one slow measurement under load (tests run in parallel)
        // must not put every kill after the end, which once left 0 of 20 runs killed.
        var duration = Double.infinity
        for _ in 0..<3 {
            try Self.restore(repository)
            let started = Date()
            let whole = try Self.startAdd(repository, binary: binary)
            whole.waitUntilExit()
            duration = min(duration, Date().timeIntervalSince(started))
            #expect(whole.terminationStatus == 0)
        }
        let new = try Self.pacmanView(of: repository, scratch: scratch + "/pacman-new")
        #expect(new.list.count == 3000 + 9 && new.files.count == 9)
        #expect(!FileManager.default.fileExists(atPath: repository.lock))

        var killed = 0, sawOld = 0, sawNew = 0, staleLocks = 0
        for run in 0..<20 {
            try Self.restore(repository)
            let delay = Double.random(in: 0...(duration * 1.5))
            let process = try Self.startAdd(repository, binary: binary)
            usleep(useconds_t(delay * 1_000_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if process.terminationReason == .uncaughtSignal { killed += 1 } else { duration = min(duration, delay) }
            let context = "run \(run), killed after \(Int(delay * 1000)) ms of \(Int(duration * 1000)) ms"

            if FileManager.default.fileExists(atPath: repository.lock) {
                // The stale lock: the next update refuses and names the dead holder.
                staleLocks += 1
                let holder = (try? String(contentsOfFile: repository.lock, encoding: .utf8))?
                    .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
                #expect(holder.isEmpty || holder == String(process.processIdentifier), "\(context)")
                let refused = try Tools.run([binary, "repo", "add", "r.db.tar.gz", repository.added[0]], in: repository.directory)
                #expect(refused.status == 1, "\(context)")
                #expect(refused.stderr.contains("lock held" + (holder.isEmpty ? "" : " by process \(holder)")), "\(context): \(refused.stderr)")
                try FileManager.default.removeItem(atPath: repository.lock)
            }

            let seen = try Self.pacmanView(of: repository, scratch: scratch + "/pacman-\(run)")
            #expect(seen.list == old.list || seen.list == new.list, "\(context): db holds \(seen.list.count) packages")
            #expect(seen.files == old.files || seen.files == new.files, "\(context): files db holds \(seen.files.count) packages")
            if seen.list == old.list { sawOld += 1 } else if seen.list == new.list { sawNew += 1 }
            let link = try? FileManager.default.destinationOfSymbolicLink(atPath: repository.directory + "/r.db")
            #expect(link == "r.db.tar.gz", "\(context)")
        }
        // Enough runs must really have been killed mid-update, or the test proves nothing.
        #expect(killed >= 5, "only \(killed) of 20 runs were killed (old \(sawOld), new \(sawNew), stale locks \(staleLocks))")
        #expect(sawOld > 0)
    }
}
