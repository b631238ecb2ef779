import Foundation
import Repo
import Scheduler
import Testing

/// Accepts killed with SIGKILL at random moments, concurrent accepts into one repo, and a
/// lock left behind: afterwards the real pacman reads the database, no package file is
/// lost or orphaned, and the store agrees with the database.
@Suite(.serialized) struct AcceptCrashTests {
    static let all = ReviewFixture.files.keys.sorted()

    /// A repo holding an older tiny-libc (so accepting replaces and deletes a file) and
    /// every tiny pkgbase built.
    static func prepared() throws -> ReviewFixture {
        let fixture = try ReviewFixture()
        _ = try DatabaseWriter(path: fixture.database).add([try ReviewCommandTests.oldLibc.write(into: fixture.pool)])
        try fixture.built(all)
        return fixture
    }

    static func start(_ fixture: ReviewFixture, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: PacbuildBinary.path)
        process.arguments = arguments + ["--config", fixture.root]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test func killedAcceptsAreRecovered() throws {
        // how long an undisturbed accept of everything takes, to spread the kills over it
        let calibration = try Self.prepared()
        let started = Date()
        #expect(try calibration.pacbuild(["accept", "--all"]).status == 0)
        let duration = Date().timeIntervalSince(started)
        #expect(try RepoCheck(fixture: calibration).problems() == [])
        calibration.remove()

        var recovered = 0
        for run in 0 ..< 20 {
            let fixture = try Self.prepared()
            defer { fixture.remove() }
            let check = RepoCheck(fixture: fixture)
            let accept = try Self.start(fixture, ["accept", "--all"])
            usleep(UInt32(Double.random(in: 0 ... duration * 1.1) * 1_000_000))
            kill(accept.processIdentifier, SIGKILL)
            accept.waitUntilExit()

            let recover = try fixture.pacbuild(["recover"])
            #expect(recover.status == 0, "run \(run): \(recover.stderr)")
            if !recover.stdout.contains("nothing to recover") { recovered += 1 }
            #expect(try check.problems() == [], "run \(run) after recover: \(recover.stdout)")
            #expect(!FileManager.default.fileExists(atPath: fixture.database + ".lck"))

            let rerun = try fixture.pacbuild(["accept", "--all"])
            #expect(rerun.status == 0, "run \(run): \(rerun.stderr)")
            #expect(try check.problems() == [], "run \(run) after the re-run")
            #expect(try check.entries().map(\.filename).sorted() == ReviewFixture.files.values.flatMap { $0 }.sorted(), "run \(run)")
            #expect(try fixture.openStore().builds(state: .accepted, repo: nil, limit: nil).count == Self.all.count)
            #expect(try check.packagesTxtMatches(), "run \(run)")
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: fixture.pool).filter { $0.contains(".part-") || $0.hasPrefix(".tmp.") }
            #expect(leftovers == [], "run \(run)")
        }
        // at least some kills must have landed mid-accept, or the test proves nothing
        #expect(recovered > 0)
    }

    @Test func concurrentAcceptsIntoOneRepoBothLand() throws {
        let fixture = try Self.prepared()
        defer { fixture.remove() }
        let half = Self.all.count / 2
        // hold the lock ourselves for a moment, so both accepts must wait for it
        let lock = try RepoLock(path: try DatabaseWriter(path: fixture.database).lockPath)
        let first = try Self.start(fixture, ["accept"] + Self.all[..<half])
        let second = try Self.start(fixture, ["accept"] + Self.all[half...])
        usleep(500_000)
        lock.release()
        first.waitUntilExit()
        second.waitUntilExit()
        #expect(first.terminationStatus == 0 && second.terminationStatus == 0)
        let check = RepoCheck(fixture: fixture)
        #expect(try check.problems() == [])
        #expect(try check.pacmanList().split(separator: "\n").count == 9)
        #expect(try fixture.openStore().builds(state: .accepted, repo: nil, limit: nil).count == Self.all.count)
    }

    @Test func aLockLeftByAKilledUpdateNeedsRecover() throws {
        let fixture = try Self.prepared()
        defer { fixture.remove() }
        // a pid no process has (beyond the default pid_max)
        try "4194304\n".write(toFile: fixture.database + ".lck", atomically: true, encoding: .utf8)
        let refused = try fixture.pacbuild(["accept", "tiny-ssl"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("which is not running") && refused.stderr.contains("pacbuild recover"), "\(refused.stderr)")
        let recover = try fixture.pacbuild(["recover"])
        #expect(recover.stdout.contains("removed stale lock \(fixture.database).lck"), "\(recover.stdout)")
        #expect(try fixture.pacbuild(["accept", "tiny-ssl"]).status == 0)
    }
}
