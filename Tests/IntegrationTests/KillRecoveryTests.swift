import Foundation
import Sandbox
import Scheduler
import Testing
import TestSupport

/// `pacbuild run --jobs 2` over the examples, SIGKILLed 30 times at random moments (in
/// catchup, in sandboxes, in accepts), then `recover` and one more `run`: every build is
/// accepted once, no build was charged for the crashes, both databases are read by the
/// real pacman, and nothing is left under `work/` or `tmp/`, no mount, no process.
@Suite(.enabled(if: RunFixture.canRun, "needs root"), .serialized)
struct KillRecoveryTests {
    @Test(arguments: ["sqlite", "postgres"])
    func thirtyKillsLoseNoBuild(backend: String) throws {
        let fixture = try RunFixture("run-killed-\(backend)")
        let server = backend == "postgres" ? try ScratchPostgres.start(options: "-c fsync=off") : nil
        defer { try? server?.stop() }
        let storeArguments = server.map { ["--store", $0.url] } ?? []
        var generator = SystemRandomNumberGenerator()
        let seed = UInt64.random(in: 0...UInt64.max, using: &generator)
        var random = SplitMix64(seed: seed)
        for kill in 0..<30 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: RunFixture.binary)
            process.arguments = ["run", "--config", fixture.directory, "--json"] + storeArguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // early kills hit catchup and set-up, later ones sandboxes, reports and accepts
            let delay = 0.2 + Double(random.next() % 3000) / 1000
            Thread.sleep(forTimeInterval: delay)
            if !process.isRunning { continue }  // it finished everything before this kill
            sendSignal(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal, "kill \(kill) (seed \(seed))")
        }

        let recover = try RunFixture.execute(RunFixture.binary, ["recover", "--config", fixture.directory] + storeArguments)
        #expect(recover.0 == 0, "recover (seed \(seed)): \(recover.1)\(recover.2)")
        let (status, events, stderr) = try fixture.run(storeArguments)
        #expect(status == 0, "final run (seed \(seed)): \(stderr) \(events.suffix(3))")

        let store = try server.map { try Store.open(url: $0.url) } ?? fixture.openStore()
        let builds = try store.builds(state: nil, repo: nil, limit: nil)
        #expect(builds.count == 9, "seed \(seed): \(builds.map(\.label))")
        #expect(builds.allSatisfy { $0.state == .accepted }, "seed \(seed): \(builds.map { "\($0.label) \($0.state)" })")
        // a crash of pacbuild is never the build's fault: no attempt was charged
        #expect(builds.allSatisfy { $0.attempts == 0 }, "seed \(seed): \(builds.map { "\($0.label) attempts \($0.attempts)" })")
        let versions = builds.map { "\($0.package.repo)/\($0.package.pkgbase) \($0.version)" }
        #expect(Set(versions).count == versions.count, "a version built twice: \(versions.sorted())")

        let listing = try fixture.pacmanList()
        #expect(listing.count == 11 && Set(listing).count == 11, "seed \(seed): \(listing)")

        let work = (try? FileManager.default.contentsOfDirectory(atPath: fixture.state + "/work")) ?? []
        #expect(work.isEmpty, "left under work/: \(work)")
        let scratch = (try? FileManager.default.contentsOfDirectory(atPath: fixture.state + "/tmp")) ?? []
        #expect(scratch.isEmpty, "left under tmp/: \(scratch)")
        let mounts = (try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8))
            .split(separator: "\n").filter { $0.contains(fixture.directory) }
        #expect(mounts.isEmpty, "mounts left: \(mounts)")
        let left = Self.sandboxProcesses(under: fixture.directory)
        #expect(left.isEmpty, "sandbox processes left: \(left)")
    }

    /// Processes running as an id of the sandbox user's subordinate range whose mounts
    /// are this fixture's sandboxes' (other tests' sandboxes may run meanwhile).
    static func sandboxProcesses(under directory: String) -> [String] {
        guard let user = SandboxUser.lookup() else { return [] }
        let range = user.firstSubordinateUID ..< user.firstSubordinateUID + SandboxUser.rangeCount
        return ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { entry in
            guard Int32(entry) != nil, let status = try? String(contentsOfFile: "/proc/\(entry)/status", encoding: .utf8),
                  let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Uid:") }),
                  let uid = line.split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst().first.flatMap({ UInt32($0) }),
                  range.contains(uid),
                  (try? String(contentsOfFile: "/proc/\(entry)/mountinfo", encoding: .utf8))?.contains(directory) == true
            else { return nil }
            return "\(entry) uid \(uid)"
        }
    }
}

/// A small seeded generator, so that a failing run's moments can be told by its seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

private func sendSignal(_ pid: Int32, _ signal: Int32) { _ = Glibc.kill(pid, signal) }
