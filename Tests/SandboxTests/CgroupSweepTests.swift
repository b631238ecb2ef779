import Foundation
@testable import Sandbox
import Testing

/// The sweep of abandoned run cgroups (a waka's start, `recover`) takes only those whose
/// making process is dead: a live run's cgroup is empty until its sandbox joins it, and
/// a second waka starting at that moment once took it away ("cgroup.procs: Directory
/// nonexistent", a build failed as `sandbox`).
@Suite(.enabled(if: geteuid() == 0, "needs root (cgroups)"), .serialized)
struct CgroupSweepTests {
    @Test func aLiveProcessesEmptyCgroupStaysADeadOnesGoes() throws {
        let scratch = "/tmp/pacbuild-sweep.\(UUID().uuidString.prefix(6))"
        let live = try Cgroup.make(name: Cgroup.name(forScratch: scratch), limits: SandboxLimits())
        defer { live.remove() }
        // a dead process's: the same parent, a pid that is no process
        var dead = 4_000_000
        while kill(pid_t(dead), 0) == 0 || errno != ESRCH { dead += 1 }
        let abandoned = live.directories.map { ($0 as NSString).deletingLastPathComponent + "/pacbuild-sweep.dead-p\(dead)" }
        for directory in abandoned { #expect(mkdir(directory, 0o755) == 0, "\(directory): \(String(cString: strerror(errno)))") }
        defer { abandoned.forEach { rmdir($0) } }

        let removed = Cgroup.removeAbandoned()
        for directory in live.directories {
            #expect(FileManager.default.fileExists(atPath: directory), "the live process's empty cgroup was swept: \(directory)")
            #expect(!removed.contains(directory))
        }
        for directory in abandoned {
            #expect(!FileManager.default.fileExists(atPath: directory) && removed.contains(directory), "\(directory) stayed")
        }
        #expect(Cgroup.ownerLives(Cgroup.name(forScratch: scratch)))
        #expect(!Cgroup.ownerLives("pacbuild-pacbuild-ns.abc123"), "a name without a pid counts as abandoned")
    }
}
