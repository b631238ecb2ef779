import Foundation
import Graph
import Repo
import Scheduler
import TestSupport
import Testing

/// A rebuild set's publication over four repos killed with SIGKILL at random moments:
/// right after the kill every repo's database, as the real pacman reads it, is wholly
/// old or wholly new; after `pacbuild recover` every one is new, the store agrees (every
/// member accepted, the set published), and nothing of the publication is left behind.
@Suite(.serialized) struct SetCrashTests {
    static let repos = ["r1", "r2", "r3", "r4"]
    static let pkgbases = ["tiny-libc", "tiny-zlib", "tiny-ssl"]

    /// Four repos over the tiny fixture, each holding an older tiny-libc; in the store
    /// one open set of every repo's three builds, all built and approved.
    struct Fixture {
        let root: String
        var storeURL: String { "sqlite:\(root)/state/store.sqlite" }
        func database(_ repo: String) -> String { root + "/repo/\(repo)/\(repo).db.tar.gz" }
        func pool(_ repo: String) -> String { root + "/repo/\(repo)" }

        init() throws {
            setlocale(LC_ALL, "C.UTF-8")
            root = NSTemporaryDirectory() + "pacbuild-set-" + UUID().uuidString
            let manager = FileManager.default
            for dir in ["repos.d", "state", "out"] { try manager.createDirectory(atPath: root + "/" + dir, withIntermediateDirectories: true) }
            try manager.copyItem(atPath: Fixtures.tinySource, toPath: root + "/abs")
            try "state_dir = \"state\"\nstore = \"\(storeURL)\"\n".write(toFile: root + "/pacbuild.toml", atomically: true, encoding: .utf8)
            for repo in SetCrashTests.repos {
                try manager.createDirectory(atPath: pool(repo), withIntermediateDirectories: true)
                try "name = \"\(repo)\"\narch = \"x86_64\"\nabs = \"abs\"\ndb = \"repo/\(repo)/\(repo).db.tar.gz\"\nreview = \"manual\"\n"
                    .write(toFile: root + "/repos.d/\(repo).toml", atomically: true, encoding: .utf8)
                _ = try DatabaseWriter(path: database(repo)).add([try ReviewCommandTests.oldLibc.write(into: pool(repo))])
            }
            let store = try Store.open(url: storeURL)
            var ids: [BuildID] = []
            for repo in SetCrashTests.repos {
                for pkgbase in SetCrashTests.pkgbases {
                    let files = try require(ReviewFixture.files[pkgbase])
                    let version = ReviewFixture.version(of: files[0], pkgname: pkgbase)
                    _ = try store.enqueue([PlannedBuild(PackageBaseID(repo: repo, pkgbase: pkgbase), version: version)])
                    let claimed = try require(try store.claim(worker: "test-waka", arches: ["x86_64"], tags: []))
                    let out = root + "/out/\(claimed.id.rawValue)"
                    try manager.createDirectory(atPath: out, withIntermediateDirectories: true)
                    let artifacts = try files.map { name in
                        try manager.copyItem(atPath: ReviewFixture.packages + "/" + name, toPath: out + "/" + name)
                        return out + "/" + name
                    }
                    let facts = try artifacts.map { path throws(RepoError) in try PackageFacts.read(at: path) }
                    _ = try store.report(claimed.id, worker: "test-waka", result: .built(log: nil, artifacts: artifacts, facts: facts))
                    ids.append(claimed.id)
                }
            }
            let (set, _) = try store.enqueueSet([], root: ids[0], joining: Array(ids.dropFirst()), reason: "a test set")
            for id in ids { try store.approveSetMember(id) }
            #expect(set.live.count == ids.count)
        }

        func remove() { try? FileManager.default.removeItem(atPath: root) }

        private init(root: String) { self.root = root }

        /// A copy of this fixture in a directory of its own (its builds' artifacts stay
        /// this one's, which publishing only reads): cheaper than making it again.
        func copy() throws -> Fixture {
            let copy = Fixture(root: NSTemporaryDirectory() + "pacbuild-set-" + UUID().uuidString)
            try FileManager.default.copyItem(atPath: root, toPath: copy.root)
            try "state_dir = \"state\"\nstore = \"\(copy.storeURL)\"\n".write(toFile: copy.root + "/pacbuild.toml", atomically: true, encoding: .utf8)
            return copy
        }

        /// `pacman -Sl REPO` over the repo's database as it is now.
        func listing(_ repo: String) throws -> Set<String> {
            let pacman = try ThrowAwayPacman(scratch: root + "/pacman-\(repo)", repos: [(repo, pool(repo))])
            try pacman.install(database: database(repo), as: repo)
            return Set(try pacman.list(repo).split(separator: "\n").map(String.init))
        }

        func publish() throws -> Process {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: PacbuildBinary.path)
            process.arguments = ["set", "publish", "1", "--config", root]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
    }

    static func old(_ repo: String) -> Set<String> { ["\(repo) tiny-libc 1.0-1"] }
    static func new(_ repo: String) -> Set<String> {
        ["\(repo) tiny-libc 2.0-1", "\(repo) tiny-zlib 1:1.3-2", "\(repo) tiny-ssl 3.1.0-1"]
    }

    @Test func aKilledSetPublicationIsWhollyOldOrWhollyNewInEveryRepo() throws {
        let template = try Fixture()
        defer { template.remove() }
        let calibration = try template.copy()
        let started = Date()
        let whole = try PacbuildBinary.run(["set", "publish", "1", "--config", calibration.root])
        let duration = Date().timeIntervalSince(started)
        #expect(whole.status == 0, "\(whole.stderr)")
        for repo in Self.repos { #expect(try calibration.listing(repo) == Self.new(repo)) }
        calibration.remove()

        var mixed = 0, cut = 0, rolledBack = 0, finished = 0, before: [String: Int] = [:]
        for run in 0 ..< 20 {
            let fixture = try template.copy()
            defer { fixture.remove() }
            let publish = try fixture.publish()
            // the first half of a run is mostly the process starting: kills land in the second
            usleep(UInt32(Double.random(in: duration * 0.4 ... duration) * 1_000_000))
            kill(publish.processIdentifier, SIGKILL)
            publish.waitUntilExit()
            if publish.terminationReason == .uncaughtSignal { cut += 1 }

            var states: [String] = []
            for repo in Self.repos {
                let listing = try fixture.listing(repo)
                #expect(listing == Self.old(repo) || listing == Self.new(repo), "run \(run): \(repo) is half-published: \(listing.sorted())")
                states.append(listing == Self.new(repo) ? "new" : "old")
            }
            if Set(states).count > 1 { mixed += 1 }
            before[Set(states).count > 1 ? "mixed" : states[0], default: 0] += 1

            let recover = try PacbuildBinary.run(["recover", "--config", fixture.root])
            #expect(recover.status == 0, "run \(run): \(recover.stdout) \(recover.stderr)")
            if recover.stdout.contains("never got to its journal") { rolledBack += 1 }
            if recover.stdout.contains("finished publishing set") { finished += 1 }
            for repo in Self.repos {
                #expect(try fixture.listing(repo) == Self.new(repo), "run \(run) after recover (\(states)): \(recover.stdout)")
                let left = try FileManager.default.contentsOfDirectory(atPath: fixture.pool(repo))
                    .filter { $0.hasPrefix(".set.") || $0.hasPrefix(".pacbuild-set-") || $0.hasSuffix(".lck") || $0.contains(".part-") }
                #expect(left == [], "run \(run): \(repo) keeps \(left)")
                // every package the database lists is in the pool with its checksum
                for entry in try SyncDatabase.read(at: fixture.database(repo)).entries {
                    let path = fixture.pool(repo) + "/" + entry.filename
                    #expect(try FileChecksum.sha256(ofFileAt: path) == entry.sha256sum, "run \(run): \(path)")
                }
            }
            let store = try Store.open(url: fixture.storeURL)
            #expect(try store.rebuildSet(1).state == .published, "run \(run)")
            #expect(try store.builds(state: .accepted, repo: nil, limit: nil).count == Self.repos.count * Self.pkgbases.count, "run \(run)")
        }
        // the kills must have cut some publications short, or the test proves nothing
        #expect(cut > 0, "no publication was killed before it ended")
        print("set crash test: \(cut) of 20 publications killed; before recover \(before); recover rolled back \(rolledBack), finished \(finished)")
    }
}
